/**
 * What each Minyi role may do in the Strapi admin, as data. Applied idempotently on every
 * boot by services/roles.ts (Strapi's own assignPermissions diffs and changes nothing when the
 * stored set already matches).
 */
import { UID } from '../constants';
import type { RoleKey } from '../domain/roles';
import { ACTION } from './actions';

export interface PermissionSpec {
  action: string;
  subject?: string;
  /** Attribute names; omitted = every field of the subject. */
  fields?: string[];
  conditions?: string[];
}

const CM = 'plugin::content-manager.explorer';

const crud = (subject: string, verbs: Array<'read' | 'create' | 'update'>): PermissionSpec[] =>
  verbs.map((v) => ({ action: `${CM}.${v}`, subject }));

/** Configuration content the county office maintains. */
const CONFIG_TYPES = [UID.category, UID.unit, UID.routingRule];
/** Ledger content that is read in the Content Manager and written only through workflow routes. */
const LEDGER_TYPES = [
  UID.complaint,
  UID.event,
  UID.problemGroup,
  UID.measure,
  UID.evidence,
  UID.signOff,
  UID.correction,
  UID.importBatch,
  UID.spotCheck,
  UID.ledgerDigest,
  UID.survey,
  UID.smsMessage,
  UID.jobRun,
];

export const ROLE_PERMISSIONS: Record<RoleKey, PermissionSpec[]> = {
  countyOffice: [
    ...CONFIG_TYPES.flatMap((t) => crud(t, ['read', 'create', 'update'])),
    ...LEDGER_TYPES.flatMap((t) => crud(t, ['read'])),
    // The county office records demands received in person or by phone.
    ...crud(UID.complaint, ['create', 'update']),
    { action: 'plugin::upload.read' },
    { action: 'plugin::upload.assets.download' },
    { action: ACTION.history },
    { action: ACTION.correct },
    { action: ACTION.verify },
    { action: ACTION.import },
  ],
  leadUnit: [],
  unitOperator: [],
  unitHead: [],
  countyLeader: [...[...CONFIG_TYPES, ...LEDGER_TYPES].flatMap((t) => crud(t, ['read'])), { action: ACTION.history }, { action: ACTION.verify }],
};
