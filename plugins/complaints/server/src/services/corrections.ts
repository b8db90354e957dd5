/**
 * Corrections of original fields (更正). The original stays exactly as received; the corrected
 * value lives in the private corrections table, and the public chain records only that a
 * correction happened and a hash of it.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { DomainError } from '../domain/errors';
import { canonicalJson, sha256Hex, type Actor } from '../domain/history-chain';
import { CORRECTABLE_FIELDS, type CorrectableField } from '../domain/original-fields';
import { parsePhone } from '../domain/phone';
import { getService, inTransaction } from '../utils';

export { CORRECTABLE_FIELDS, type CorrectableField };

const CHANNELS = ['visit', 'hotline', 'letter', 'web', 'sms', 'meeting', 'other'];

/** Validates a correction request; returns the value to store. Pure, so it is easy to test. */
export const validateCorrection = (input: { field?: unknown; value?: unknown; reason?: unknown }): { field: CorrectableField; value: string; reason: string } => {
  const field = String(input.field ?? '');
  if (!(CORRECTABLE_FIELDS as readonly string[]).includes(field)) {
    throw new DomainError('validation', 'correction_field', `不能更正字段「${field}」`, `Field "${field}" cannot be corrected`, { field, allowed: [...CORRECTABLE_FIELDS] });
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 2) throw new DomainError('validation', 'correction_reason', '请填写更正原因', 'A reason is required', { field });
  const value = typeof input.value === 'string' ? input.value.trim() : input.value === null || input.value === undefined ? '' : String(input.value);
  if (!value) throw new DomainError('validation', 'correction_value', '请填写更正后的值', 'The corrected value is required', { field });
  if (field === 'phone') {
    const p = parsePhone(value);
    if (p.kind !== 'mobile' && p.kind !== 'landline') throw new DomainError('validation', 'correction_phone', '更正后的电话号码无效', 'The corrected phone number is not valid', { field });
    return { field, value: p.normalized!, reason };
  }
  if (field === 'receivedAt' && Number.isNaN(new Date(value).getTime())) {
    throw new DomainError('validation', 'correction_date', '更正后的时间无效', 'The corrected time is not valid', { field });
  }
  if (field === 'channel' && !CHANNELS.includes(value)) {
    throw new DomainError('validation', 'correction_channel', '来源应为 visit/hotline/letter/web/sms/meeting/other', 'Channel must be one of visit, hotline, letter, web, sms, meeting, other', { field });
  }
  return { field: field as CorrectableField, value, reason };
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async add(complaintDocumentId: string, input: { field?: unknown; value?: unknown; reason?: unknown }, actor?: Actor) {
    const { field, value, reason } = validateCorrection(input);
    const complaint = (await strapi.db.query(UID.complaint as any).findOne({
      where: { documentId: complaintDocumentId },
      select: ['id', 'ledgerNo', 'state', 'traceable'],
    })) as { id: number; ledgerNo: string; state: string; traceable: unknown } | null;
    if (!complaint) throw new DomainError('not_found', 'complaint_not_found', '诉求不存在', 'Complaint not found');
    const who = actor ?? (await getService('actors', strapi).current());
    const at = new Date();
    const hash = sha256Hex(canonicalJson({ ledgerNo: complaint.ledgerNo, field, value, reason, byId: who.id ?? null, at: at.toISOString() }));
    return inTransaction(strapi, async (trx) => {
      const row = await strapi.db.query(UID.correction as any).create({
        data: { complaint: complaint.id, complaintId: complaint.id, field, value, reason, byId: who.id ?? null, byName: who.name ?? null, at, hash },
      });
      const changes: Record<string, { from: boolean; to: boolean }> = {};
      const wasTraceable = complaint.traceable === true || complaint.traceable === 1;
      if (field === 'phone' && !wasTraceable) {
        // Traceability follows the contact that will actually be used.
        await trx('complaints').where('id', complaint.id).update({ traceable: true });
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
