/**
 * What each Minyi role may do, as data. Applied idempotently on every boot by
 * services/roles.ts (Strapi's assignPermissions diffs and changes nothing when the stored set
 * already matches). The server enforces the same rules again in the workflow service: these
 * permissions decide what the admin shows, the service decides what happens.
 */
import { UID } from '../constants';
import type { RoleKey } from '../domain/roles';
import { verbsOf } from '../domain/transitions';
import { ACTION, transitionActionId } from './actions';
import { CONDITION } from './conditions';

export interface PermissionSpec {
  action: string;
  subject?: string;
  /** Attribute names; omitted = every field of the subject. */
  fields?: string[];
  /** Every field of the subject except these. */
  excludeFields?: string[];
  conditions?: string[];
}

const CM = 'plugin::content-manager.explorer';

const crud = (subject: string, verbs: Array<'read' | 'create' | 'update'>, extra: Partial<PermissionSpec> = {}): PermissionSpec[] =>
  verbs.map((v) => ({ action: `${CM}.${v}`, subject, ...extra }));

/** The role's transition permissions: the verbs the workflow's table (domain/transitions/takers.ts) gives it. */
const transitions = (role: RoleKey): PermissionSpec[] => verbsOf(role).map((a) => ({ action: transitionActionId(a) }));

/** Configuration the county office maintains. */
const CONFIG_TYPES = [UID.category, UID.unit, UID.routingRule];
/** Ledger content that is read in the Content Manager and written only through the workflow. */
const LEDGER_TYPES = [
  UID.complaint, UID.event, UID.problemGroup, UID.measure, UID.evidence, UID.signOff, UID.correction,
  UID.importBatch, UID.spotCheck, UID.ledgerDigest, UID.survey, UID.smsMessage, UID.jobRun, UID.monthClose,
];
/** Roles that see phones masked do not get the phone (or the raw row holding it) in the Content Manager. */
const PHONE_FIELDS = ['phone', 'rawRow'];

export const ROLE_PERMISSIONS: Record<RoleKey, PermissionSpec[]> = {
  countyOffice: [
    ...CONFIG_TYPES.flatMap((t) => crud(t, ['read', 'create', 'update'])),
    ...LEDGER_TYPES.flatMap((t) => crud(t, ['read'])),
    // The county office records demands received in person or by phone.
    ...crud(UID.complaint, ['create', 'update']),
    { action: 'plugin::upload.read' },
    { action: 'plugin::upload.assets.download' },
    { action: ACTION.read },
    { action: ACTION.history },
    { action: ACTION.correct },
    { action: ACTION.verify },
    { action: ACTION.import },
    { action: ACTION.register },
    // The county office runs the outbox and the opt-out list, and may call any citizen back.
    { action: ACTION.smsRead },
    { action: ACTION.smsManage },
    { action: ACTION.returnVisit },
    { action: ACTION.spotCheck },
    { action: ACTION.spotCheckRead },
    { action: ACTION.monthClose },
    { action: ACTION.monthCloseRead },
    { action: ACTION.settingsRead },
    { action: ACTION.settingsManage },
    ...transitions('countyOffice'),
  ],
  leadUnit: [
    ...crud(UID.complaint, ['read'], { conditions: [CONDITION.ledUnit], excludeFields: PHONE_FIELDS }),
    ...crud(UID.category, ['read']),
    ...crud(UID.unit, ['read'], { fields: ['code', 'name', 'kind', 'isLead', 'isResponsible', 'town'] }),
    { action: ACTION.read },
    { action: ACTION.history },
    ...transitions('leadUnit'),
  ],
  unitOperator: [
    ...crud(UID.complaint, ['read'], { conditions: [CONDITION.ownUnit] }),
    ...crud(UID.problemGroup, ['read'], { conditions: [CONDITION.ownUnit] }),
    ...crud(UID.category, ['read']),
    ...crud(UID.unit, ['read'], { fields: ['code', 'name', 'kind', 'isLead', 'isResponsible', 'town'] }),
    { action: ACTION.read },
    { action: ACTION.history },
    { action: ACTION.evidence },
    { action: ACTION.groups },
    // Return visits of its own unit's complaints (services/sms-admin.ts scopes them).
    { action: ACTION.returnVisit },
    ...transitions('unitOperator'),
  ],
  unitHead: [
    ...crud(UID.complaint, ['read'], { conditions: [CONDITION.ownUnit], excludeFields: PHONE_FIELDS }),
    ...crud(UID.problemGroup, ['read'], { conditions: [CONDITION.ownUnit] }),
    ...crud(UID.category, ['read']),
    ...crud(UID.unit, ['read'], { fields: ['code', 'name', 'kind', 'isLead', 'isResponsible', 'town'] }),
    { action: ACTION.read },
    { action: ACTION.history },
    ...transitions('unitHead'),
  ],
  countyLeader: [
    ...CONFIG_TYPES.flatMap((t) => crud(t, ['read'])),
    ...LEDGER_TYPES.flatMap((t) => crud(t, ['read'], [UID.complaint, UID.survey, UID.smsMessage].includes(t as any) ? { excludeFields: PHONE_FIELDS } : {})),
    { action: ACTION.read },
    { action: ACTION.history },
    { action: ACTION.verify },
    // Reads the outbox and the opt-out list, phones masked.
    { action: ACTION.smsRead },
    { action: ACTION.spotCheckRead },
    { action: ACTION.monthCloseRead },
    { action: ACTION.settingsRead },
    ...transitions('countyLeader'),
  ],
};
