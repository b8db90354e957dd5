/**
 * Corrections of original fields (更正). The original stays exactly as received; the corrected
 * value lives in the private corrections table, and the public chain records only that a
 * correction happened and a hash of it.
 */
import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { correctionHash, validateCorrection } from '../domain/correction';
import { DomainError } from '../domain/errors';
import type { Actor } from '../domain/history-chain';
import { getService, inTransaction } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async add(complaintDocumentId: string, input: { field?: unknown; value?: unknown; reason?: unknown }, actor?: Actor) {
    const { field, value, reason } = validateCorrection(input);
    const complaint = (await strapi.db.query(UID.complaint as any).findOne({
      where: { documentId: complaintDocumentId },
      select: ['id', 'ledgerNo', 'state', 'traceable'],
    })) as { id: number; ledgerNo: string; state: string; traceable: unknown } | null;
    if (!complaint) throw new DomainError('not_found', 'complaint_not_found', '诉求不存在', 'Complaint not found');
    const who = actor ?? (await getService('access', strapi).current());
    const at = new Date();
    const hash = correctionHash({ ledgerNo: complaint.ledgerNo, field, value, reason, byId: who.id ?? null, at });
    return inTransaction(strapi, async (trx) => {
      const row = await strapi.db.query(UID.correction as any).create({
        data: { complaint: complaint.id, complaintId: complaint.id, field, value, reason, byId: who.id ?? null, byName: who.name ?? null, at, hash },
      });
      const changes: Record<string, { from: boolean; to: boolean }> = {};
      const wasTraceable = complaint.traceable === true || complaint.traceable === 1;
      if (field === 'phone' && !wasTraceable) {
        // Traceability follows the contact that will actually be used.
        await trx(TABLE.complaint).where('id', complaint.id).update({ traceable: true });
        changes.traceable = { from: false, to: true };
      }
      await getService('history', strapi).append(complaint.id, {
        type: 'corrected',
        actor: who,
        at,
        fromState: complaint.state,
        toState: complaint.state,
        data: { field, correctionId: row.id, correctionHash: hash, ...(Object.keys(changes).length ? { changes } : {}) },
      });
      return row as { id: number; field: string; value: string; reason: string; byName: string; at: string; hash: string };
    });
  },

  async list(complaintId: number) {
    return strapi.db.query(UID.correction as any).findMany({
      where: { complaintId },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      select: ['id', 'field', 'value', 'reason', 'byId', 'byName', 'at', 'hash'],
    });
  },
});
