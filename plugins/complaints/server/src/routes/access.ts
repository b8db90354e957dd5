/**
 * Who may call what: every admin route of the plugin and every Content Manager verb on every
 * Minyi type, in one table. routes/admin.ts is generated from PLUGIN_ROUTES (its policies from
 * `actions`), so a route cannot exist without a row; tests/api/route-matrix.test.api.ts checks
 * every registered route against this table, role by role.
 */
import { UID } from '../constants';
import { ACTION } from '../permissions/actions';

/**
 * The callers the matrix tells apart: Minyi's five roles (acting in their own unit), another
 * unit's operator, an operator with no unit, Strapi's Editor and Author, Super Admin, anonymous.
 */
export const MATRIX_ROLES = [
  'countyOffice', 'leadUnit', 'unitOperator', 'unitHead', 'countyLeader',
  'otherOperator', 'orphanOperator', 'editor', 'author', 'superAdmin', 'anonymous',
] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

export interface PluginRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: string;
  /** RBAC actions the route's policy requires (none: any signed-in admin). */
  actions: string[];
  /** Roles whose call on a record of their own scope succeeds; everyone else is refused. */
  roles: MatrixRole[];
}

/** Roles that read complaints in the workflow panel (scope: see role-permissions.ts). */
const READERS: MatrixRole[] = ['countyOffice', 'leadUnit', 'unitOperator', 'unitHead', 'countyLeader', 'superAdmin'];
/** Routes that show no record of a unit: every holder of the read permission gets an answer (scoped). */
const ANY_READER: MatrixRole[] = [...READERS, 'otherOperator', 'orphanOperator'];
const STAFF: MatrixRole[] = [...ANY_READER, 'editor', 'author'];
const OPERATOR: MatrixRole[] = ['unitOperator', 'superAdmin'];
const VERIFIERS: MatrixRole[] = ['countyOffice', 'countyLeader', 'superAdmin'];
const IMPORTERS: MatrixRole[] = ['countyOffice', 'superAdmin'];
/** Registration 登记: the county office types in demands received by visit, phone or letter. */
const REGISTRARS: MatrixRole[] = ['countyOffice', 'superAdmin'];
/** The outbox and the opt-out list: the county office runs them, the county leader reads them (phones masked). */
const SMS_READERS: MatrixRole[] = ['countyOffice', 'countyLeader', 'superAdmin'];
/** Spot checks: the county office draws and records; the county leader reads. */
const INSPECTORS: MatrixRole[] = ['countyOffice', 'superAdmin'];
const SPOT_CHECK_READERS: MatrixRole[] = ['countyOffice', 'countyLeader', 'superAdmin'];
/** Month close: the county office closes and corrects; the county leader reads the frozen figures. */
const CLOSERS: MatrixRole[] = ['countyOffice', 'superAdmin'];
const CLOSE_READERS: MatrixRole[] = ['countyOffice', 'countyLeader', 'superAdmin'];

const route = (method: PluginRoute['method'], path: string, handler: string, actions: string[], roles: MatrixRole[]): PluginRoute => ({
  method, path, handler, actions, roles,
});

export const PLUGIN_ROUTES: PluginRoute[] = [
  route('GET', '/info', 'info.index', [], STAFF),

  // Workflow (the controller checks the permission of the requested transition)
  route('GET', '/complaints/:documentId/workflow', 'workflow.view', [ACTION.read], READERS),
  route('POST', '/complaints/:documentId/transitions', 'workflow.transition', [], ['countyOffice', 'leadUnit', 'unitOperator', 'unitHead', 'countyLeader', 'superAdmin']),
  route('POST', '/transitions', 'workflow.batch', [], ['countyOffice', 'unitOperator', 'superAdmin']),
  route('POST', '/complaints/:documentId/evidence', 'workflow.addEvidence', [ACTION.evidence], OPERATOR),
  route('GET', '/evidence-files/:id', 'workflow.evidenceFile', [ACTION.read], READERS),
  route('GET', '/options', 'workflow.options', [ACTION.read], ANY_READER),
  route('GET', '/problem-groups', 'workflow.listGroups', [ACTION.read], ANY_READER),
  route('POST', '/problem-groups', 'workflow.createGroup', [ACTION.groups], ['unitOperator', 'otherOperator', 'superAdmin']),
  route('POST', '/problem-groups/:documentId/members', 'workflow.addGroupMembers', [ACTION.groups], OPERATOR),
  route('POST', '/problem-groups/:documentId/evidence', 'workflow.addGroupEvidence', [ACTION.evidence], OPERATOR),

  // My work 我的待办 (the queues follow from the takers table: a role has the queues of the verbs it takes)
  route('GET', '/queues', 'queues.list', [ACTION.read], ANY_READER),
  route('GET', '/queues/:key', 'queues.rows', [ACTION.read], ANY_READER),
  // Saved views of My work: each user's own (the key is the caller's id; no other user's is reachable).
  route('GET', '/my-work/views', 'queues.views', [ACTION.read], ANY_READER),
  route('PUT', '/my-work/views', 'queues.saveViews', [ACTION.read], ANY_READER),

  // Deadlines and warnings
  route('GET', '/warnings/overview', 'warnings.overview', [ACTION.read], ANY_READER),
  route('GET', '/jobs/runs', 'warnings.runs', [ACTION.read], ANY_READER),

  // Statistics (every count is scoped: a unit's user counts its own unit's complaints)
  route('GET', '/stats/counts', 'statistics.counts', [ACTION.read], ANY_READER),
  route('GET', '/stats/rates', 'rates.rates', [ACTION.read], ANY_READER),
  route('GET', '/stats/ranking', 'rates.ranking', [ACTION.read], ANY_READER),

  // Export (xlsx; scoped like the counts, phones as the role sees them)
  route('GET', '/export', 'export.ledger', [ACTION.read], ANY_READER),

  // Spot checks 抽查
  route('GET', '/spot-checks', 'spotChecks.list', [ACTION.spotCheckRead], SPOT_CHECK_READERS),
  route('GET', '/spot-checks/preview', 'spotChecks.preview', [ACTION.spotCheckRead], SPOT_CHECK_READERS),
  route('GET', '/spot-checks/report', 'spotChecks.report', [ACTION.spotCheckRead], SPOT_CHECK_READERS),
  route('POST', '/spot-checks', 'spotChecks.draw', [ACTION.spotCheck], INSPECTORS),
  route('POST', '/spot-checks/:id/result', 'spotChecks.record', [ACTION.spotCheck], INSPECTORS),

  // Month close 月度封账
  route('GET', '/month-closes', 'monthCloses.list', [ACTION.monthCloseRead], CLOSE_READERS),
  route('GET', '/month-closes/:month', 'monthCloses.show', [ACTION.monthCloseRead], CLOSE_READERS),
  route('GET', '/month-closes/:month/verify', 'monthCloses.verify', [ACTION.monthCloseRead], CLOSE_READERS),
  route('POST', '/month-closes', 'monthCloses.close', [ACTION.monthClose], CLOSERS),
  route('POST', '/month-closes/:month/corrections', 'monthCloses.correct', [ACTION.monthClose], CLOSERS),

  // Settings 系统设置 (read-only: configuration is changed in config/plugins.ts)
  route('GET', '/settings', 'settings.overview', [ACTION.settingsRead], CLOSE_READERS),
  route('PUT', '/settings', 'settings.update', [ACTION.settingsManage], CLOSERS),

  // Ledger integrity
  route('GET', '/complaints/:documentId/history', 'ledger.history', [ACTION.history], READERS),
  route('POST', '/complaints/:documentId/corrections', 'ledger.addCorrection', [ACTION.correct], IMPORTERS),
  route('GET', '/ledger/verify', 'ledger.verify', [ACTION.verify], VERIFIERS),
  route('GET', '/ledger/digests', 'ledger.digests', [ACTION.verify], VERIFIERS),
  route('POST', '/ledger/digests', 'ledger.recordDigest', [ACTION.verify], VERIFIERS),
  route('GET', '/ledger/digests/:day/check', 'ledger.checkDigest', [ACTION.verify], VERIFIERS),
  route('GET', '/ledger/export', 'ledger.exportEvents', [ACTION.verify], VERIFIERS),
  route('POST', '/imports', 'imports.upload', [ACTION.import], IMPORTERS),
  route('GET', '/imports', 'imports.list', [ACTION.import], IMPORTERS),
  route('GET', '/imports/:id', 'imports.status', [ACTION.import], IMPORTERS),
  route('GET', '/imports/:id/report', 'imports.report', [ACTION.import], IMPORTERS),
  route('GET', '/import-template', 'imports.template', [ACTION.import], IMPORTERS),
  route('POST', '/registrations', 'registrations.create', [ACTION.register], REGISTRARS),

  // SMS outbox, opt-outs and phone return visits (services/sms-admin.ts)
  route('GET', '/sms/messages', 'smsAdmin.messages', [ACTION.smsRead], SMS_READERS),
  route('POST', '/sms/messages/:id/decision', 'smsAdmin.decide', [ACTION.smsManage], IMPORTERS),
  route('GET', '/sms/opt-outs', 'smsAdmin.optOuts', [ACTION.smsRead], SMS_READERS),
  route('POST', '/sms/opt-outs', 'smsAdmin.addOptOut', [ACTION.smsManage], IMPORTERS),
  route('POST', '/sms/opt-outs/remove', 'smsAdmin.removeOptOut', [ACTION.smsManage], IMPORTERS),
  route('GET', '/return-visits', 'smsAdmin.returnVisits', [ACTION.returnVisit], ['countyOffice', 'unitOperator', 'otherOperator', 'orphanOperator', 'superAdmin']),
  route('POST', '/complaints/:documentId/return-visit', 'smsAdmin.recordReturnVisit', [ACTION.returnVisit], ['countyOffice', 'unitOperator', 'superAdmin']),
];

/**
 * Public routes: no login. Each says what verifies its caller instead: Twilio's signature over the
 * public URL (services/sms.ts `twilioWebhook`), the shared secret in the path of Aliyun's pushes
 * (`aliyunWebhook`; Aliyun signs nothing), or the survey link's one-time token (only its SHA-256
 * is stored). routes/content-api.ts is generated from this table; the matrix calls each
 * row anonymously with a good and a bad credential. They answer at the site root, outside
 * Strapi's content API (`/api`, where the plugin has no route and users-permissions roles
 * decide): what lets a caller in is the table's, not a role's.
 */
export interface PublicRoute {
  method: 'GET' | 'POST';
  /** The full path from the site root, as Twilio or the citizen's browser calls it. */
  path: string;
  handler: string;
  public: true;
  /**
   * What lets the caller in: a Twilio signature, the Aliyun push secret, a survey token, a tracking code (or phone tail)
   * with its ledger number, or nothing but the per-IP limit (open data, the intake, the page).
   */
  verifiedBy: 'twilio-signature' | 'aliyun-secret' | 'survey-token' | 'tracking-code' | 'rate-limit' | 'none';
  /** The per-caller limit it counts against (config publicPage.limits). */
  limit?: 'read' | 'intake' | 'track';
  /**
   * `site`: registered on the root router from register() (strapi.server.routes), ahead of
   * strapi::public's redirect of `/` to the admin; the others are plugin routes.
   */
  mount?: 'site';
}

const publicRoute = (method: PublicRoute['method'], path: string, handler: string, verifiedBy: PublicRoute['verifiedBy'], extra: Pick<PublicRoute, 'limit' | 'mount'> = {}): PublicRoute => ({
  method, path, handler, public: true, verifiedBy, ...extra,
});

export const PUBLIC_ROUTES: PublicRoute[] = [
  // Twilio's webhooks (404 unless the provider in use is Twilio).
  publicRoute('POST', '/webhooks/twilio/inbound', 'public.twilioInbound', 'twilio-signature'),
  publicRoute('POST', '/webhooks/twilio/status', 'public.twilioStatus', 'twilio-signature'),
  // Aliyun's HTTP pushes (404 unless the provider in use is Aliyun with a webhook secret).
  publicRoute('POST', '/webhooks/aliyun/:secret/report', 'public.aliyunReport', 'aliyun-secret'),
  publicRoute('POST', '/webhooks/aliyun/:secret/uplink', 'public.aliyunUplink', 'aliyun-secret'),
  // The survey link in the closed notice: short, at the site root (an SMS is paid by length).
  publicRoute('GET', '/survey/:token', 'public.surveyPage', 'survey-token'),
  publicRoute('POST', '/survey/:token', 'public.surveyAnswer', 'survey-token'),
  // Open data (公开数据): aggregate figures and closed results, PII-free by construction
  // (domain/public-data.ts); cached for 60 s, with an ETag.
  publicRoute('GET', '/api/minyi/summary', 'publicApi.summary', 'rate-limit', { limit: 'read' }),
  publicRoute('GET', '/api/minyi/results', 'publicApi.results', 'rate-limit', { limit: 'read' }),
  publicRoute('GET', '/api/minyi/ranking', 'publicApi.ranking', 'rate-limit', { limit: 'read' }),
  // Intake (问题征集) and tracking (进度查询).
  publicRoute('POST', '/api/minyi/requests', 'publicApi.intake', 'rate-limit', { limit: 'intake' }),
  publicRoute('POST', '/api/minyi/track', 'publicApi.track', 'tracking-code', { limit: 'track' }),
  // The public page and its files.
  publicRoute('GET', '/', 'publicPage.home', 'none', { limit: 'read', mount: 'site' }),
  publicRoute('GET', '/submit', 'publicPage.submit', 'none', { limit: 'read', mount: 'site' }),
  publicRoute('GET', '/track', 'publicPage.track', 'none', { limit: 'read', mount: 'site' }),
  publicRoute('GET', '/assets/minyi/:file', 'publicPage.asset', 'none', { mount: 'site' }),
];

/** Content Manager verbs, each one or more of its routes (see CM_ROUTES). */
/**
 * `relationOptions` lists what a relation field of the type may point to (no record involved);
 * `relations` reads the relations of one record (its scope applies).
 */
export type CmVerb = 'list' | 'read' | 'create' | 'update' | 'delete' | 'clone' | 'bulkDelete' | 'relations' | 'relationOptions' | 'publication';

/** Every Content Manager route that takes a model, by the verb it performs. */
export const CM_ROUTES: Array<{ method: string; path: string; verb: CmVerb }> = [
  { method: 'GET', path: '/collection-types/:model', verb: 'list' },
  { method: 'POST', path: '/collection-types/:model', verb: 'create' },
  { method: 'POST', path: '/collection-types/:model/clone/:sourceId', verb: 'clone' },
  { method: 'POST', path: '/collection-types/:model/auto-clone/:sourceId', verb: 'clone' },
  { method: 'GET', path: '/collection-types/:model/:id', verb: 'read' },
  { method: 'PUT', path: '/collection-types/:model/:id', verb: 'update' },
  { method: 'DELETE', path: '/collection-types/:model/:id', verb: 'delete' },
  { method: 'POST', path: '/collection-types/:model/actions/bulkDelete', verb: 'bulkDelete' },
  { method: 'POST', path: '/collection-types/:model/actions/bulkFindForValidation', verb: 'publication' },
  { method: 'POST', path: '/collection-types/:model/actions/publish', verb: 'publication' },
  { method: 'POST', path: '/collection-types/:model/:id/actions/publish', verb: 'publication' },
  { method: 'POST', path: '/collection-types/:model/:id/actions/unpublish', verb: 'publication' },
  { method: 'POST', path: '/collection-types/:model/:id/actions/discard', verb: 'publication' },
  { method: 'POST', path: '/collection-types/:model/actions/bulkPublish', verb: 'publication' },
  { method: 'POST', path: '/collection-types/:model/actions/bulkUnpublish', verb: 'publication' },
  { method: 'GET', path: '/collection-types/:model/:id/actions/countDraftRelations', verb: 'read' },
  { method: 'GET', path: '/collection-types/:model/actions/countManyEntriesDraftRelations', verb: 'publication' },
  { method: 'GET', path: '/relations/:model/:targetField', verb: 'relationOptions' },
  { method: 'GET', path: '/relations/:model/:id/:targetField', verb: 'relations' },
  // Single types: Minyi has none, so these answer no Minyi model for anyone.
  { method: 'GET', path: '/single-types/:model', verb: 'read' },
  { method: 'PUT', path: '/single-types/:model', verb: 'update' },
  { method: 'DELETE', path: '/single-types/:model', verb: 'delete' },
  { method: 'POST', path: '/single-types/:model/actions/publish', verb: 'publication' },
  { method: 'POST', path: '/single-types/:model/actions/unpublish', verb: 'publication' },
  { method: 'POST', path: '/single-types/:model/actions/discard', verb: 'publication' },
  { method: 'GET', path: '/single-types/:model/actions/countDraftRelations', verb: 'read' },
];

/** Readers of every ledger type in the Content Manager (the unit roles read complaints and groups only). */
const LEDGER_READERS: MatrixRole[] = ['countyOffice', 'countyLeader', 'superAdmin'];
const CONFIG_READERS: MatrixRole[] = ['countyOffice', 'leadUnit', 'unitOperator', 'unitHead', 'countyLeader', 'otherOperator', 'orphanOperator', 'superAdmin'];
const CONFIG_WRITERS: MatrixRole[] = ['countyOffice', 'superAdmin'];

type CmAccess = Partial<Record<CmVerb, MatrixRole[]>>;
const readOnly = (readers: MatrixRole[], optionReaders: MatrixRole[] = readers): CmAccess => ({ list: readers, read: readers, relations: readers, relationOptions: optionReaders });
/** Types whose only relations are Strapi's createdBy/updatedBy (admin users): no relation is readable here. */
const noRelations = (readers: MatrixRole[]): CmAccess => ({ list: readers, read: readers });

/**
 * Content Manager access per Minyi type. Ledger types are read-only for every role, Super Admin
 * included: they are written by Minyi's own routes and jobs, which record their events. Config
 * types are written (created, cloned, edited) by the county office; only Super Admin may delete a
 * category or a unit (Strapi's default, kept for setting a county up). Strapi's Editor and Author
 * reach no Minyi type.
 * A verb not listed is refused to everyone.
 */
export const CM_ACCESS: Record<string, CmAccess> = {
  [UID.complaint]: {
    // Another unit's operator reads no record of the first unit, but may list a relation field's
    // options (categories, units) as every unit role may.
    ...readOnly(['countyOffice', 'leadUnit', 'unitOperator', 'unitHead', 'countyLeader', 'superAdmin'], ['countyOffice', 'leadUnit', 'unitOperator', 'unitHead', 'countyLeader', 'otherOperator', 'superAdmin']),
    // The county office records demands received in person or by phone (Super Admin too, through
    // the same guarded path); never deleted.
    create: ['countyOffice', 'superAdmin'],
    update: ['countyOffice', 'superAdmin'],
  },
  [UID.problemGroup]: readOnly(['countyOffice', 'unitOperator', 'unitHead', 'countyLeader', 'superAdmin'], ['countyOffice', 'unitOperator', 'unitHead', 'countyLeader', 'otherOperator', 'superAdmin']),
  [UID.event]: noRelations(LEDGER_READERS),
  [UID.measure]: readOnly(LEDGER_READERS),
  [UID.evidence]: readOnly(LEDGER_READERS),
  [UID.signOff]: readOnly(LEDGER_READERS),
  [UID.correction]: readOnly(LEDGER_READERS),
  [UID.importBatch]: noRelations(LEDGER_READERS),
  [UID.spotCheck]: readOnly(LEDGER_READERS),
  [UID.ledgerDigest]: noRelations(LEDGER_READERS),
  [UID.survey]: readOnly(LEDGER_READERS),
  [UID.smsMessage]: noRelations(LEDGER_READERS),
  [UID.jobRun]: noRelations(LEDGER_READERS),
  [UID.monthClose]: noRelations(LEDGER_READERS),
  [UID.category]: { ...readOnly(CONFIG_READERS), create: CONFIG_WRITERS, update: CONFIG_WRITERS, clone: CONFIG_WRITERS, delete: ['superAdmin'], bulkDelete: ['superAdmin'] },
  // A unit's relation is its members (admin users): only those who may read admin users see them.
  [UID.unit]: { ...readOnly(CONFIG_READERS, ['countyOffice', 'countyLeader', 'superAdmin']), relations: ['countyOffice', 'countyLeader', 'superAdmin'], create: CONFIG_WRITERS, update: CONFIG_WRITERS, clone: CONFIG_WRITERS, delete: ['superAdmin'], bulkDelete: ['superAdmin'] },
  [UID.routingRule]: { ...readOnly(LEDGER_READERS), create: CONFIG_WRITERS, update: CONFIG_WRITERS, clone: CONFIG_WRITERS },
};
