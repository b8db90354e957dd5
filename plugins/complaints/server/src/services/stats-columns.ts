/**
 * The statistics columns: the complaint columns the filter module counts by, held in memory
 * by each instance as one typed array per column (domain/column-counts.ts), so that a grouped
 * count at a province's scale is one pass over a few arrays instead of a read of the table.
 *
 *   - Loaded from the database in slices of 10,000 complaints (ordered by id), with each
 *     complaint's latest survey answer (domain/satisfaction.ts `latestAnswers`) and latest spot
 *     check (domain/spot-check.ts `latestCheckResults`), the months received and closed cut in
 *     the county's zone as the SQL cuts them. About 40 bytes per complaint: 40 MB at 1,000,000.
 *   - Reloaded by every instance on its own timer (`statistics.columnsRefreshMinutes`, by default
 *     every 10 minutes, the warning job's slot), not by a claimed job: each instance holds its
 *     own copy. A reload replaces the copy at once when it is complete; a failed one keeps the
 *     previous copy, which then ages out.
 *   - A flag per complaint for each common piece of the contents (domain/keyword.ts
 *     `commonPieces`: up to `statistics.keywordPieces` runs of 2 to 4 Chinese characters found in
 *     at least 2 % of a sample of 2,000 contents drawn with a fixed seed), as bitsets. A piece's
 *     complaints are found by the filter module's own keyword condition (services/keyword.ts,
 *     through the keyword index), so a flag means exactly what the SQL's keyword filter means.
 *     A content never changes: a
 *     reload carries the flags over and asks the index only about the complaints it has not seen.
 *     The pieces are chosen again when the ledger has grown by half since they were chosen. The
 *     contents are read only for the sample and never kept; the pieces are never logged.
 *   - Answers GET /stats/counts while it is no older than `statistics.rollupMaxAgeMinutes`, was
 *     loaded in the county's current zone, and every filter is one of its columns, a keyword
 *     only when it is one of its pieces (domain/rate-rollup.ts `columnsLiveReason`); otherwise
 *     the SQL answers, as it always does before the first load.
 */
import type { Core } from '@strapi/strapi';
import { TABLE } from '../constants';
import { toCalendarDay } from '../domain/calendar';
import { carryBits, ComplaintColumnsBuilder, countColumns, emptyBits, firstNewId, setBits, type ComplaintColumns } from '../domain/column-counts';
import { COMMON_PIECES, commonPieces, piecesStillStand, sampleIndices } from '../domain/keyword';
import type { CountsRequest } from '../domain/filters';
import { columnsLiveReason, type LiveReason } from '../domain/rate-rollup';
import { latestAnswers, type SurveyFact } from '../domain/satisfaction';
import { latestCheckResults, type CheckResult } from '../domain/spot-check';
import { complaintScope, type ActorContext } from '../domain/workflow';
import { getConfig, safeDbError } from '../utils';
import { toDate, type CountsResult } from './complaint-query';
import { keywordCondition } from './keyword';

/** Complaints read per query: each slice is turned into columns between two reads, so a load never holds the event loop for long. */
const SLICE = 10_000;

/** Ids bound per query (SQLite allows 999 parameters). */
const ID_CHUNK = 500;

const COLUMNS = [
  'id', 'state', 'responsible_unit_id', 'lead_unit_id', 'category_code', 'major_category_code', 'town', 'village', 'channel',
  'import_batch', 'traceable', 'invalid_reason', 'level', 'nature', 'problem_group_id', 'mode', 'warning_level', 'received_at',
  'closed_at', 'deadline', 'reopen_count',
];

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const id = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const truthy = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't' || v === 'true');

interface Store {
  columns: ComplaintColumns;
  loadedAt: Date;
  timeZone: string;
  tookMs: number;
  /** The number of complaints when the pieces were chosen. */
  piecesChosenAt: number;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  let store: Store | null = null;
  let loading: Promise<Store> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const load = async (now: Date): Promise<Store> => {
    const started = Date.now();
    const timeZone = getConfig(strapi).timeZone;
    const builder = new ComplaintColumnsBuilder();
    let last = 0;
    for (;;) {
      const rows = (await knex()(TABLE.complaint).select(COLUMNS).where('id', '>', last).orderBy('id').limit(SLICE)) as Array<Record<string, unknown>>;
      for (const r of rows) {
        builder.add({
          id: Number(r.id),
          state: String(r.state),
          responsibleUnitId: id(r.responsible_unit_id),
          leadUnitId: id(r.lead_unit_id),
          categoryCode: text(r.category_code),
          majorCategoryCode: text(r.major_category_code),
          town: text(r.town),
          village: text(r.village),
          channel: text(r.channel),
          importBatch: text(r.import_batch),
          traceable: truthy(r.traceable),
          invalidReason: text(r.invalid_reason),
          level: text(r.level),
          nature: text(r.nature),
          problemGroupId: id(r.problem_group_id),
          mode: text(r.mode),
          warningLevel: text(r.warning_level),
          receivedAt: toDate(r.received_at),
          closedAt: toDate(r.closed_at),
          deadline: toCalendarDay(r.deadline),
          reopenCount: r.reopen_count === null || r.reopen_count === undefined ? null : Number(r.reopen_count),
        });
      }
      if (rows.length < SLICE) break;
      last = Number(rows[rows.length - 1].id);
    }
    const surveys = (await knex()(TABLE.survey).where('status', 'answered').whereNotNull('answer').select('complaint_id', 'round', 'status', 'answer', 'answered_at', 'id')) as any[];
    const answers = latestAnswers(
      surveys.map(
        (s): SurveyFact => ({ complaintId: Number(s.complaint_id), round: Number(s.round ?? 1), status: s.status, answer: s.answer, answeredAt: toDate(s.answered_at), id: Number(s.id) })
      )
    );
    const checks = (await knex()(TABLE.spotCheck).select('complaint_id', 'month', 'id', 'result')) as any[];
    const results = latestCheckResults(checks.map((k) => ({ complaintId: Number(k.complaint_id), month: String(k.month), id: Number(k.id), result: k.result as CheckResult })));
    const columns = builder.build({ timeZone, latestAnswer: (c) => answers.get(c) ?? null, latestCheck: (c) => results.get(c) ?? null });
    const piecesChosenAt = await flagPieces(columns, store);
    return { columns, loadedAt: now, timeZone, tookMs: Date.now() - started, piecesChosenAt };
  };

  /** The contents of a sample of the complaints (domain/keyword.ts `sampleIndices`), for choosing the pieces: never kept. */
  const sampleContents = async (ids: Uint32Array): Promise<string[]> => {
    const picked = sampleIndices(ids.length, COMMON_PIECES.sample).map((i) => ids[i]);
    const out: string[] = [];
    for (let i = 0; i < picked.length; i += ID_CHUNK) {
      const rows = (await knex()(TABLE.complaint).whereIn('id', picked.slice(i, i + ID_CHUNK)).select('content')) as Array<{ content: unknown }>;
      for (const r of rows) if (typeof r.content === 'string') out.push(r.content);
    }
    return out;
  };

  /**
   * Sets `columns.keywords`: a bitset for each common piece, carried over from the previous load
   * (`previous`) where it held the piece, completed from the keyword index for the complaints it
   * did not hold. Returns the number of complaints when the pieces were chosen.
   */
  const flagPieces = async (columns: ComplaintColumns, previous: Store | null): Promise<number> => {
    const max = getConfig(strapi).statistics?.keywordPieces ?? 256;
    if (max === 0 || columns.n === 0) return 0;
    const keep = previous !== null && piecesStillStand({ chosenAt: previous.piecesChosenAt, held: previous.columns.keywords.size, n: columns.n, max });
    const pieces = keep ? [...previous.columns.keywords.keys()] : commonPieces(await sampleContents(columns.ids), { minShare: COMMON_PIECES.minShare, max, maxLength: COMMON_PIECES.maxLength });
    const chosenAt = keep ? previous.piecesChosenAt : columns.n;
    const lastId = columns.ids[columns.n - 1];
    const fresh = previous ? firstNewId(previous.columns.ids, columns.ids) : columns.ids[0];
    for (const piece of pieces) {
      const before = previous?.columns.keywords.get(piece);
      const bits = before ? carryBits(previous!.columns.ids, before, columns.ids) : emptyBits(columns.n);
      const from = before ? fresh : columns.ids[0];
      if (from !== null) {
        const q = knex()(TABLE.complaint).where('id', '>=', from).where('id', '<=', lastId).select('id');
        keywordCondition(q, 'content', piece);
        const rows = (await q) as Array<{ id: unknown }>;
        setBits(bits, columns.ids, rows.map((r) => Number(r.id)));
      }
      columns.keywords.set(piece, bits);
    }
    return chosenAt;
  };

  const service = {
    /**
     * Loads the columns again (one load at a time: a call during a load waits for it). `now` is
     * the instant the copy is said to hold: the load's start.
     */
    async refresh(opts: { now?: Date } = {}): Promise<{ complaints: number; tookMs: number; loadedAt: Date }> {
      if (!loading) {
        loading = load(opts.now ?? new Date())
          .then((s) => (store = s))
          .catch((e) => {
            throw safeDbError(e, 'statistics columns');
          })
          .finally(() => {
            loading = null;
          });
      }
      const s = await loading;
      return { complaints: s.columns.n, tookMs: s.tookMs, loadedAt: s.loadedAt };
    },

    /** The counts from the columns, or null with the reason the SQL must answer. */
    counts(request: CountsRequest, actor: ActorContext, now: Date = new Date()): { result: CountsResult | null; reason: LiveReason | null; asOf: Date | null } {
      const cfg = getConfig(strapi).statistics;
      const reason = columnsLiveReason({
        enabled: cfg?.columns ?? true,
        loaded: store ? { loadedAt: store.loadedAt, timeZone: store.timeZone } : null,
        filters: request.filters,
        now,
        timeZone: getConfig(strapi).timeZone,
        maxAgeMs: (cfg?.rollupMaxAgeMinutes ?? 15) * 60_000,
        keywords: store?.columns.keywords,
      });
      if (reason !== null || !store) return { result: null, reason: reason ?? 'none', asOf: null };
      const { data, total } = countColumns(store.columns, request, complaintScope(actor), store.timeZone);
      return { result: { data, meta: { total, by: request.by } }, reason: null, asOf: store.loadedAt };
    },

    /** Starts the reloads: one now (in the background) and one every `columnsRefreshMinutes`. */
    start() {
      const cfg = getConfig(strapi).statistics;
      if (!(cfg?.columns ?? true) || timer) return;
      const every = (cfg?.columnsRefreshMinutes ?? 10) * 60_000;
      const run = () => service.refresh().catch((e: Error) => strapi.log.error(`[complaints] the statistics columns were not loaded: ${e.message}`));
      void run();
      timer = setInterval(run, every);
      timer.unref?.();
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await loading?.catch(() => undefined);
    },

    /** What is held (for /complaints/info): complaints, common pieces flagged, when loaded, how long it took. */
    status(): { complaints: number; keywordPieces: number; loadedAt: string; tookMs: number } | null {
      return store ? { complaints: store.columns.n, keywordPieces: store.columns.keywords.size, loadedAt: store.loadedAt.toISOString(), tookMs: store.tookMs } : null;
    },
  };
  return service;
};
