/**
 * The contact Minyi uses to follow a complaint up: the original phone, or the latest
 * correction of it. Corrections never overwrite the original (see services/corrections.ts).
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { isTraceablePhone, parsePhone } from '../domain/phone';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  isTraceable(phone: unknown): boolean {
    return isTraceablePhone(phone);
  },

  /** The latest corrected value of an original field, or the original. */
  async effectiveValue(complaintId: number, field: string): Promise<unknown> {
    const correction = (await strapi.db.query(UID.correction as any).findOne({
      where: { complaintId, field },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      select: ['value'],
    })) as { value: string } | null;
    if (correction) return correction.value;
    const row = (await strapi.db.query(UID.complaint as any).findOne({ where: { id: complaintId }, select: [field] })) as Record<string, unknown> | null;
    return row?.[field] ?? null;
  },

  /** The phone to reach the citizen on (normalised digits), honouring corrections. */
  async contactPhone(complaintId: number): Promise<{ phone: string | null; kind: string }> {
    const raw = await this.effectiveValue(complaintId, 'phone');
    const parsed = parsePhone(raw);
    return { phone: parsed.normalized, kind: parsed.kind };
  },
});
