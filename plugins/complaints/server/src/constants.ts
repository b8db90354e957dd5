/** One place for the plugin's identifiers. */
export const PLUGIN_ID = 'complaints';

export const UID = {
  category: 'plugin::complaints.category',
  unit: 'plugin::complaints.unit',
  complaint: 'plugin::complaints.complaint',
  problemGroup: 'plugin::complaints.problem-group',
  measure: 'plugin::complaints.measure',
  evidence: 'plugin::complaints.evidence',
  signOff: 'plugin::complaints.sign-off',
  event: 'plugin::complaints.complaint-event',
  correction: 'plugin::complaints.correction',
  survey: 'plugin::complaints.survey',
  smsMessage: 'plugin::complaints.sms-message',
  importBatch: 'plugin::complaints.import-batch',
  spotCheck: 'plugin::complaints.spot-check',
  ledgerDigest: 'plugin::complaints.ledger-digest',
  routingRule: 'plugin::complaints.routing-rule',
  jobRun: 'plugin::complaints.job-run',
  monthClose: 'plugin::complaints.month-close',
} as const;

export const COMPLAINT_UID = UID.complaint;
export const EVENT_UID = UID.event;

/**
 * Table names: each content type's `collectionName` (tests/unit/constants.test.ts checks them
 * against the schemas), and the plugin's own plain tables.
 */
export const TABLE = {
  complaint: 'complaints',
  event: 'complaint_events',
  category: 'complaint_categories',
  unit: 'complaint_units',
  correction: 'complaint_corrections',
  problemGroup: 'problem_groups',
  measure: 'measures',
  evidence: 'evidences',
  signOff: 'sign_offs',
  survey: 'surveys',
  smsMessage: 'sms_messages',
  importBatch: 'import_batches',
  spotCheck: 'spot_checks',
  ledgerDigest: 'ledger_digests',
  routingRule: 'routing_rules',
  jobRun: 'job_runs',
  monthClose: 'month_closes',
  /** Numbers that opted out of SMS (services/sms.ts). */
  smsOptOut: 'sms_opt_outs',
  /** The private evidence store (services/private-files.ts). */
  privateFile: 'private_files',
  evidencePrivateFile: 'evidence_private_files',
  /** The rates' rollup (services/rate-rollup.ts). */
  rateRollup: 'rate_rollups',
  rateRollupGroup: 'rate_rollup_groups',
  rateRollupBuild: 'rate_rollup_builds',
} as const;

export const ADMIN_USER_UID = 'admin::user';
export const ADMIN_ROLE_UID = 'admin::role';

/**
 * Ledger records written only by Minyi's own routes and jobs, which record their history
 * events: the Content Manager shows them read-only to everyone, Super Admin included.
 */
export const LEDGER_RECORD_UIDS: readonly string[] = [
  UID.event,
  UID.measure,
  UID.evidence,
  UID.signOff,
  UID.survey,
  UID.smsMessage,
  UID.correction,
  UID.importBatch,
  UID.ledgerDigest,
  UID.jobRun,
  UID.problemGroup,
  UID.spotCheck,
  UID.monthClose,
];
