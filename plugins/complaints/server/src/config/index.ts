import cron from 'node-cron';
import { ASPECTS } from '../domain/workflow';
import { EVIDENCE_FILE_TYPES, type EvidenceFileType } from '../domain/evidence-file';
import { validateThresholds, type WarningThresholds } from '../domain/warning-level';

export interface PluginConfig {
  /** The county's time zone: calendar days and "today" are computed in it. */
  timeZone: string;
  warnings: { measure: WarningThresholds; response: WarningThresholds };
  /** Response days when a category does not set its own. */
  defaultResponseDays: number;
  jobs: { enabled: boolean; warningRule: string; digestRule: string; runOnBoot: boolean };
  demo: { enabled: boolean; complaints: number };
  import: { maxFileBytes: number };
  sms: { provider: 'console' | 'twilio'; options: Record<string, unknown> };
  survey: { expiryDays: number };
  /** Evidence aspects `complete` requires, per mode (at least one item is always required). */
  evidence: {
    requiredAspects: Record<'immediate' | 'deadline' | 'phased' | 'policy_limited', string[]>;
    maxFileBytes: number;
    /**
     * File types accepted as evidence, checked on the bytes (domain/evidence-file.ts). Empty means
     * every type there (Strapi merges a configured list into a default one item by item, so the
     * default is empty rather than the full list).
     */
    allowedTypes: EvidenceFileType[];
  };
}

export const DEFAULT_CONFIG: PluginConfig = {
  timeZone: 'Asia/Shanghai',
  warnings: {
    measure: { yellowDays: 20, orangeDays: 10 },
    response: { yellowDays: 1, orangeDays: 1 },
  },
  defaultResponseDays: 3,
  jobs: { enabled: true, warningRule: '*/10 * * * *', digestRule: '5 0 * * *', runOnBoot: true },
  demo: { enabled: true, complaints: 3000 },
  import: { maxFileBytes: 50 * 1024 * 1024 },
  sms: { provider: 'console', options: {} },
  survey: { expiryDays: 7 },
  evidence: { requiredAspects: { immediate: [], deadline: [], phased: [], policy_limited: [] }, maxFileBytes: 20 * 1024 * 1024, allowedTypes: [] },
};

const fail = (msg: string): never => {
  throw new Error(`[complaints] invalid configuration 配置无效: ${msg}`);
};

export default {
  default: DEFAULT_CONFIG,
  validator(config: PluginConfig) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: config.timeZone });
    } catch {
      fail(`timeZone "${config.timeZone}" is not a known IANA time zone`);
    }
    validateThresholds(config.warnings.measure, 'warnings.measure');
    validateThresholds(config.warnings.response, 'warnings.response');
    for (const key of ['warningRule', 'digestRule'] as const) {
      if (!cron.validate(config.jobs[key])) fail(`jobs.${key} "${config.jobs[key]}" is not a valid cron expression`);
    }
    if (!Number.isInteger(config.defaultResponseDays) || config.defaultResponseDays < 1) {
      fail('defaultResponseDays must be a positive integer');
    }
    if (!['console', 'twilio'].includes(config.sms.provider)) fail(`sms.provider "${config.sms.provider}" is not console or twilio`);
    if (!(config.import.maxFileBytes > 0)) fail('import.maxFileBytes must be positive');
    for (const t of config.evidence.allowedTypes ?? []) {
      if (!(t in EVIDENCE_FILE_TYPES)) fail(`evidence.allowedTypes has "${t}"; known types: ${Object.keys(EVIDENCE_FILE_TYPES).join(', ')}`);
    }
    for (const [mode, list] of Object.entries(config.evidence.requiredAspects)) {
      for (const a of list) if (!(ASPECTS as readonly string[]).includes(a)) fail(`evidence.requiredAspects.${mode} has unknown aspect "${a}"`);
    }
  },
};
