/**
 * The SMS provider interface, after Strapi's email providers: a module exports
 * `init(options, context) => provider`. The outbox (not the provider) decides what is sent, when,
 * and how often; a provider only talks to its service.
 */
import type { Capabilities } from '../../domain/sms-policy';

export interface SmsSendInput {
  /** Mainland mobile number as stored (11 digits). */
  to: string;
  /** The rendered text (providers that send free text use it). */
  body: string;
  /**
   * The message type, or its template key where the type has variants (`closed_survey.link`);
   * template providers map it to a pre-approved template code.
   */
  template?: string;
  /** Template parameters (template providers send these instead of `body`). */
  params?: Record<string, string>;
  /** The outbox row's key; no provider API honours it, so it is for logs and reconciliation only. */
  idempotencyKey: string;
}

export interface SmsSendResult {
  providerMessageId: string | null;
  /** What the provider said right away; delivery reports move it on later. */
  status: 'sent';
}

/**
 * How a failed call may be handled. `retryable`: the provider refused before accepting (rate
 * limit, its 5xx, a connection that never opened): send again later. `permanent`: it will never
 * be accepted (a bad number, an unapproved template). `ambiguous`: the request may have been
 * accepted (a timeout after the request went out): never resend by itself.
 */
export type SmsFailureKind = 'retryable' | 'permanent' | 'ambiguous';

export class SmsProviderError extends Error {
  readonly kind: SmsFailureKind;
  readonly providerCode: string | null;

  constructor(kind: SmsFailureKind, message: string, providerCode: string | null = null) {
    super(message);
    this.name = 'SmsProviderError';
    this.kind = kind;
    this.providerCode = providerCode;
  }
}

/** After a crash between the call and the commit: did the provider accept a message? */
export type ReconcileAnswer = { found: true; providerMessageId: string | null } | { found: false } | { found: 'unknown'; reason: string };

export interface SmsProvider {
  readonly name: string;
  send(input: SmsSendInput): Promise<SmsSendResult>;
  /** Whether a message to `to` may carry a link, and whether replies from it come back. */
  capabilities(to: string): Capabilities;
  /**
   * Looks for a message to `to`, with this body, accepted between `since` and `until`. Template
   * providers, which never see the body, match the idempotency key they were given (Aliyun's
   * OutId) or the template.
   */
  reconcile(query: { to: string; body: string; since: Date; until: Date; idempotencyKey?: string; template?: string }): Promise<ReconcileAnswer>;
}

export interface SmsProviderContext {
  /** One line per message; the provider is handed masked phones only. */
  log: (line: string) => void;
}

export interface SmsProviderModule {
  init(options: Record<string, unknown>, context: SmsProviderContext): SmsProvider;
}

/** A configuration problem that must stop the start, naming the setting. */
export class SmsConfigError extends Error {
  constructor(setting: string, what: string) {
    super(`SMS provider misconfigured 短信服务配置有误: ${setting} ${what}`);
    this.name = 'SmsConfigError';
  }
}
