/**
 * Content Manager permissions no role gets, not even Super Admin: the ledger is never deleted,
 * and ledger records are written only by Minyi's own routes and jobs (which record their
 * history events). Cloning needs `create`, so it is covered too.
 */
import { LEDGER_RECORD_UIDS, UID } from '../constants';

const CM = 'plugin::content-manager.explorer';
const WRITES = ['create', 'update', 'delete', 'publish'] as const;

export const FORBIDDEN_CM_PERMISSIONS: ReadonlyArray<readonly [string, string]> = [
  [`${CM}.delete`, UID.complaint],
  [`${CM}.publish`, UID.complaint],
  ...LEDGER_RECORD_UIDS.flatMap((uid) => WRITES.map((w) => [`${CM}.${w}`, uid] as const)),
];

export const isForbiddenPermission = (p: { action: string; subject?: string | null }): boolean =>
  FORBIDDEN_CM_PERMISSIONS.some(([action, subject]) => p.action === action && p.subject === subject);

/** Whether a permission concerns Minyi: a Minyi content type, or one of the plugin's actions. */
export const isMinyiPermission = (p: { action: string; subject?: string | null }): boolean =>
  p.action.startsWith('plugin::complaints.') || (typeof p.subject === 'string' && p.subject.startsWith('plugin::complaints.'));
