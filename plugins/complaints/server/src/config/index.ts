import cron from 'node-cron';
import { ASPECTS } from '../domain/workflow';
import { EVIDENCE_FILE_TYPES, type EvidenceFileType } from '../domain/evidence-file';
import { DEFAULT_RANKING, validateRanking, type RankingConfig } from '../domain/ranking';
import { validateThresholds, type WarningThresholds } from '../domain/warning-level';

export interface PluginConfig {
  /** The county's time zone: calendar days and "today" are computed in it. */
  timeZone: string;
  warnings: { measure: WarningThresholds; response: WarningThresholds };
  /** Response days when a category does not set its own. */
  defaultResponseDays: number;
  jobs: { enabled: boolean; warningRule: string; digestRule: string; surveyRule: string; runOnBoot: boolean };
  demo: { enabled: boolean; complaints: number };
  import: {
    maxFileBytes: number;
    /**
     * A full garbage collection every 20,000 rows and before the commit of a large import. Lower
     * peak memory for a little time (measured with `npm run bench:import`, see
     * services/importer.ts); off lets V8 size its heap alone.
     */
    explicitGc: boolean;
  };
  export: {
    /**
     * A full garbage collection before an export of more than 2,000 rows and every 20,000 rows
     * of it: the export's peak memory stays near the booted process's (measured with `npm run
     * bench:export`, see docs/benchmarks.md); off lets V8 size its heap alone.
     */
    explicitGc: boolean;
  };
  sms: {
    provider: 'console' | 'twilio' | 'aliyun';
    /** The provider's own settings (providers/sms/<name>.ts says which; config/plugins.ts maps them from the environment). */
    options: Record<string, unknown>;
    /** Messages due inside these hours (county time) wait until the end of them. */
    quietHours: { start: string; end: string };
    /** At most this many messages to one number in 24 hours. */
    perNumberCap: number;
    /** Retryable failures: base delay, doubled per attempt, up to maxAttempts sends. */
    retry: { baseMs: number; maxAttempts: number; capMs: number };
    /** A message left in `sending` longer than this is reconciled with the provider. */
    sendingLeaseMs: number;
    /** The bracketed signature every message starts with (mainland carriers require a registered one). */
    signature: string;
    /** Replaces default message texts by key (domain/sms-templates.ts). */
    templates: Record<string, string>;
    /** How often each instance's pump looks for due messages (0: never; tests pump by hand). */
    pumpIntervalMs: number;
    /**
     * The public base URL (scheme, host and any path prefix of the proxy) Twilio calls the
     * webhooks on, as Twilio signs it. Empty: server.url (PUBLIC_URL); with neither, the
     * request's own origin, which is only right without a proxy in front.
     */
    webhookBaseUrl: string;
  };
  survey: { expiryDays: number; reminderDays: number };
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
  /** The monthly unit ranking: weights of the response, resolution and satisfaction rates, and N of the red and black lists. */
  ranking: RankingConfig;
  /** The public page and its routes (routes/access.ts PUBLIC_ROUTES). */
  publicPage: PublicPageConfig;
  /** Demands the county office registers by hand (POST /complaints/registrations): ledger numbers <prefix><year><6 digits>. */
  registration: { ledgerPrefix: string };
  /**
   * The rates' rollup (services/rate-rollup.ts): rebuilt by the warning job every slot; a rates
   * or ranking question is answered from it while it is no older than `rollupMaxAgeMinutes`
   * (domain/rate-rollup.ts says when else it is not). Off: every figure is computed from the rows.
   * `columns`: each instance holds the counts' columns in memory (services/stats-columns.ts),
   * reloaded every `columnsRefreshMinutes` while the jobs run, and answers GET /stats/counts from
   * them for as long as the rollup's age allows. `keywordPieces`: how many common pieces of the
   * contents (2 to 4 Chinese characters in at least 2 % of them) the columns keep a flag for, so
   * that a count under such a keyword is answered from them (0: none; every keyword by the SQL).
   */
  statistics: { rollup: boolean; rollupMaxAgeMinutes: number; columns: boolean; columnsRefreshMinutes: number; keywordPieces: number };
}

export interface RateLimit {
  /** Requests allowed per `duration` seconds. */
  points: number;
  duration: number;
}

export interface PublicPageConfig {
  /** The county's name on the page, in Chinese and English. */
  countyName: string;
  countyNameEn: string;
  /** A logo served from `public/` (e.g. /logo.png), or empty for none. */
  logoPath: string;
  /** The towns the intake form offers; empty: the towns of the township units. */
  towns: string[];
  /** Ledger numbers of demands received online: <prefix><year><6 digits>. */
  ledgerPrefix: string;
  limits: { read: RateLimit; intake: RateLimit; track: RateLimit; trackPerLedger: RateLimit };
  /** How long (seconds) each instance keeps a public answer (summary, results, ranking); 0: never. */
  cacheSeconds: number;
}

export const DEFAULT_CONFIG: PluginConfig = {
  timeZone: 'Asia/Shanghai',
  warnings: {
    measure: { yellowDays: 20, orangeDays: 10 },
    response: { yellowDays: 1, orangeDays: 1 },
  },
  defaultResponseDays: 3,
  jobs: { enabled: true, warningRule: '*/10 * * * *', digestRule: '5 0 * * *', surveyRule: '20 * * * *', runOnBoot: true },
  demo: { enabled: true, complaints: 3000 },
  import: { maxFileBytes: 50 * 1024 * 1024, explicitGc: true },
  export: { explicitGc: true },
  sms: {
    provider: 'console',
    options: {},
    quietHours: { start: '21:00', end: '08:00' },
    perNumberCap: 3,
    retry: { baseMs: 60_000, maxAttempts: 5, capMs: 3_600_000 },
    sendingLeaseMs: 120_000,
    pumpIntervalMs: 30_000,
    signature: '民意服务站',
    templates: {},
    webhookBaseUrl: '',
  },
  survey: { expiryDays: 7, reminderDays: 3 },
  evidence: { requiredAspects: { immediate: [], deadline: [], phased: [], policy_limited: [] }, maxFileBytes: 20 * 1024 * 1024, allowedTypes: [] },
  ranking: { weights: { ...DEFAULT_RANKING.weights }, listSize: DEFAULT_RANKING.listSize },
  statistics: { rollup: true, rollupMaxAgeMinutes: 15, columns: true, columnsRefreshMinutes: 10, keywordPieces: 256 },
  publicPage: {
    countyName: '民意服务站',
    countyNameEn: 'Minyi',
    logoPath: '',
    towns: [],
    ledgerPrefix: 'WEB',
    limits: {
      read: { points: 120, duration: 60 },
      intake: { points: 5, duration: 3600 },
      track: { points: 30, duration: 600 },
      trackPerLedger: { points: 10, duration: 3600 },
    },
    cacheSeconds: 60,
  },
  registration: { ledgerPrefix: 'REG' },
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
    validateRanking(config.ranking, 'ranking');
    if (typeof config.statistics?.rollup !== 'boolean') fail('statistics.rollup must be true or false');
    if (!(Number.isFinite(config.statistics?.rollupMaxAgeMinutes) && config.statistics.rollupMaxAgeMinutes > 0)) fail('statistics.rollupMaxAgeMinutes must be a positive number of minutes');
    if (typeof config.statistics?.columns !== 'boolean') fail('statistics.columns must be true or false');
    if (!(Number.isFinite(config.statistics?.columnsRefreshMinutes) && config.statistics.columnsRefreshMinutes > 0)) fail('statistics.columnsRefreshMinutes must be a positive number of minutes');
    if (!(Number.isInteger(config.statistics?.keywordPieces) && config.statistics.keywordPieces >= 0 && config.statistics.keywordPieces <= 4096)) fail('statistics.keywordPieces must be a whole number from 0 to 4096');
    for (const key of ['warningRule', 'digestRule', 'surveyRule'] as const) {
      if (!cron.validate(config.jobs[key])) fail(`jobs.${key} "${config.jobs[key]}" is not a valid cron expression`);
    }
    if (!Number.isInteger(config.defaultResponseDays) || config.defaultResponseDays < 1) {
      fail('defaultResponseDays must be a positive integer');
    }
    if (!['console', 'twilio', 'aliyun'].includes(config.sms.provider)) fail(`sms.provider "${config.sms.provider}" is not console, twilio or aliyun`);
    for (const k of ['start', 'end'] as const) {
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(String(config.sms.quietHours?.[k]))) fail(`sms.quietHours.${k} "${config.sms.quietHours?.[k]}" is not HH:MM`);
    }
    if (!Number.isInteger(config.sms.perNumberCap) || config.sms.perNumberCap < 1) fail('sms.perNumberCap must be a positive integer');
    if (!(config.sms.retry?.baseMs > 0) || !Number.isInteger(config.sms.retry?.maxAttempts) || config.sms.retry.maxAttempts < 1) {
      fail('sms.retry needs baseMs > 0 and a positive integer maxAttempts');
    }
    if (!(config.sms.pumpIntervalMs >= 0)) fail('sms.pumpIntervalMs must be 0 or more');
    if (config.sms.webhookBaseUrl && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(config.sms.webhookBaseUrl)) fail(`sms.webhookBaseUrl "${config.sms.webhookBaseUrl}" is not an http(s) URL`);
    for (const key of ['expiryDays', 'reminderDays'] as const) {
      if (!Number.isInteger(config.survey?.[key]) || config.survey[key] < 1) fail(`survey.${key} must be a positive integer`);
    }
    if (config.survey.reminderDays >= config.survey.expiryDays) fail('survey.reminderDays must be fewer than survey.expiryDays (a reminder after the survey closed would ask nothing)');
    if (!(config.import.maxFileBytes > 0)) fail('import.maxFileBytes must be positive');
    if (typeof config.import.explicitGc !== 'boolean') fail('import.explicitGc must be true or false');
    if (typeof config.export?.explicitGc !== 'boolean') fail('export.explicitGc must be true or false');
    for (const t of config.evidence.allowedTypes ?? []) {
      if (!(t in EVIDENCE_FILE_TYPES)) fail(`evidence.allowedTypes has "${t}"; known types: ${Object.keys(EVIDENCE_FILE_TYPES).join(', ')}`);
    }
    const pp = config.publicPage;
    if (!/^[A-Z]{1,8}$/.test(String(pp.ledgerPrefix))) fail(`publicPage.ledgerPrefix "${pp.ledgerPrefix}" must be 1 to 8 capital letters`);
    if (pp.logoPath && !/^\/[A-Za-z0-9._\-/]+$/.test(pp.logoPath)) fail(`publicPage.logoPath "${pp.logoPath}" must be a path under public/, such as /logo.png`);
    if (!Array.isArray(pp.towns) || pp.towns.some((t) => typeof t !== 'string' || !t.trim())) fail('publicPage.towns must be a list of town names');
    if (!Number.isInteger(pp.cacheSeconds) || pp.cacheSeconds < 0 || pp.cacheSeconds > 3600) fail(`publicPage.cacheSeconds "${pp.cacheSeconds}" must be a whole number of seconds from 0 to 3600`);
    for (const [k, l] of Object.entries(pp.limits ?? {})) {
      if (!Number.isInteger(l?.points) || l.points < 1 || !Number.isInteger(l?.duration) || l.duration < 1) fail(`publicPage.limits.${k} needs positive whole points and duration (seconds)`);
    }
    const rp = String(config.registration?.ledgerPrefix);
    if (!/^[A-Z]{1,8}$/.test(rp)) fail(`registration.ledgerPrefix "${rp}" must be 1 to 8 capital letters`);
    if (rp === pp.ledgerPrefix) fail(`registration.ledgerPrefix "${rp}" must differ from publicPage.ledgerPrefix: each series numbers its own demands`);
    for (const [mode, list] of Object.entries(config.evidence.requiredAspects)) {
      for (const a of list) if (!(ASPECTS as readonly string[]).includes(a)) fail(`evidence.requiredAspects.${mode} has unknown aspect "${a}"`);
    }
  },
};
