/**
 * Errors raised by domain rules. Adapters map `kind` to an HTTP status:
 * validation → 400, forbidden → 403, not_found → 404, conflict → 409.
 * Messages are bilingual ("中文 / English") and never contain personal data.
 */
export type DomainErrorKind = 'validation' | 'forbidden' | 'not_found' | 'conflict';

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  /** The message in Chinese, and in English; `message` is both, as "中文 / English". */
  readonly zh: string;
  readonly en: string;
  readonly details: Record<string, unknown>;

  constructor(
    kind: DomainErrorKind,
    code: string,
    zh: string,
    en: string,
    details: Record<string, unknown> = {}
  ) {
    super(`${zh} / ${en}`);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.zh = zh;
    this.en = en;
    this.details = { code, ...details };
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
