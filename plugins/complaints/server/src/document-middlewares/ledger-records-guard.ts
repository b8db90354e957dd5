/**
 * Document Service middleware: ledger records are written only inside Minyi's own services
 * (utils/ledger-writer.ts). It refuses create, update, delete, clone, publish, unpublish and
 * discardDraft on every ledger record type from anywhere else: the Content Manager (Super
 * Admin included, single and bulk actions), the Content API, another plugin.
 */
import { LEDGER_RECORD_UIDS } from '../constants';
import { ledgerRecordWriteRefused } from '../domain/ledger-records';
import { isLedgerWriter } from '../utils/ledger-writer';
import { toStrapiError } from '../utils';

export const LAYER = 'document-middleware';

const WRITE_ACTIONS = ['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft'];

export const createLedgerRecordsGuard = () => async (ctx: any, next: () => Promise<unknown>) => {
  if (LEDGER_RECORD_UIDS.includes(ctx.uid) && WRITE_ACTIONS.includes(ctx.action) && !isLedgerWriter()) {
    const e = ledgerRecordWriteRefused(ctx.action);
    e.details.layer = LAYER;
    throw toStrapiError(e);
  }
  return next();
};
