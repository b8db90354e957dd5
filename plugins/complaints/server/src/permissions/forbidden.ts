/** Content Manager permissions no role gets, not even Super Admin: the ledger is never deleted. */
import { UID } from '../constants';

export const FORBIDDEN_CM_PERMISSIONS: ReadonlyArray<readonly [string, string]> = [
  ['plugin::content-manager.explorer.delete', UID.complaint],
  ['plugin::content-manager.explorer.create', UID.event],
  ['plugin::content-manager.explorer.update', UID.event],
  ['plugin::content-manager.explorer.delete', UID.event],
  ['plugin::content-manager.explorer.publish', UID.event],
  ['plugin::content-manager.explorer.create', UID.ledgerDigest],
  ['plugin::content-manager.explorer.update', UID.ledgerDigest],
  ['plugin::content-manager.explorer.delete', UID.ledgerDigest],
  ['plugin::content-manager.explorer.create', UID.jobRun],
  ['plugin::content-manager.explorer.update', UID.jobRun],
  ['plugin::content-manager.explorer.delete', UID.jobRun],
];

export const isForbiddenPermission = (p: { action: string; subject?: string | null }): boolean =>
  FORBIDDEN_CM_PERMISSIONS.some(([action, subject]) => p.action === action && p.subject === subject);
