/**
 * The ledger export (issue 15, item 1): the month's rectification ledger 整改台账 or any filtered
 * list, streamed as xlsx (exceljs `stream.xlsx.WorkbookWriter`) to a writable: an HTTP response
 * or a file. Rows come from the filter module (services/complaint-query.ts `scopedComplaints`,
 * under the caller's scope), a page at a time by id (EXPORT_PAGE), with their measure, evidence, sign-offs,
 * survey answer and spot check read per page (the next page while one is written); memory does
 * not grow with the ledger.
 *
 * Sheets: 整改台账 (the rows, frozen header, column widths), 单位汇总 (one line per responsible
 * unit, counted as the rows stream by), 导出说明 (what the file holds, for whom), and any
 * appendix sheets the caller adds (the month close's frozen figures).
 */
import type { Writable } from 'stream';
import type { Core } from '@strapi/strapi';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { isPostgres } from '../database/migrations/dialect';
import { actorContextOf, seesEveryComplaint, seesFullPhone } from '../domain/actor';
import { calendarDay, startOfDayUtc, toCalendarDay } from '../domain/calendar';
import { projectForRole } from '../domain/complaint-projection';
import type { Filters } from '../domain/filters';
import { FILTERS } from '../domain/filters';
import {
  LEDGER_COLUMNS, SUMMARY_COLUMNS, addToSummary, cellValue, exportFileName, labels, monthWindow, signCell, summaryLines,
  type AppendixSheet, type ExportRequest, type LedgerRow, type UnitSummary,
} from '../domain/ledger-export';
import { snapshotSheets } from '../domain/month-close';
import { ROLE_CODES } from '../domain/roles';
import { latestAnswers, type SurveyFact } from '../domain/satisfaction';
import type { ActorContext } from '../domain/workflow';
import { getConfig, getService } from '../utils';
import { collectGarbage } from '../utils/collect-garbage';
import { scopedComplaints, toDate, type QueryContext } from './complaint-query';
import type { AdminUserLike } from './access';

const T = TABLE.complaint;
const c = (name: string) => `${T}.${name}`;
/**
 * Rows per page. Two pages are held at a time (one written, the next read meanwhile), with their
 * related rows; small pages keep that small, so little of it lives long enough to be promoted
 * out of V8's young generation (which is what grows the process).
 */
export const EXPORT_PAGE = 250;
/**
 * With `export.explicitGc`: a full garbage collection (utils/collect-garbage.ts) before an export
 * of more than GC_FIRST_ROWS rows (it gives back what the process had left since its last one),
 * then every GC_EVERY_ROWS rows. A collection takes about 0.1 s, too much for a list of a few pages.
 */
const GC_FIRST_ROWS = 2_000;
const GC_EVERY_ROWS = 20_000;

/**
 * `column` is one of `ids`, bound as one value: an integer array on PostgreSQL, a JSON array on
 * SQLite (read by json_each).
 */
const oneOf = (knex: Knex, column: string, ids: number[]): [string, Knex.RawBinding[]] =>
  isPostgres(knex) ? ['?? = ANY(?::integer[])', [column, `{${ids.join(',')}}`]] : ['?? IN (SELECT value FROM json_each(?))', [column, JSON.stringify(ids)]];

const COLUMNS = [
  'id', 'ledger_no', 'received_at', 'channel', 'complainant_name', 'phone', 'town', 'village', 'address', 'content', 'state',
  'category_code', 'major_category_code', 'level', 'lead_unit_id', 'responsible_unit_id', 'problem_group_id', 'nature', 'mode',
  'deadline', 'warning_level', 'completed_at', 'closed_at', 'reopen_count',
].map((n) => c(n));

/** `HH:mm` of each minute of a day. */
const CLOCK = Array.from({ length: 1440 }, (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const DAY_MS = 86_400_000;

/**
 * Instants as the county reads them, `YYYY-MM-DD HH:mm` local time (an export formats six
 * instants a row, so Intl is asked once per UTC day, not per instant). The zone's offset is cached
 * per UTC day: its offset at the day's start and at the next day's start, and where they differ,
 * the minute it changes (found by halving the day). Zones whose offset or changes fall on the half
 * hour (Asia/Kolkata in the 1940s, America/St_Johns every year) are then right to the minute.
 */
export const instantFormatter = (timeZone: string) => {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  /** The zone's offset (local wall time − UTC, ms) at a whole minute. */
  const offsetAt = (minute: number): number => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(minute)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - minute;
  };
  const offsets = new Map<number, { change: number; before: number; after: number }>();
  const offsetOf = (ms: number): number => {
    const day = Math.floor(ms / DAY_MS);
    let o = offsets.get(day);
    if (o === undefined) {
      const start = day * DAY_MS;
      const before = offsetAt(start);
      const after = offsetAt(start + DAY_MS);
      let change = start + DAY_MS;
      if (before !== after) {
        // The first minute of the day with the new offset.
        let lo = start;
        while (change - lo > 60_000) {
          const mid = lo + Math.floor((change - lo) / 120_000) * 60_000;
          if (offsetAt(mid) === before) lo = mid;
          else change = mid;
        }
      }
      offsets.set(day, (o = { change, before, after }));
    }
    return ms < o.change ? o.before : o.after;
  };
  const days = new Map<number, string>();
  return (v: unknown): string | null => {
    const d = toDate(v);
    const ms = d ? d.getTime() : NaN;
    if (Number.isNaN(ms)) return null;
    const local = ms + offsetOf(ms);
    const day = Math.floor(local / DAY_MS);
    let text = days.get(day);
    if (text === undefined) {
      text = new Date(day * DAY_MS).toISOString().slice(0, 10);
      days.set(day, text);
    }
    return `${text} ${CLOCK[Math.floor((local - day * DAY_MS) / 60_000)]}`;
  };
};

/** The complaints of a month's ledger (domain/ledger-export.ts `monthWindow`): valid, received before its end, not closed before its start. */
const narrowToMonth = (q: Knex.QueryBuilder, month: string, timeZone: string): void => {
  const w = monthWindow(month);
  q.whereNotIn(c('state'), ['received', 'invalid'])
    .where(c('received_at'), '<', startOfDayUtc(w.next, timeZone))
    .where((b) => b.whereNull(c('closed_at')).orWhere(c('closed_at'), '>=', startOfDayUtc(w.first, timeZone)));
};

export interface ExportPlan {
  /** Rows the export will hold (counted at the start; rows that change meanwhile may differ). */
  rows: number;
  fileName: string;
  /** Writes the workbook to `out` and ends it; resolves with the rows written. */
  write: (out: Writable, opts?: { onProgress?: (rows: number) => void }) => Promise<number>;
}

export interface ExportOptions {
  /** Who the file is for, as its 说明 sheet says (the CLI: the county office). */
  audience: string;
  appendix?: AppendixSheet[];
  now?: Date;
  /** Full garbage collections during a large export (setting `export.explicitGc`; GC_FIRST_ROWS, GC_EVERY_ROWS). */
  explicitGc?: boolean;
}

/**
 * A row of plain cells, each through `cellValue` (formula escaping), empty ones left out
 * (exceljs writes nothing for an unstyled empty cell either way); returns about how many bytes
 * of XML it makes. The cells share one style object: exceljs's style registry recognises a
 * style it has seen by identity, and otherwise renders every cell's own (empty) style to XML to
 * look it up, which was a third of the export's time.
 */
const PLAIN_STYLE: Partial<ExcelJS.Style> = Object.freeze({});
const addPlainRow = (ws: ExcelJS.Worksheet, values: ReadonlyArray<string | number | null | undefined>): number => {
  let bytes = 0;
  const cells: Array<string | number | undefined> = new Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const v = cellValue(values[i]);
    if (v === null) continue;
    bytes += typeof v === 'string' ? 45 + 3 * v.length : 30;
    cells[i] = v;
  }
  const row = ws.addRow(cells);
  // A row's own style (not in exceljs's typings) is looked up the same way.
  (row as ExcelJS.Row & { style: Partial<ExcelJS.Style> }).style = PLAIN_STYLE;
  row.eachCell((cell) => {
    cell.style = PLAIN_STYLE;
  });
  row.commit();
  return bytes;
};

/**
 * The zip's compression runs on another thread but takes one 64 KB piece of a sheet's XML per
 * turn of the event loop, and exceljs buffers whatever it has not taken yet (it does not pass
 * back pressure on). So the writer lets the loop turn about every 32 KB of XML it writes (a cell
 * is some 45 bytes of markup and up to 3 bytes a character): the XML is compressed while the rows
 * are made, on the other core, instead of piling up in memory until the end.
 */
const TURN_BYTES = 32 * 1024;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Resolves when `out` can take more (so a slow client holds back the database reads, not memory). */
const drained = (out: Writable) => (out.writableNeedDrain ? new Promise<void>((resolve) => out.once('drain', () => resolve())) : Promise.resolve());

const filterText = (filters: Filters): string => {
  const parts: string[] = [];
  for (const def of FILTERS) {
    const f = filters[def.name];
    if (!f) continue;
    const v = 'values' in f ? f.values.join(',') : 'value' in f ? String(f.value) + ('prefix' in f && f.prefix ? '*' : '') : `${f.from ?? ''}..${f.to ?? ''}`;
    parts.push(`${def.label.zh}（${def.name}）= ${v}`);
  }
  return parts.join('；') || '无';
};

/**
 * Plans an export for an actor: counts its rows now and returns the writer. `fullPhones` comes
 * from the actor's roles (domain/actor.ts); the rows pass through the one projection.
 */
export const planExport = async (knex: Knex, request: ExportRequest, actor: ActorContext, ctx: QueryContext, opts: ExportOptions): Promise<ExportPlan> => {
  const now = opts.now ?? new Date();
  const base = () => {
    const q = scopedComplaints(knex, request.filters, actor, ctx);
    if (request.month) narrowToMonth(q, request.month, ctx.timeZone);
    return q;
  };
  const counted = (await base().count({ n: '*' }).first()) as { n: number | string } | undefined;
  const rows = Number(counted?.n ?? 0);
  const fullPhones = seesFullPhone(actor);
  const fileName = exportFileName(request.month, calendarDay(now, ctx.timeZone));

  const write = async (out: Writable, wopts: { onProgress?: (rows: number) => void } = {}): Promise<number> => {
    const at = instantFormatter(ctx.timeZone);
    const unitNames = new Map<number, string>();
    for (const u of (await knex(TABLE.unit).select('id', 'name')) as Array<{ id: number; name: string }>) unitNames.set(Number(u.id), u.name);
    const categoryNames = new Map<string, string>();
    for (const k of (await knex(TABLE.category).select('code', 'name')) as Array<{ code: string; name: string }>) categoryNames.set(k.code, k.name);
    const categoryLabels = new Map<string, string>();
    const category = (code: string | null) => {
      if (!code) return null;
      let text = categoryLabels.get(code);
      if (text === undefined) categoryLabels.set(code, (text = `${code} ${categoryNames.get(code) ?? ''}`.trim()));
      return text;
    };
    const unit = (id: unknown) => (id === null || id === undefined ? null : unitNames.get(Number(id)) ?? `#${id}`);

    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'Minyi';
    const sheet = wb.addWorksheet('整改台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = LEDGER_COLUMNS.map((col) => ({ header: col.header, width: col.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();

    type Sign = { signerName: string | null; signedAt: string | null; decision: string };
    /**
     * A page of ledger rows by id (keyset), with what they show of their measures, evidence,
     * sign-offs, surveys and spot checks: one query per related table, the page's ids bound as
     * one value (a few hundred placeholders each would be parsed and planned every page).
     */
    const readPage = async (after: number) => {
      const rows = (await base().select(COLUMNS).where(c('id'), '>', after).orderBy(c('id')).limit(EXPORT_PAGE)) as Array<Record<string, any>>;
      if (rows.length === 0) return null;
      const ids = rows.map((r) => Number(r.id));
      const of = (table: string, column = 'complaint_id', keys: number[] = ids) => knex(table).whereRaw(...oneOf(knex, `${table}.${column}`, keys));

      const measures = new Map<number, { version: number; text: string | null; responsible_person: string | null }>();
      for (const m of (await of(TABLE.measure).select('complaint_id', 'version', 'text', 'responsible_person')) as any[]) {
        const prev = measures.get(Number(m.complaint_id));
        if (!prev || Number(m.version) > prev.version) measures.set(Number(m.complaint_id), { version: Number(m.version), text: m.text ?? null, responsible_person: m.responsible_person ?? null });
      }
      const aspects = new Map<number, string[]>();
      for (const e of (await of(TABLE.evidence).select('complaint_id', 'aspect')) as any[]) {
        const list = aspects.get(Number(e.complaint_id)) ?? [];
        list.push(e.aspect);
        aspects.set(Number(e.complaint_id), list);
      }
      // The latest round's decision per step (a rejected round is followed by a new one).
      const signs = new Map<number, { round: number; steps: Map<string, Sign> }>();
      for (const s of (await of(TABLE.signOff).select('complaint_id', 'round', 'step', 'decision', 'signer_name', 'signed_at', 'id').orderBy('id')) as any[]) {
        const id = Number(s.complaint_id);
        const round = Number(s.round ?? 1);
        let entry = signs.get(id);
        if (!entry || round > entry.round) signs.set(id, (entry = { round, steps: new Map() }));
        if (round === entry.round) entry.steps.set(s.step, { signerName: s.signer_name ?? null, signedAt: at(s.signed_at), decision: s.decision });
      }
      const surveyFacts: SurveyFact[] = ((await of(TABLE.survey).where('status', 'answered').select('complaint_id', 'round', 'status', 'answer', 'answered_at', 'id')) as any[]).map((s) => ({
        complaintId: Number(s.complaint_id), round: Number(s.round ?? 1), status: s.status, answer: s.answer, answeredAt: toDate(s.answered_at), id: Number(s.id),
      }));
      const answers = latestAnswers(surveyFacts);
      const checks = new Map<number, { month: string; id: number; result: string; finding: string | null }>();
      for (const k of (await of(TABLE.spotCheck).select('complaint_id', 'month', 'id', 'result', 'finding')) as any[]) {
        const prev = checks.get(Number(k.complaint_id));
        if (!prev || k.month > prev.month || (k.month === prev.month && Number(k.id) > prev.id)) checks.set(Number(k.complaint_id), { month: k.month, id: Number(k.id), result: k.result, finding: k.finding ?? null });
      }
      const groupIds = [...new Set(rows.map((r) => r.problem_group_id).filter((v) => v !== null && v !== undefined).map(Number))];
      const groups = new Map<number, string>();
      if (groupIds.length) for (const g of (await of(TABLE.problemGroup, 'id', groupIds).select('id', 'code', 'name')) as any[]) groups.set(Number(g.id), [g.code, g.name].filter(Boolean).join(' '));
      return { rows, measures, aspects, signs, answers, checks, groups };
    };

    const summary = new Map<number | null, UnitSummary>();
    let written = 0;
    if (opts.explicitGc && rows > GC_FIRST_ROWS) collectGarbage();
    let sinceTurn = 0;
    // The next page is read while this one is written: the database's time overlaps the workbook's.
    let next = readPage(0);
    for (;;) {
      const page = await next;
      if (!page) break;
      const { rows, measures, aspects, signs, answers, checks, groups } = page;
      next = rows.length < EXPORT_PAGE ? Promise.resolve(null) : readPage(Number(rows[rows.length - 1].id));
      // Awaited at the top of the loop; a failure meanwhile is that await's (not an unhandled rejection).
      next.catch(() => undefined);

      for (const r of rows) {
        const id = Number(r.id);
        const m = measures.get(id);
        const s = signs.get(id)?.steps;
        const k = checks.get(id);
        const answer = answers.get(id) ?? null;
        const row: LedgerRow = {
          ledgerNo: r.ledger_no,
          receivedAt: at(r.received_at),
          channel: labels.channel(r.channel),
          complainantName: r.complainant_name ?? null,
          phone: r.phone ?? null,
          town: r.town ?? null,
          village: r.village ?? null,
          address: r.address ?? null,
          content: r.content ?? null,
          state: labels.state(r.state),
          majorCategory: category(r.major_category_code ?? null),
          minorCategory: category(r.category_code ?? null),
          level: labels.level(r.level),
          leadUnit: unit(r.lead_unit_id),
          responsibleUnit: unit(r.responsible_unit_id),
          nature: labels.nature(r.nature),
          problemGroup: r.problem_group_id ? groups.get(Number(r.problem_group_id)) ?? null : null,
          mode: labels.mode(r.mode),
          measure: m?.text ?? null,
          responsiblePerson: m?.responsible_person ?? null,
          deadline: toCalendarDay(r.deadline),
          warningLevel: labels.warning(r.warning_level),
          evidenceAspects: labels.aspects(aspects.get(id) ?? []),
          unitHeadSign: signCell(s?.get('unit_head')),
          leadUnitSign: signCell(s?.get('lead_unit_head')),
          countyLeaderSign: signCell(s?.get('county_leader')),
          completedAt: at(r.completed_at),
          closedAt: at(r.closed_at),
          satisfaction: labels.satisfaction(answer),
          reopenCount: Number(r.reopen_count ?? 0),
          spotCheck: k ? labels.spotCheck(k.month, k.result, k.finding) : null,
        };
        // The one projection (masked phones for the roles that see them masked).
        const shown = projectForRole(row, fullPhones);
        sinceTurn += addPlainRow(sheet, LEDGER_COLUMNS.map((col) => shown[col.key]));
        const unitId = r.responsible_unit_id === null || r.responsible_unit_id === undefined ? null : Number(r.responsible_unit_id);
        addToSummary(summary, { unitId, state: r.state, warningLevel: r.warning_level ?? null, satisfaction: answer, reopenCount: row.reopenCount, spotCheckResult: k?.result ?? null }, unit(unitId));
        if (sinceTurn >= TURN_BYTES) {
          sinceTurn = 0;
          await turn();
        }
      }
      written += rows.length;
      if (opts.explicitGc && written % GC_EVERY_ROWS < EXPORT_PAGE && written >= GC_EVERY_ROWS) collectGarbage();
      wopts.onProgress?.(written);
      await drained(out);
    }
    sheet.commit();

    const sum = wb.addWorksheet('单位汇总', { views: [{ state: 'frozen', ySplit: 1 }] });
    sum.columns = SUMMARY_COLUMNS.map((col) => ({ header: col.header, width: col.width }));
    sum.getRow(1).font = { bold: true };
    sum.getRow(1).commit();
    for (const line of summaryLines(summary)) addPlainRow(sum, SUMMARY_COLUMNS.map((col) => line[col.key]));
    sum.commit();

    const about = wb.addWorksheet('导出说明');
    about.columns = [{ width: 16 }, { width: 80 }];
    const pairs: Array<[string, string | number]> = [
      ['内容', request.month ? `${request.month} 整改台账（当月在办或办结的有效诉求）` : '筛选后的诉求清单'],
      ['筛选条件', filterText(request.filters)],
      ['导出时间', at(now) ?? ''],
      ['导出范围', opts.audience],
      ['联系电话', fullPhones ? '完整显示' : '已脱敏（138****1234）'],
      ['行数', written],
      ['时区', ctx.timeZone],
    ];
    for (const [k, v] of pairs) addPlainRow(about, [k, v]);
    about.commit();

    for (const extra of opts.appendix ?? []) {
      const ws = wb.addWorksheet(extra.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = extra.columns.map((col) => ({ header: col.header, width: col.width }));
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      for (const line of extra.rows) addPlainRow(ws, line);
      ws.commit();
    }
    await wb.commit();
    return written;
  };

  return { rows, fileName, write };
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const ctx = (): QueryContext => ({ timeZone: getConfig(strapi).timeZone });
  const explicitGc = () => getConfig(strapi).export.explicitGc;
  /**
   * A closed month's export carries its frozen figures and their hash (for the county-wide
   * readers: a unit's file holds its own rows, not the county's figures).
   */
  const closedMonth = async (request: ExportRequest): Promise<AppendixSheet[]> => {
    if (!request.month) return [];
    const frozen = await getService('month-closes', strapi).frozen(request.month);
    return frozen ? snapshotSheets(frozen.snapshot, frozen.text, frozen.hash) : [];
  };
  return {
    /** An export for an admin user: scoped to what they see, phones as their roles see them. */
    async plan(request: ExportRequest, user: AdminUserLike): Promise<ExportPlan> {
      const access = getService('access', strapi);
      const actor = await access.context(user);
      const units = await access.unitsOf(user.id);
      const audience = units.length ? `${units.map((u) => u.name).join('、')}（按权限范围）` : '按权限范围';
      return planExport(strapi.db.connection, request, actor, ctx(), { audience, appendix: seesEveryComplaint(actor) ? await closedMonth(request) : [], explicitGc: explicitGc() });
    },

    /** An export as the county office (the command line): every complaint, full phones. */
    async planForCounty(request: ExportRequest, opts: Partial<ExportOptions> = {}): Promise<ExportPlan> {
      return planExport(strapi.db.connection, request, actorContextOf(null, [ROLE_CODES.countyOffice], []), ctx(), { audience: '县整治办（全部诉求）', appendix: await closedMonth(request), explicitGc: explicitGc(), ...opts });
    },
  };
};
