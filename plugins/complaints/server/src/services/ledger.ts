/**
 * Verifying the ledger: recompute every complaint's hash chain against its stored head, and
 * publish a daily digest (one hash over every chain head as of a day) that anyone can later
 * recompute from an export of the events.
 */
import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { calendarDay, addDays, startOfDayUtc, isCalendarDay } from '../domain/calendar';
import { assertDigestDay, assertRecordableDay } from '../domain/digest-day';
import { DomainError } from '../domain/errors';
import { headsDigest, normalizeEvent, verifyChain, type ChainBreak } from '../domain/history-chain';
import { findUnrecordedRecords, type UnrecordedRecord } from '../domain/ledger-records-check';
import { getConfig } from '../utils';

export interface BrokenChain {
  complaintId: number;
  ledgerNo: string;
  firstBreak: ChainBreak;
}

export interface VerifyReport {
  ok: boolean;
  complaints: number;
  events: number;
  broken: BrokenChain[];
  /** Events that belong to no complaint. */
  orphanEvents: number;
  /** Measures, evidence items and sign-offs with no matching history event (first ones). */
  unrecorded: Array<UnrecordedRecord & { ledgerNo: string }>;
  unrecordedCount: number;
  /** Measures, evidence items and sign-offs of no complaint. */
  orphanRecords: number;
  triggers: { expected: string[]; present: string[]; ok: boolean };
  durationMs: number;
}

const parseData = (v: unknown): Record<string, unknown> | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return v as Record<string, unknown>;
  try {
    const parsed = JSON.parse(String(v));
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
};

const EVENT_COLUMNS = ['complaint_id', 'ledger_no', 'seq', 'type', 'actor_kind', 'actor_id', 'actor_name', 'actor_unit_id', 'actor_unit_name', 'at', 'from_state', 'to_state', 'data', 'prev_hash', 'hash'];

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Recomputes every chain. Reports the first broken link of each broken complaint. */
  async verify(opts: { pageSize?: number; onProgress?: (done: number) => void; maxBroken?: number } = {}): Promise<VerifyReport> {
    const started = Date.now();
    const knex = strapi.db.connection;
    const pageSize = opts.pageSize ?? 2000;
    const maxBroken = opts.maxBroken ?? 10_000;
    const report: VerifyReport = {
      ok: true,
      complaints: 0,
      events: 0,
      broken: [],
      orphanEvents: 0,
      unrecorded: [],
      unrecordedCount: 0,
      orphanRecords: 0,
      triggers: { expected: [], present: [], ok: true },
      durationMs: 0,
    };
    let lastId = 0;
    for (;;) {
      const heads = (await knex(TABLE.complaint)
        .select('id', 'ledger_no', 'chain_seq', 'chain_hash')
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(pageSize)) as Array<{ id: number; ledger_no: string; chain_seq: number | null; chain_hash: string | null }>;
      if (heads.length === 0) break;
      const firstId = Number(heads[0].id);
      lastId = Number(heads[heads.length - 1].id);
      const rows = (await knex(TABLE.event)
        .select(EVENT_COLUMNS)
        .whereBetween('complaint_id', [firstId, lastId])
        .orderBy([{ column: 'complaint_id' }, { column: 'seq' }])) as Array<Record<string, any>>;
      const byComplaint = new Map<number, Array<Record<string, any>>>();
      for (const r of rows) {
        const id = Number(r.complaint_id);
        let list = byComplaint.get(id);
        if (!list) byComplaint.set(id, (list = []));
        list.push(r);
      }
      const range = (table: string, columns: string[]) =>
        knex(table).select(columns).whereBetween('complaint_id', [firstId, lastId]).orderBy('id') as Promise<Array<Record<string, any>>>;
      const unrecorded = findUnrecordedRecords(
        rows.map((r) => ({ complaintId: Number(r.complaint_id), type: String(r.type), data: parseData(r.data) })),
        {
          measures: (await range(TABLE.measure, ['id', 'complaint_id', 'version'])).map((r) => ({ id: Number(r.id), complaintId: Number(r.complaint_id), version: Number(r.version) })),
          evidence: (await range(TABLE.evidence, ['id', 'complaint_id'])).map((r) => ({ id: Number(r.id), complaintId: Number(r.complaint_id) })),
          signOffs: (await range(TABLE.signOff, ['id', 'complaint_id', 'round', 'step', 'decision'])).map((r) => ({
            id: Number(r.id), complaintId: Number(r.complaint_id), round: Number(r.round), step: String(r.step), decision: String(r.decision),
          })),
        }
      );
      if (unrecorded.length > 0) {
        report.ok = false;
        report.unrecordedCount += unrecorded.length;
        const ledgerNos = new Map(heads.map((h) => [Number(h.id), h.ledger_no]));
        for (const u of unrecorded) if (report.unrecorded.length < maxBroken) report.unrecorded.push({ ...u, ledgerNo: ledgerNos.get(u.complaintId) ?? '' });
      }
      for (const h of heads) {
        const events = byComplaint.get(Number(h.id)) ?? [];
        const verdict = verifyChain(h.ledger_no, events, { seq: Number(h.chain_seq ?? 0), hash: h.chain_hash });
        report.complaints += 1;
        report.events += events.length;
        if (!verdict.ok) {
          report.ok = false;
          if (report.broken.length < maxBroken) report.broken.push({ complaintId: Number(h.id), ledgerNo: h.ledger_no, firstBreak: verdict.firstBreak! });
        }
      }
      opts.onProgress?.(report.complaints);
    }
    const orphan = await knex(TABLE.event)
      .count({ n: '*' })
      .whereNotExists(knex(TABLE.complaint).select(knex.raw('1')).whereRaw(`${TABLE.complaint}.id = ${TABLE.event}.complaint_id`));
    report.orphanEvents = Number((orphan[0] as { n: number | string }).n);
    if (report.orphanEvents > 0) report.ok = false;
    for (const table of [TABLE.measure, TABLE.evidence, TABLE.signOff]) {
      const r = await knex(table)
        .count({ n: '*' })
        .where((q: any) => q.whereNull('complaint_id').orWhereNotExists(knex(TABLE.complaint).select(knex.raw('1')).whereRaw(`${TABLE.complaint}.id = ${table}.complaint_id`)));
      report.orphanRecords += Number((r[0] as { n: number | string }).n);
    }
    if (report.orphanRecords > 0) report.ok = false;
    const triggers = (strapi.plugin('complaints').service('triggers') as any);
    const expected: string[] = triggers.expected();
    const present: string[] = await triggers.list();
    report.triggers = { expected, present, ok: expected.every((t) => present.includes(t)) };
    if (!report.triggers.ok) report.ok = false;
    report.durationMs = Date.now() - started;
    return report;
  },

  /** Every chain head as of the end of `day` (county time): [ledgerNo, seq, hash], ledgerNo order. */
  async headsAsOf(day: string): Promise<{ heads: Array<{ ledgerNo: string; seq: number; hash: string }>; events: number }> {
    if (!isCalendarDay(day)) throw new DomainError('validation', 'invalid_day', `日期格式应为 YYYY-MM-DD：${day}`, `Expected a day as YYYY-MM-DD: ${day}`);
    const knex = strapi.db.connection;
    const until = startOfDayUtc(addDays(day, 1), getConfig(strapi).timeZone);
    const heads = (await knex(`${TABLE.event} as e`)
      .join(
        knex(TABLE.event).select('complaint_id').max({ s: 'seq' }).where('at', '<', until).groupBy('complaint_id').as('m'),
        function join(this: any) {
          this.on('m.complaint_id', '=', 'e.complaint_id').andOn('m.s', '=', 'e.seq');
        }
      )
      .select('e.ledger_no', 'e.seq', 'e.hash')) as Array<{ ledger_no: string; seq: number; hash: string }>;
    const count = await knex(TABLE.event).count({ n: '*' }).where('at', '<', until);
    // Code-unit order, the same in every database and in any third party's tool.
    const sorted = heads
      .map((h) => ({ ledgerNo: h.ledger_no, seq: Number(h.seq), hash: h.hash }))
      .sort((a, b) => (a.ledgerNo < b.ledgerNo ? -1 : a.ledgerNo > b.ledgerNo ? 1 : 0));
    return { heads: sorted, events: Number((count[0] as { n: number | string }).n) };
  },

  async computeDigest(day: string): Promise<{ day: string; complaintCount: number; eventCount: number; headsHash: string }> {
    const { heads, events } = await this.headsAsOf(day);
    const d = headsDigest(heads);
    return { day, complaintCount: d.count, eventCount: events, headsHash: d.hash };
  },

  /**
   * Computes and stores the digest of a past county day (default: yesterday). A digest is
   * recorded once: recording a day again is a conflict, or, for the daily job (`ifRecorded:
   * 'keep'`), returns the stored one, so the job stays idempotent across instances.
   */
  async recordDigest(day?: unknown, opts: { now?: Date; ifRecorded?: 'refuse' | 'keep' } = {}) {
    const today = calendarDay(opts.now ?? new Date(), getConfig(strapi).timeZone);
    const d = assertRecordableDay(day === undefined ? addDays(today, -1) : day, today);
    const alreadyRecorded = (existing: unknown) => {
      if (opts.ifRecorded === 'keep') return existing;
      throw new DomainError('conflict', 'digest_recorded', `${d} 的摘要已经记录，不能重新记录`, `The digest of ${d} is already recorded; it cannot be recorded again`, { day: d });
    };
    const existing = await strapi.db.query(UID.ledgerDigest as any).findOne({ where: { day: d } });
    if (existing) return alreadyRecorded(existing);
    const digest = await this.computeDigest(d);
    try {
      return await strapi.db.query(UID.ledgerDigest as any).create({ data: { ...digest, computedAt: new Date() } });
    } catch (e) {
      // Another instance recorded the same day first (unique day).
      const again = await strapi.db.query(UID.ledgerDigest as any).findOne({ where: { day: d } });
      if (again) return alreadyRecorded(again);
      throw e;
    }
  },

  /** Recomputes a stored digest and says whether history up to that day is unchanged. */
  async checkDigest(dayInput: unknown) {
    const day = assertDigestDay(dayInput);
    const stored = await strapi.db.query(UID.ledgerDigest as any).findOne({ where: { day } });
    if (!stored) throw new DomainError('not_found', 'digest_not_found', `没有 ${day} 的摘要`, `No digest recorded for ${day}`);
    const recomputed = await this.computeDigest(day);
    return { day, stored: stored.headsHash as string, recomputed: recomputed.headsHash, ok: stored.headsHash === recomputed.headsHash && Number(stored.complaintCount) === recomputed.complaintCount };
  },

  async listDigests() {
    const rows = await strapi.db.query(UID.ledgerDigest as any).findMany({ orderBy: { day: 'asc' }, select: ['day', 'complaintCount', 'eventCount', 'headsHash', 'computedAt'] });
    return rows.map((r: any) => ({ day: String(r.day).slice(0, 10), complaintCount: Number(r.complaintCount), eventCount: Number(r.eventCount), headsHash: r.headsHash, computedAt: r.computedAt }));
  },

  /**
   * Streams every event, in chain order, as the public export: events hold no personal data
   * by design (actor names are staff names; corrections appear only as hashes).
   */
  async exportEvents(write: (line: string) => void | Promise<void>, opts: { pageSize?: number } = {}): Promise<number> {
    const knex = strapi.db.connection;
    const pageSize = opts.pageSize ?? 5000;
    let lastId = 0;
    let n = 0;
    for (;;) {
      const rows = (await knex(TABLE.event).select(['id', ...EVENT_COLUMNS]).where('id', '>', lastId).orderBy('id').limit(pageSize)) as Array<Record<string, any>>;
      if (rows.length === 0) break;
      lastId = Number(rows[rows.length - 1].id);
      for (const r of rows) {
        const e = normalizeEvent(r);
        await write(JSON.stringify({ ...e, prevHash: r.prev_hash, hash: r.hash }));
        n += 1;
      }
    }
    return n;
  },
});
