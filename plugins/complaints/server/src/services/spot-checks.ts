/**
 * Spot checks 抽查 (issue 15, item 3), services side: the frame of a month (its closed
 * complaints, by responsible unit), the draw (domain/spot-check.ts `drawSample`, recorded once
 * per month with its seed), the inspector's result (a fail reopens the complaint through the
 * workflow's `reopen` verb, in the same transaction, with its history event), and the monthly
 * report per unit (JSON, or an xlsx streamed like the ledger export).
 *
 * A month is drawn once. Drawing it again with the same seed, percentage and minimum returns the
 * recorded draw unchanged (a retried request is harmless); with anything else it is refused
 * (409): a sample that could be redrawn until it suits someone would prove nothing.
 */
import type { Writable } from 'stream';
import type { Core } from '@strapi/strapi';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { TABLE, UID } from '../constants';
import { parsePositiveId } from '../domain/bad-input';
import { calendarDay, startOfDayUtc } from '../domain/calendar';
import { DomainError } from '../domain/errors';
import { cellValue } from '../domain/ledger-export';
import { monthDays } from '../domain/rates';
import {
  FINDINGS, FINDING_LABELS, drawSample, parseCheckResult, parseDrawMonth, parseDrawRequest, reopenReason, spotCheckReport,
  type CheckFact, type DrawOptions, type Finding, type FrameMember, type UnitReportRow,
} from '../domain/spot-check';
import { getConfig, getService, inTransaction, isPostgres } from '../utils';
import { instantFormatter } from './export';
import type { AdminUserLike } from './access';

const notFound = () => new DomainError('not_found', 'not_found', '抽查记录不存在', 'Spot check not found');

export interface DrawnCheck {
  id: number;
  complaintDocumentId: string;
  ledgerNo: string;
  unitId: number | null;
  unitName: string | null;
  sampleKey: string;
  /** When the complaint was closed in the month (county time), as recorded at the draw. */
  closedAt: string | null;
  state: string;
  result: string;
  finding: string | null;
  note: string | null;
  checkedByName: string | null;
  checkedAt: string | null;
}

export interface SpotCheckReport {
  month: string;
  units: Array<UnitReportRow & { unitName: string | null }>;
  total: UnitReportRow;
}

export interface MonthDraw {
  month: string;
  seed: string;
  percent: number;
  minPerUnit: number;
  drawnByName: string | null;
  drawnAt: string | null;
  units: Array<{ unitId: number | null; unitName: string | null; closed: number; drawn: number }>;
  checks: DrawnCheck[];
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const tz = () => getConfig(strapi).timeZone;
  const currentMonth = () => calendarDay(new Date(), tz()).slice(0, 7);

  const unitNames = async (k: Knex | Knex.Transaction) => {
    const names = new Map<number, string>();
    for (const u of (await k(TABLE.unit).select('id', 'name')) as any[]) names.set(Number(u.id), u.name);
    return (id: number | null) => (id === null ? null : names.get(id) ?? `#${id}`);
  };

  /** The month's closed complaints: closed now, with their closing instant in the month (county calendar). */
  /**
   * The month's closed complaints: those whose history records a closing (a step to `closed`) in
   * the month, and those closed now with their closing time in it. The history makes the frame
   * final: a complaint reopened since (by a failed check, a dissatisfied citizen) was still
   * closed in the month, so a recorded draw can be repeated from its seed at any later time.
   */
  const frame = async (k: Knex | Knex.Transaction, month: string): Promise<Array<FrameMember & { closedAt: Date | string }>> => {
    const { first, next } = monthDays(month);
    const [from, to] = [startOfDayUtc(first, tz()), startOfDayUtc(next, tz())];
    const closings = (await k(TABLE.event).where('to_state', 'closed').where('at', '>=', from).where('at', '<', to)
      .groupBy('complaint_id').select('complaint_id').max({ at: 'at' })) as any[];
    const closedAtOf = new Map(closings.map((r) => [Number(r.complaint_id), r.at]));
    const rows = (await k(TABLE.complaint)
      .where((w) => {
        w.where((now) => now.where('state', 'closed').where('closed_at', '>=', from).where('closed_at', '<', to));
        w.orWhereIn('id', k(TABLE.event).where('to_state', 'closed').where('at', '>=', from).where('at', '<', to).select('complaint_id'));
      })
      .select('id', 'ledger_no', 'responsible_unit_id', 'closed_at')
      .orderBy('id')) as any[];
    const inMonth = (v: unknown) => {
      if (v === null || v === undefined) return false;
      const t = new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string)).getTime();
      return t >= from.getTime() && t < to.getTime();
    };
    return rows.map((r) => ({
      complaintId: Number(r.id),
      ledgerNo: r.ledger_no,
      unitId: r.responsible_unit_id === null ? null : Number(r.responsible_unit_id),
      closedAt: inMonth(r.closed_at) ? r.closed_at : closedAtOf.get(Number(r.id)),
    }));
  };

  const monthDraw = async (k: Knex | Knex.Transaction, month: string): Promise<MonthDraw | null> => {
    const rows = (await k(`${TABLE.spotCheck} as k`)
      .leftJoin(`${TABLE.complaint} as c`, 'c.id', 'k.complaint_id')
      .where('k.month', month)
      .select('k.id', 'k.seed', 'k.sample_rate', 'k.min_per_unit', 'k.sample_key', 'k.unit_id', 'k.closed_at', 'k.result', 'k.finding', 'k.note', 'k.checked_by_name', 'k.checked_at', 'k.drawn_by_name', 'k.created_at', 'c.document_id', 'c.ledger_no', 'c.state')
      .orderBy('k.id')) as any[];
    if (rows.length === 0) return null;
    const name = await unitNames(k);
    const at = instantFormatter(tz());
    const first = rows[0];
    const checks: DrawnCheck[] = rows.map((r) => ({
      id: Number(r.id), complaintDocumentId: r.document_id, ledgerNo: r.ledger_no, unitId: r.unit_id === null ? null : Number(r.unit_id), unitName: name(r.unit_id === null ? null : Number(r.unit_id)),
      sampleKey: r.sample_key, closedAt: at(r.closed_at), state: r.state, result: r.result, finding: r.finding ?? null, note: r.note ?? null, checkedByName: r.checked_by_name ?? null, checkedAt: at(r.checked_at),
    }));
    const perUnit = new Map<number | null, number>();
    for (const c of checks) perUnit.set(c.unitId, (perUnit.get(c.unitId) ?? 0) + 1);
    // The frame is final once the month is over (see `frame`): each unit's closed count is that of the draw.
    const closedPerUnit = new Map<number | null, number>();
    for (const m of await frame(k, month)) closedPerUnit.set(m.unitId, (closedPerUnit.get(m.unitId) ?? 0) + 1);
    return {
      month,
      seed: first.seed,
      percent: Math.round(Number(first.sample_rate) * 100),
      minPerUnit: Number(first.min_per_unit ?? 1),
      drawnByName: first.drawn_by_name ?? null,
      drawnAt: at(first.created_at),
      units: [...perUnit.entries()].map(([unitId, drawn]) => ({ unitId, unitName: name(unitId), closed: closedPerUnit.get(unitId) ?? 0, drawn })),
      checks,
    };
  };

  const sample = async (k: Knex | Knex.Transaction, month: string, opts: DrawOptions) => {
    const members = await frame(k, month);
    const draw = drawSample(members, opts);
    const name = await unitNames(k);
    const closedAt = new Map(members.map((m) => [m.complaintId, m.closedAt]));
    return { draw, name, closedAt };
  };

  const service = {
    /**
     * The sample a draw would give, recorded nowhere: to repeat a recorded draw, or to see what
     * a seed gives. Same rules as the draw (a month that has ended).
     */
    async preview(query: Record<string, unknown>) {
      const req = parseDrawRequest({ month: query.month, seed: query.seed ?? '', percent: query.percent, minPerUnit: query.minPerUnit }, currentMonth());
      if (req.generatedSeed) throw new DomainError('validation', 'invalid_input', '请给出随机种子（seed）', 'Give the seed (seed)', { field: 'seed' });
      const { draw, name } = await sample(knex(), req.month, req);
      return {
        month: req.month, seed: req.seed, percent: req.percent, minPerUnit: req.minPerUnit,
        units: draw.units.map((u) => ({ ...u, unitName: name(u.unitId) })),
        members: draw.members.map((m) => ({ ledgerNo: m.ledgerNo, unitId: m.unitId, unitName: name(m.unitId), rank: m.rank, sampleKey: m.key })),
      };
    },

    /** Draws and records the month's sample (see the file's comment for a second draw). */
    async draw(body: unknown, user: AdminUserLike): Promise<{ created: boolean; draw: MonthDraw }> {
      const req = parseDrawRequest(body, currentMonth());
      const actor = await getService('access', strapi).actor(user);
      return inTransaction(strapi, async (trx: Knex.Transaction) => {
        // One draw per month, also with two county officers clicking at once.
        if (isPostgres(strapi)) await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`minyi-spot-check:${req.month}`]);
        const existing = await monthDraw(trx, req.month);
        if (existing) {
          if (existing.seed === req.seed && existing.percent === req.percent && existing.minPerUnit === req.minPerUnit) return { created: false, draw: existing };
          throw new DomainError('conflict', 'spot_check_drawn', `${req.month} 已抽查（随机种子 ${existing.seed}，比例 ${existing.percent}%，每单位至少 ${existing.minPerUnit} 件），不能重新抽取`, `${req.month} has been drawn (seed ${existing.seed}, ${existing.percent}%, at least ${existing.minPerUnit} per unit); it cannot be drawn again`, { month: req.month, seed: existing.seed });
        }
        const { draw, closedAt } = await sample(trx, req.month, req);
        if (draw.members.length === 0) throw new DomainError('validation', 'nothing_to_draw', `${req.month} 没有办结的诉求可抽查`, `No complaint was closed in ${req.month}`, { field: 'month' });
        const now = new Date();
        const bulk = getService('bulk', strapi);
        const ids = await bulk.insert(UID.spotCheck, draw.members.map((m) => ({
          month: req.month, seed: req.seed, sampleRate: req.percent / 100, minPerUnit: req.minPerUnit, sampleKey: m.key,
          // Recorded, not joined: a failed check reopens the complaint, which clears its closedAt.
          complaintId: m.complaintId, unitId: m.unitId, closedAt: closedAt.get(m.complaintId), result: 'pending', drawnById: actor.id ?? null, drawnByName: actor.name ?? null,
        })), { now });
        await bulk.link(UID.spotCheck, 'complaint', ids.map((id, i): [number, number] => [id, draw.members[i].complaintId]));
        return { created: true, draw: (await monthDraw(trx, req.month))! };
      });
    },

    /** The month's recorded draw and each check's result (404 when the month has not been drawn). */
    async list(query: Record<string, unknown>): Promise<MonthDraw> {
      const month = parseDrawMonth(query.month, '9999-99');
      const d = await monthDraw(knex(), month);
      if (!d) throw new DomainError('not_found', 'not_drawn', `${month} 尚未抽查`, `${month} has not been drawn`, { month });
      return d;
    },

    /**
     * Records an inspector's result. A fail reopens the complaint with the new deadline through
     * the workflow (the `reopen` verb: its checks, its event), in the same transaction as the
     * result: both are written or neither. A result is final (409 when recorded already).
     */
    async record(rawId: unknown, body: unknown, user: AdminUserLike) {
      const id = parsePositiveId(rawId);
      if (id === null) throw notFound();
      const input = parseCheckResult(body);
      const actor = await getService('access', strapi).actor(user);
      const check = (await knex()(TABLE.spotCheck).where('id', id).first('id', 'month', 'complaint_id', 'result')) as any;
      if (!check) throw notFound();
      const taken = () => new DomainError('conflict', 'already_checked', '该抽查已记录结果，不能更改', 'This spot check has its result already; it cannot be changed', { id });
      if (check.result !== 'pending') throw taken();
      const complaint = (await knex()(TABLE.complaint).where('id', check.complaint_id).first('document_id', 'ledger_no')) as any;
      const now = new Date();
      // Compare and set: of two inspectors recording at once, one wins and the other gets 409.
      const write = async (trx: Knex.Transaction) => {
        const n = await trx(TABLE.spotCheck).where({ id, result: 'pending' }).update({
          result: input.result, finding: input.finding, note: input.note, checked_by_id: actor.id ?? null, checked_by_name: actor.name ?? null, checked_at: now, updated_at: now,
        });
        if (Number(n) !== 1) throw taken();
      };
      if (input.result === 'failed') {
        const reason = reopenReason(check.month, input.finding as Finding, input.note);
        await getService('workflow', strapi).transition({ documentIds: [complaint.document_id] }, 'reopen', { reason, deadline: input.deadline }, user, { within: write });
      } else {
        await inTransaction(strapi, write);
      }
      return { id, month: check.month, ledgerNo: complaint.ledger_no, result: input.result, finding: input.finding, reopened: input.result === 'failed' };
    },

    /** The month's report per unit: drawn, checked, passed, failed, failed by finding. */
    async report(query: Record<string, unknown>): Promise<SpotCheckReport> {
      const month = parseDrawMonth(query.month, '9999-99');
      const rows = (await knex()(TABLE.spotCheck).where('month', month).select('unit_id', 'result', 'finding')) as any[];
      const facts: CheckFact[] = rows.map((r) => ({ unitId: r.unit_id === null ? null : Number(r.unit_id), result: r.result, finding: r.finding ?? null }));
      const { units, total } = spotCheckReport(facts);
      const name = await unitNames(knex());
      return { month, units: units.map((u) => ({ ...u, unitName: name(u.unitId) })), total };
    },

    /** The report as an xlsx workbook, streamed to `out`. */
    async writeReport(report: SpotCheckReport, out: Writable, seed: string | null): Promise<void> {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      wb.creator = 'Minyi';
      const ws = wb.addWorksheet('抽查情况', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = [
        { header: '责任单位', width: 24 }, { header: '抽查数', width: 9 }, { header: '已检查', width: 9 }, { header: '合格', width: 8 }, { header: '不合格', width: 9 },
        ...FINDINGS.map((f) => ({ header: `不合格：${FINDING_LABELS[f].zh}`, width: 14 })),
      ];
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      for (const u of [...report.units.map((u) => ({ ...u, unitName: u.unitName ?? '（未分配单位）' })), { ...report.total, unitName: '合计' }]) {
        ws.addRow([cellValue(u.unitName), u.drawn, u.checked, u.passed, u.failed, ...FINDINGS.map((f) => u.byFinding[f])]).commit();
      }
      ws.commit();
      const about = wb.addWorksheet('抽查说明');
      about.columns = [{ width: 16 }, { width: 90 }];
      for (const [k, v] of [
        ['月份', report.month],
        ['随机种子', seed ?? ''],
        ['抽取方法', '每件办结诉求的排序值 = SHA-256（种子 + 换行 + 诉求编号）的十六进制小写；按责任单位分层，单位内按排序值升序，取前 max(每单位最少数, ⌈办结数 × 比例⌉) 件'],
      ] as Array<[string, string]>) about.addRow([k, cellValue(v)]).commit();
      about.commit();
      await wb.commit();
    },

  };
  return service;
};
