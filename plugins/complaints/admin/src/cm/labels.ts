/**
 * The Minyi content types in the county's words, for every Content Manager screen (menu, list,
 * filters, edit form): each type's name, each field's label and each enum value's label, as
 * translation keys of this plugin. tests/unit/translations.test.ts keeps them complete against
 * the schemas, in both languages.
 */
export const MINYI_UID_PREFIX = 'plugin::complaints.';

/** Each type's schema `info.displayName` (bilingual, for Strapi developers): the key Strapi translates. */
export const DISPLAY_NAMES: Record<string, string> = {
  category: 'Category 诉求类别',
  'complaint-event': 'Complaint event 诉求履历',
  complaint: 'Complaint 诉求',
  correction: 'Correction 更正',
  evidence: 'Evidence 成效佐证',
  'import-batch': 'Import batch 导入批次',
  'job-run': 'Job run 定时任务记录',
  'ledger-digest': 'Ledger digest 台账摘要',
  measure: 'Measure 整改措施',
  'month-close': 'Month close 月度封账',
  'problem-group': 'Problem group 共性问题小类',
  'routing-rule': 'Routing rule 交办规则',
  'sign-off': 'Sign-off 验收',
  'sms-message': 'SMS message 短信',
  'spot-check': 'Spot check 抽查',
  survey: 'Survey 满意度回访',
  unit: 'Unit 单位',
};

/** Fields every type has (Strapi's own): labelled once. */
const COMMON_FIELDS = ['createdAt', 'updatedAt'];

/** The translation key of a field's label. The complaint's are `cm.field.<name>`, older than the rest. */
export const fieldKey = (type: string, field: string): string =>
  type === 'complaint' || COMMON_FIELDS.includes(field) ? `cm.field.${field}` : `cm.type.${type}.field.${field}`;

/**
 * The key prefix of each coded field's values, per type: the enumerations, and the string fields
 * that hold a code (an event's type and states). Where the plugin's pages already name a value,
 * the same key is used.
 */
export const VALUE_PREFIX: Record<string, Record<string, string>> = {
  complaint: {
    state: 'state.', warningLevel: 'dashboard.value.warningLevel.', channel: 'dashboard.value.channel.', mode: 'mode.', nature: 'nature.',
    level: 'level.', invalidReason: 'invalid.', signStep: 'signStep.', satisfaction: 'cm.satisfaction.', suggestion: 'cm.suggestion.',
  },
  category: { tier: 'cm.type.category.enum.tier.' },
  'complaint-event': { actorKind: 'cm.type.complaint-event.enum.actorKind.', type: 'event.', fromState: 'state.', toState: 'state.' },
  correction: { field: 'cm.field.' },
  evidence: { aspect: 'aspect.' },
  'import-batch': { status: 'import.status.' },
  'job-run': { status: 'cm.type.job-run.enum.status.' },
  measure: { mode: 'mode.', reviewState: 'review.' },
  'sign-off': { step: 'signStep.', decision: 'signDecision.' },
  'sms-message': { direction: 'cm.type.sms-message.enum.direction.', template: 'sms.template.', status: 'sms.status.' },
  'spot-check': { result: 'spot.result.', finding: 'spot.finding.' },
  survey: {
    status: 'cm.type.survey.enum.status.', answer: 'survey.answer.', answeredVia: 'survey.via.', way: 'cm.type.survey.enum.way.',
    reopenRequest: 'reopenRequest.',
  },
  unit: { kind: 'cm.type.unit.enum.kind.' },
};

/** `plugin::complaints.unit` → `unit`; null for another plugin's type. */
export const minyiType = (uid: string | undefined | null): string | null =>
  uid && uid.startsWith(MINYI_UID_PREFIX) ? uid.slice(MINYI_UID_PREFIX.length) : null;

/**
 * Free-text fields where the ledger writes a fixed name for an actor that is not a person
 * (domain/history-chain.ts SYSTEM_ACTOR, CITIZEN_ACTOR): those names have labels, others are shown as written.
 */
const ACTOR_NAMES: Record<string, string> = {
  system: 'cm.type.complaint-event.enum.actorKind.system',
  citizen: 'cm.type.complaint-event.enum.actorKind.citizen',
};
const NAMED_VALUES: Record<string, Record<string, Record<string, string>>> = { 'complaint-event': { actorName: ACTOR_NAMES } };

/** Whether a field holds codes (or fixed names) shown through labels. */
export const isCoded = (type: string, field: string): boolean => Boolean(VALUE_PREFIX[type]?.[field] || NAMED_VALUES[type]?.[field]);

/** The key of one coded value's label, or null when it has none (a field without codes, or a person's name). */
export const valueKey = (type: string, field: string, value: string): string | null => {
  const prefix = VALUE_PREFIX[type]?.[field];
  if (prefix) return `${prefix}${value}`;
  return NAMED_VALUES[type]?.[field]?.[value] ?? null;
};

/**
 * Never a column or a filter: ids, hashes and keys, and the raw json of rows and reports.
 * (The scalar copies of relations stay filters on the complaint, so a dashboard figure's link
 * keeps working; see complaint-list.tsx.)
 */
export const INTERNAL_FIELDS: readonly string[] = [
  'id', 'documentId', 'createdBy', 'updatedBy', 'chainSeq', 'chainHash', 'rawRow', 'hash', 'prevHash', 'previousHash', 'tokenHash',
  'reminderTokenHash', 'sha256', 'headsHash', 'idempotencyKey', 'sampleKey', 'data', 'report', 'snapshot', 'templateParams', 'milestones',
  'providerMessageId', 'claimedBy', 'templateKey',
];

/**
 * The Content Manager's translation keys for the Minyi types, from this plugin's messages of
 * one language: `content-manager.content-types.<uid>.<field>` (list headers and edit-form
 * labels) and each type's display name (menu, list and edit headers).
 */
export const contentManagerMessages = (messages: Record<string, string>, fieldsOf: (type: string) => readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [type, displayName] of Object.entries(DISPLAY_NAMES)) {
    const name = messages[`cm.type.${type}.name`];
    if (name) out[displayName] = name;
    for (const field of [...fieldsOf(type), ...COMMON_FIELDS]) {
      const label = messages[fieldKey(type, field)];
      if (label) out[`content-manager.content-types.${MINYI_UID_PREFIX}${type}.${field}`] = label;
    }
  }
  return out;
};

/** The labelled fields of each type, read from the messages themselves (no schema in the admin bundle). */
export const fieldsFromMessages = (messages: Record<string, string>) => (type: string): string[] => {
  const prefix = type === 'complaint' ? 'cm.field.' : `cm.type.${type}.field.`;
  return Object.keys(messages)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));
};
