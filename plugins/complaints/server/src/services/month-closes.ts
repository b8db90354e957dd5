/**
 * Month close 月度封账 (issue 15, item 2), services side: the snapshot of a month's figures
 * (services/statistics.ts `rates`, per responsible unit, lead unit, category and town, as the
 * county office sees them), its recording as an append-only ledger record (a database trigger
 * refuses any update or delete, like the history's), its corrections as new versions, the
 * comparison with the live figures, and the verification of the stored versions
 * (domain/month-close.ts).
 *
 * The figures are computed before the write's transaction (SQLite has one connection, which the
 * transaction would hold); the transaction then checks that the month is still unclosed (or
 * still at the version being corrected) and writes. Two county officers closing at once: one
 * writes, the other gets 409 (the unique index on month and version backs the check).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE, UID } from '../constants';
import { actorContextOf } from '../domain/actor';
import { calendarDay } from '../domain/calendar';
import { DomainError } from '../domain/errors';
import {
  compareSnapshots, eventMayChangeFigures, FIELD_LABELS, parseClosableMonth, parseCorrectionReason, parseMonth, PROBLEM_LABELS,
  SNAPSHOT_DIMENSIONS, SNAPSHOT_FORMAT, snapshotText, verifyCloses,
  type FigureDifference, type MonthSnapshot, type SnapshotGroup, type StoredClose,
} from '../domain/month-close';
import { monthDays } from '../domain/rates';
import { ROLE_CODES } from '../domain/roles';
import { sha256Hex } from '../domain/history-chain';
import { getConfig, getService, inTransaction, isPostgres } from '../utils';
import type { AdminUserLike } from './access';
import { monthsIn, whereInCountyMonth } from './county-time';

/** The figures are the county's: computed as the county office sees them, whoever asks. */
const COUNTY = actorContextOf(null, [ROLE_CODES.countyOffice], []);

export interface CloseVersion {
  month: string;
  version: number;
  hash: string;
  previousHash: string | null;
  reason: string | null;
  complaintCount: number;
  closedByName: string | null;
  closedAt: string;
}

/** A complaint whose change after the close may explain a difference. */
export interface DifferenceCause {
  ledgerNo: string;
  documentId: string;
  /** The figure-changing events after the close, oldest first. */
  events: Array<{ type: string; at: string }>;
  /** Its response or measure deadline passed after the figures were frozen, with nothing done. */
  deadlinePassed: boolean;
  unitCode: string | null;
  leadUnitCode: string | null;
  categoryCode: string | null;
  town: string | null;
}

const notClosed = (month: string) => new DomainError('not_found', 'month_not_closed', `${month} 尚未封账`, `${month} has not been closed`, { month });

const iso = (v: unknown): string => {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) return new Date(Number(v)).toISOString();
  const s = String(v);
  return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s.replace(' ', 'T')}Z`).toISOString();
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const tz = () => getConfig(strapi).timeZone;

  const versionOf = (r: any): CloseVersion => ({
    month: r.month,
    version: Number(r.version),
    hash: r.hash,
    previousHash: r.previous_hash ?? null,
    reason: r.reason ?? null,
    complaintCount: Number(r.complaint_count),
    closedByName: r.closed_by_name ?? null,
    closedAt: iso(r.closed_at),
  });

  const rowsOf = async (k: Knex | Knex.Transaction, month: string) =>
    (await k(TABLE.monthClose).where('month', month).orderBy('version')) as any[];

  /** The month's figures now, in the snapshot's shape. */
  const figures = async (month: string, now: Date): Promise<Pick<MonthSnapshot, 'totals' | 'groups'>> => {
    const stats = getService('statistics', strapi);
    const results = await Promise.all(SNAPSHOT_DIMENSIONS.map((by) => stats.rates({ actor: COUNTY, by, month, now, exact: true })));
    const sat = (s: { denominator: number; satisfied: number; basicallySatisfied: number; dissatisfied: number }) => ({
      answered: s.denominator, satisfied: s.satisfied, basicallySatisfied: s.basicallySatisfied, dissatisfied: s.dissatisfied,
    });
    const groups = Object.fromEntries(
      SNAPSHOT_DIMENSIONS.map((dim, i) => [
        dim,
        results[i].rows.map((r): SnapshotGroup => ({ key: r.key, name: r.name, counts: { ...r.counts }, satisfaction: sat(r.rates.satisfaction) })),
      ])
    ) as MonthSnapshot['groups'];
    const t = results[0].totals;
    return { totals: { counts: { ...t.counts }, satisfaction: sat(t.rates.satisfaction) }, groups };
  };

  const write = async (opts: { month: string; user: AdminUserLike; now: Date; reason: string | null; expectVersion: number }) => {
    const { month, user, now, reason, expectVersion } = opts;
    const fig = await figures(month, now);
    const actor = await getService('access', strapi).actor(user);
    return inTransaction(strapi, async (trx: Knex.Transaction) => {
      if (isPostgres(strapi)) await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`minyi-month-close:${month}`]);
      const rows = await rowsOf(trx, month);
      const latest = rows.length ? versionOf(rows[rows.length - 1]) : null;
      if ((latest?.version ?? 0) !== expectVersion) {
        if (expectVersion === 0) {
          throw new DomainError('conflict', 'month_closed', `${month} 已封账（第 ${latest!.version} 版），不能再次封账；如需更正，请提交带理由的更正`, `${month} is closed (version ${latest!.version}); it cannot be closed again. Record a correction with a reason instead`, { month, version: latest!.version, hash: latest!.hash });
        }
        throw new DomainError('conflict', 'month_close_moved', `${month} 已有更新的版本（第 ${latest?.version ?? 0} 版），请刷新后再更正`, `${month} has a newer version (${latest?.version ?? 0}); reload before correcting`, { month, version: latest?.version ?? 0 });
      }
      const version = expectVersion + 1;
      const snapshot: MonthSnapshot = {
        format: SNAPSHOT_FORMAT,
        month,
        version,
        timeZone: tz(),
        asOf: calendarDay(now, tz()),
        closedAt: now.toISOString(),
        closedBy: actor.name ?? null,
        reason,
        previous: latest ? { version: latest.version, hash: latest.hash } : null,
        ...fig,
      };
      const text = snapshotText(snapshot);
      const hash = sha256Hex(text);
      await getService('bulk', strapi).insert(UID.monthClose, [{
        month, version, reason, snapshot: text, hash, previousHash: latest?.hash ?? null,
        complaintCount: fig.totals.counts.valid, closedById: actor.id ?? null, closedByName: actor.name ?? null, closedAt: now,
      }], { now });
      return { version: versionOf((await rowsOf(trx, month)).find((r) => Number(r.version) === version)), snapshot };
    });
  };

  /** Complaints of the month changed after `since` (events that may change a figure), or whose deadline passed since `asOf`. */
  const causes = async (month: string, since: Date, asOf: string, today: string): Promise<DifferenceCause[]> => {
    const k = knex();
    const C = TABLE.complaint;
    const inMonth = <Q extends Knex.QueryBuilder>(q: Q): Q => whereInCountyMonth(q, `${C}.received_at`, month, tz());
    const events = (await inMonth(
      k(`${TABLE.event} as ev`).join(C, `${C}.id`, 'ev.complaint_id').where('ev.at', '>', since).select('ev.complaint_id', 'ev.type', 'ev.at', 'ev.seq').orderBy([{ column: 'ev.complaint_id' }, { column: 'ev.seq' }])
    )) as any[];
    const byComplaint = new Map<number, Array<{ type: string; at: string }>>();
    for (const e of events) {
      if (!eventMayChangeFigures(String(e.type))) continue;
      const id = Number(e.complaint_id);
      if (!byComplaint.has(id)) byComplaint.set(id, []);
      byComplaint.get(id)!.push({ type: String(e.type), at: iso(e.at) });
    }
    // A clock that ran out after the figures were frozen changes "due" counts with no event.
    const lapsed = (await inMonth(
      k(C).where((w) =>
        w.where((a) => a.where(`${C}.state`, 'assigned').whereNull(`${C}.accepted_at`).where(`${C}.response_deadline`, '>=', asOf).where(`${C}.response_deadline`, '<', today))
          .orWhere((b) => b.whereIn(`${C}.state`, ['rectifying', 'signing']).whereNull(`${C}.completed_at`).where(`${C}.deadline`, '>=', asOf).where(`${C}.deadline`, '<', today))
      ).select(`${C}.id`)
    )) as any[];
    const lapsedIds = new Set(lapsed.map((r) => Number(r.id)));
    const ids = [...new Set([...byComplaint.keys(), ...lapsedIds])];
    if (ids.length === 0) return [];
    const rows = (await k(`${C} as c`)
      .leftJoin(`${TABLE.unit} as ru`, 'ru.id', 'c.responsible_unit_id')
      .leftJoin(`${TABLE.unit} as lu`, 'lu.id', 'c.lead_unit_id')
      .whereIn('c.id', ids)
      .orderBy('c.ledger_no')
      .select('c.id', 'c.ledger_no', 'c.document_id', 'c.category_code', 'c.town', 'ru.code as unit_code', 'lu.code as lead_code')) as any[];
    return rows.map((r) => ({
      ledgerNo: r.ledger_no,
      documentId: r.document_id,
      events: byComplaint.get(Number(r.id)) ?? [],
      deadlinePassed: lapsedIds.has(Number(r.id)),
      unitCode: r.unit_code ?? null,
      leadUnitCode: r.lead_code ?? null,
      categoryCode: r.category_code ?? null,
      town: r.town ?? null,
    }));
  };

  /** The causes that belong to a difference's group (every cause for the totals). */
  const causesOf = (d: FigureDifference, all: DifferenceCause[]): string[] => {
    const member = (c: DifferenceCause): boolean => {
      switch (d.dimension) {
        case 'total': return true;
        case 'unit': return c.unitCode === d.key;
        case 'leadUnit': return c.leadUnitCode === d.key;
        case 'category': return c.categoryCode === d.key;
        case 'town': return c.town === d.key;
      }
    };
    return all.filter(member).map((c) => c.ledgerNo);
  };

  const service = {
    /** Closes a month that has ended: version 1 of its snapshot. 409 when it is already closed. */
    async close(body: unknown, user: AdminUserLike, now = new Date()) {
      const b = (body ?? {}) as Record<string, unknown>;
      const month = parseClosableMonth(b.month, calendarDay(now, tz()));
      return write({ month, user, now, reason: null, expectVersion: 0 });
    },

    /**
     * A correction of a closed month: a new version computed now, with its reason, naming the
     * version it corrects. Both stay. `version` (optional) is the version being corrected: a
     * correction made on a stale page is refused (409) instead of silently correcting a newer one.
     */
    async correct(monthRaw: unknown, body: unknown, user: AdminUserLike, now = new Date()) {
      const month = parseMonth(monthRaw);
      const b = (body ?? {}) as Record<string, unknown>;
      const reason = parseCorrectionReason(b.reason);
      const rows = await rowsOf(knex(), month);
      if (!rows.length) throw notClosed(month);
      const latest = Number(rows[rows.length - 1].version);
      let expect = latest;
      if (b.version !== undefined && b.version !== null && b.version !== '') {
        const v = Number(b.version);
        if (!Number.isInteger(v) || v < 1) throw new DomainError('validation', 'invalid_input', '版本号（version）应为正整数', 'version must be a positive whole number', { field: 'version' });
        expect = v;
      }
      return write({ month, user, now, reason, expectVersion: expect });
    },

    /** Closed months (their latest version), and the ended months not yet closed. */
    async list(now = new Date()) {
      const k = knex();
      const rows = (await k(TABLE.monthClose).orderBy([{ column: 'month', order: 'desc' }, { column: 'version', order: 'desc' }])) as any[];
      const latest = new Map<string, CloseVersion & { versions: number }>();
      for (const r of rows) {
        const v = versionOf(r);
        if (!latest.has(v.month)) latest.set(v.month, { ...v, versions: v.version });
      }
      const today = calendarDay(now, tz());
      const months = (await monthsIn(k(TABLE.complaint), `${TABLE.complaint}.received_at`, tz())).map(([m]) => m);
      const open = months.filter((m) => monthDays(m).next <= today && !latest.has(m)).sort().reverse();
      return { closed: [...latest.values()], open, today, timeZone: tz() };
    },

    /**
     * A closed month: every version, the latest one's frozen figures, the same figures computed
     * now, every difference between the two, and the complaints that caused them.
     */
    async show(monthRaw: unknown, now = new Date()) {
      const month = parseMonth(monthRaw);
      const rows = await rowsOf(knex(), month);
      if (!rows.length) throw notClosed(month);
      const versions = rows.map(versionOf);
      const latest = rows[rows.length - 1];
      const frozen = JSON.parse(latest.snapshot) as MonthSnapshot;
      const live = await figures(month, now);
      const differences = compareSnapshots(frozen, live);
      const today = calendarDay(now, tz());
      const found = differences.length ? await causes(month, new Date(frozen.closedAt), frozen.asOf, today) : [];
      const problems = verifyCloses(month, rows.map(stored));
      return {
        month,
        versions,
        verified: problems.length === 0,
        frozen,
        live: { ...live, asOf: today },
        differences: differences.map((d) => ({ ...d, label: FIELD_LABELS[d.field] ?? { zh: d.field, en: d.field }, causes: causesOf(d, found) })),
        causes: found,
      };
    },

    /** Recomputes every stored version's hash and chain (domain/month-close.ts `verifyCloses`). */
    async verify(monthRaw: unknown) {
      const month = parseMonth(monthRaw);
      const rows = await rowsOf(knex(), month);
      if (!rows.length) throw notClosed(month);
      const problems = verifyCloses(month, rows.map(stored));
      return {
        month,
        ok: problems.length === 0,
        versions: rows.map((r) => ({ version: Number(r.version), hash: r.hash, recomputed: sha256Hex(String(r.snapshot)) })),
        problems: problems.map((p) => ({ ...p, ...PROBLEM_LABELS[p.kind] })),
      };
    },

    /** The latest version's snapshot of a closed month, or null (for the export). */
    async frozen(month: string): Promise<{ snapshot: MonthSnapshot; text: string; hash: string } | null> {
      const rows = await rowsOf(knex(), month);
      if (!rows.length) return null;
      const latest = rows[rows.length - 1];
      return { snapshot: JSON.parse(latest.snapshot) as MonthSnapshot, text: String(latest.snapshot), hash: latest.hash };
    },
  };

  const stored = (r: any): StoredClose => ({ month: r.month, version: Number(r.version), snapshot: String(r.snapshot), hash: r.hash, previousHash: r.previous_hash ?? null });

  return service;
};
