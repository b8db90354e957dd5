/**
 * Citizen intake (问题征集) and tracking (进度查询). A demand filed on the public page is created
 * through the Document Service like every other complaint, so the complaint guard applies the
 * row rules, freezes the originals and records the `created` event (with the citizen as actor);
 * its ledger number comes from the configured online series. The tracking code is drawn here,
 * shown once and stored only as a hash. Tracking answers an unknown number and a wrong pair
 * with the same error after the same work.
 */
import { randomBytes, timingSafeEqual } from 'crypto';
import type { Core } from '@strapi/strapi';
import { COMPLAINT_UID, TABLE } from '../constants';
import { normalizeTrackingCode, trackingCodeHash, trackingCodeOf, trackNotFound, type IntakeForm, type TrackSecret } from '../domain/intake';
import { dayOf, publicTimeline, stateGroupOf, STATE_GROUP_LABELS, type StateGroup, type TimelineStep } from '../domain/public-data';
import { getConfig, getService, inTransaction, safeDbError } from '../utils';
import { asCitizenIntake } from '../utils/citizen-scope';
import { createInSeries } from './ledger-series';

export const TRACKING_TABLE = 'complaint_tracking_codes';

export interface TrackView {
  ledgerNo: string;
  state: StateGroup;
  label: { zh: string; en: string };
  receivedOn: string;
  timeline: TimelineStep[];
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const cfg = () => getConfig(strapi);

  return {
    async ensureStorage(): Promise<void> {
      const k = knex();
      if (!(await k.schema.hasTable(TRACKING_TABLE))) {
        await k.schema.createTable(TRACKING_TABLE, (t) => {
          t.integer('complaint_id').primary();
          t.string('code_hash', 64).notNullable();
          t.timestamp('created_at', { useTz: true }).notNullable();
        });
      }
    },

    /** The towns the form offers: the configured list, else the towns of the township units. */
    async towns(): Promise<string[]> {
      const configured = cfg().publicPage.towns;
      if (configured.length) return [...configured];
      const rows = (await knex()(TABLE.unit).whereNotNull('town').where('town', '<>', '').distinct('town').orderBy('town')) as Array<{ town: string }>;
      return rows.map((r) => r.town);
    },

    /** Records a demand; returns its ledger number and the tracking code (shown once, never stored). */
    async submit(form: IntakeForm, now = new Date()): Promise<{ ledgerNo: string; trackingCode: string }> {
      const { ledgerPrefix } = cfg().publicPage;
      const trackingCode = trackingCodeOf(randomBytes(10));
      const normalized = normalizeTrackingCode(trackingCode) as string;
      const ledgerNo = await createInSeries(
        strapi,
        ledgerPrefix,
        now,
        async (n) => {
          await asCitizenIntake(() =>
            strapi.db.transaction(async () => {
              const doc = await strapi.documents(COMPLAINT_UID as any).create({
                data: {
                  ledgerNo: n, receivedAt: now.toISOString(), channel: 'web', complainantName: form.name, phone: form.mobile,
                  town: form.town, village: form.village, content: form.content,
                } as any,
              });
              await inTransaction(strapi, async (trx) => {
                const row = (await trx(TABLE.complaint).where('document_id', (doc as any).documentId).first('id')) as { id: number };
                await trx(TRACKING_TABLE).insert({ complaint_id: row.id, code_hash: trackingCodeHash(n, normalized), created_at: now });
                if (form.mobile) await getService('sms', strapi).noticeRegistered(Number(row.id), form.mobile, n, now);
              });
            })
          );
          return n;
        },
        'intake'
      );
      return { ledgerNo, trackingCode };
    },

    /**
     * The state and public timeline of a demand, for its ledger number and tracking code (or the
     * last 4 digits of its phone). Unknown number and wrong secret throw the same error, after the
     * same reads and one hash comparison either way.
     */
    async track(ledgerNo: string, secret: TrackSecret): Promise<TrackView> {
      const tz = cfg().timeZone;
      try {
        const c = (await knex()(TABLE.complaint).where('ledger_no', ledgerNo).first('id', 'state', 'received_at')) as { id: number; state: string; received_at: unknown } | undefined;
        const id = c ? Number(c.id) : -1;
        let ok = false;
        if (secret.kind === 'code') {
          const stored = (await knex()(TRACKING_TABLE).where('complaint_id', id).first('code_hash')) as { code_hash: string } | undefined;
          const normalized = normalizeTrackingCode(secret.value) ?? '';
          const hash = trackingCodeHash(ledgerNo, normalized);
          ok = same(stored?.code_hash ?? '0'.repeat(64), hash) && Boolean(stored) && normalized !== '';
        } else {
          const { phone } = c ? await getService('contacts', strapi).contactPhone(id) : { phone: null };
          const tail = (phone ?? '').slice(-4);
          ok = same(tail.padStart(4, '#'), secret.value) && Boolean(phone) && tail.length === 4;
        }
        if (!c || !ok) throw trackNotFound();
        const events = (await knex()(TABLE.event).where('complaint_id', id).orderBy('seq').select('at', 'from_state', 'to_state')) as Array<{ at: unknown; from_state: unknown; to_state: unknown }>;
        const group = stateGroupOf(c.state);
        const timeline = publicTimeline(events.map((e) => ({ at: e.at, fromState: e.from_state, toState: e.to_state })), tz);
        return { ledgerNo, state: group, label: STATE_GROUP_LABELS[group], receivedOn: dayOf(c.received_at, tz) ?? '', timeline };
      } catch (e) {
        if ((e as { code?: string }).code === 'track_not_found') throw e;
        throw safeDbError(e, 'tracking');
      }
    },
  };
};
