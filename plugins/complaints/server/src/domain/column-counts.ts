/**
 * The filter module's counts over columns held in memory (services/stats-columns.ts): the same
 * filters, dimensions, scope and order as the SQL of services/complaint-query.ts
 * `countComplaints`, evaluated over one typed array per column instead of the table's rows. At
 * a province's scale a grouped count is then one pass over a few arrays (milliseconds) instead
 * of a read of the table's heap (hundreds of milliseconds at 1,000,000 complaints).
 *
 * Each categorical column is a code per complaint and a dictionary of its values (code 0 is "no
 * value", which no filter value matches, as SQL's IN never matches NULL). A filter becomes a
 * table of the codes it admits; a day range becomes bounds on instants (the county's midnights,
 * as the SQL binds them) or on days (the deadline, a calendar day). The scope is `maySeeIn`, the
 * rule of `maySee`, per complaint. A ledger-number prefix is not answered here (`COLUMN_UNSERVED`):
 * the SQL answers it. A keyword is answered only when it is one of the common pieces the store
 * holds a flag for (`keywords`, domain/keyword.ts `commonPieces`), each a bitset over the
 * complaints of the rows that contain it as the keyword index finds them; any other keyword is
 * answered by the SQL and its index, which finds a rare word at once.
 */
import { addDays, monthsBetween, startOfDayUtc } from './calendar';
import { keywordQuery } from './keyword';
import type { ComplaintState } from './complaint-state';
import { statesOfValidity, type CountsRequest, type Dimension, type FilterName, type Filters, type ParsedFilter } from './filters';
import { maySeeIn, type ComplaintScope } from './workflow';

/** The columns of the store, by the name the filters and dimensions use. */
export const CATEGORICAL = [
  'state', 'responsibleUnit', 'leadUnit', 'minorCategory', 'majorCategory', 'town', 'village', 'channel', 'importBatch',
  'invalidReason', 'level', 'nature', 'problemGroup', 'mode', 'warningLevel', 'traceable', 'reopened', 'satisfaction',
  'spotCheck', 'monthReceived', 'monthClosed',
] as const;
export type CategoricalColumn = (typeof CATEGORICAL)[number];
export const INSTANTS = ['receivedAt', 'closedAt'] as const;

/** The filters whose values are not columns of the store (a keyword is, when it is a held piece: `keywordHeld`). */
export const COLUMN_UNSERVED: readonly FilterName[] = ['ledgerNo'];

export interface Dictionary {
  /** values[code]; values[0] is null (no value). */
  values: Array<string | null>;
  codes: Map<string, number>;
}

export interface ComplaintColumns {
  n: number;
  /** The complaints' ids, ascending (the order of every column). */
  ids: Uint32Array;
  /** For each common piece held, a bitset over the complaints: bit i is set when complaint i's content contains it. */
  keywords: Map<string, Uint32Array>;
  codes: Record<CategoricalColumn, Uint16Array | Uint32Array>;
  dictionaries: Record<CategoricalColumn, Dictionary>;
  /** Epoch milliseconds; NaN for none. */
  instants: Record<(typeof INSTANTS)[number], Float64Array>;
  /** The deadline's calendar day as UTC midnight in epoch milliseconds; NaN for none. */
  deadline: Float64Array;
}

/** A dictionary-building column writer. */
class ColumnBuilder {
  private readonly dict: Dictionary = { values: [null], codes: new Map() };
  private codes: number[] = [];

  push(value: string | null): void {
    if (value === null) {
      this.codes.push(0);
      return;
    }
    let code = this.dict.codes.get(value);
    if (code === undefined) {
      code = this.dict.values.length;
      this.dict.values.push(value);
      this.dict.codes.set(value, code);
    }
    this.codes.push(code);
  }

  build(): { codes: Uint16Array | Uint32Array; dictionary: Dictionary } {
    const codes = this.dict.values.length <= 0xffff ? Uint16Array.from(this.codes) : Uint32Array.from(this.codes);
    this.codes = [];
    return { codes, dictionary: this.dict };
  }
}

/** One complaint as the loader reads it (services/stats-columns.ts). */
export interface ComplaintRecord {
  id: number;
  state: string;
  responsibleUnitId: number | null;
  leadUnitId: number | null;
  categoryCode: string | null;
  majorCategoryCode: string | null;
  town: string | null;
  village: string | null;
  channel: string | null;
  importBatch: string | null;
  /** null: unknown (counted as not traceable, as the SQL does). */
  traceable: boolean | null;
  invalidReason: string | null;
  level: string | null;
  nature: string | null;
  problemGroupId: number | null;
  mode: string | null;
  warningLevel: string | null;
  receivedAt: Date | null;
  closedAt: Date | null;
  /** YYYY-MM-DD. */
  deadline: string | null;
  reopenCount: number | null;
}

/** The county month of each instant (NaN: none), as the SQL's CASE over the months' first instants cuts it. */
const monthsOf = (instants: Float64Array, timeZone: string): Array<string | null> => {
  let [lo, hi] = [Infinity, -Infinity];
  for (const t of instants) {
    if (Number.isNaN(t)) continue;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (lo === Infinity) return Array.from(instants, () => null);
  const months = monthsBetween(new Date(lo), new Date(hi), timeZone).sort(([, a], [, b]) => a.getTime() - b.getTime());
  const starts = months.map(([, d]) => d.getTime());
  return Array.from(instants, (t) => {
    if (Number.isNaN(t)) return null;
    let [a, b] = [0, starts.length - 1];
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (starts[m] <= t) a = m;
      else b = m - 1;
    }
    return months[a][0];
  });
};

const idText = (v: number | null) => (v === null ? null : String(v));

/** Builds the columns one complaint at a time (a million complaints are never held as objects). */
export class ComplaintColumnsBuilder {
  private readonly columns = Object.fromEntries(CATEGORICAL.map((c) => [c, new ColumnBuilder()])) as Record<CategoricalColumn, ColumnBuilder>;
  private readonly ids: number[] = [];
  private readonly received: number[] = [];
  private readonly closed: number[] = [];
  private readonly deadlines: number[] = [];

  add(r: ComplaintRecord): void {
    const c = this.columns;
    this.ids.push(r.id);
    c.state.push(r.state);
    c.responsibleUnit.push(idText(r.responsibleUnitId));
    c.leadUnit.push(idText(r.leadUnitId));
    c.minorCategory.push(r.categoryCode);
    c.majorCategory.push(r.majorCategoryCode);
    c.town.push(r.town);
    c.village.push(r.village);
    c.channel.push(r.channel);
    c.importBatch.push(r.importBatch);
    // As the SQL reads them: not traceable is false or unknown; not reopened is 0 or unknown.
    c.traceable.push(r.traceable === true ? 'true' : 'false');
    c.reopened.push((r.reopenCount ?? 0) > 0 ? 'true' : 'false');
    c.invalidReason.push(r.invalidReason);
    c.level.push(r.level);
    c.nature.push(r.nature);
    c.problemGroup.push(idText(r.problemGroupId));
    c.mode.push(r.mode);
    c.warningLevel.push(r.warningLevel);
    this.received.push(r.receivedAt ? r.receivedAt.getTime() : NaN);
    this.closed.push(r.closedAt ? r.closedAt.getTime() : NaN);
    this.deadlines.push(r.deadline ? Date.parse(`${r.deadline}T00:00:00Z`) : NaN);
  }

  /**
   * The columns, with each complaint's latest survey answer (none: `unanswered`) and latest
   * spot-check result, and its months received and closed in `timeZone`.
   */
  build(opts: { timeZone: string; latestAnswer: (complaintId: number) => string | null; latestCheck: (complaintId: number) => string | null }): ComplaintColumns {
    const c = this.columns;
    for (const id of this.ids) {
      c.satisfaction.push(opts.latestAnswer(id) ?? 'unanswered');
      c.spotCheck.push(opts.latestCheck(id));
    }
    const instants = { receivedAt: Float64Array.from(this.received), closedAt: Float64Array.from(this.closed) };
    for (const m of monthsOf(instants.receivedAt, opts.timeZone)) c.monthReceived.push(m);
    for (const m of monthsOf(instants.closedAt, opts.timeZone)) c.monthClosed.push(m);
    const built = Object.fromEntries(CATEGORICAL.map((k) => [k, c[k].build()])) as Record<CategoricalColumn, ReturnType<ColumnBuilder['build']>>;
    return {
      n: this.ids.length,
      ids: Uint32Array.from(this.ids),
      keywords: new Map(),
      codes: Object.fromEntries(CATEGORICAL.map((k) => [k, built[k].codes])) as ComplaintColumns['codes'],
      dictionaries: Object.fromEntries(CATEGORICAL.map((k) => [k, built[k].dictionary])) as ComplaintColumns['dictionaries'],
      instants,
      deadline: Float64Array.from(this.deadlines),
    };
  }
}

/** The column a filter reads, where it is a plain value (the rest are handled by name). */
const FILTER_COLUMN: Partial<Record<FilterName, CategoricalColumn>> = {
  channel: 'channel', town: 'town', village: 'village', importBatch: 'importBatch', invalidReason: 'invalidReason',
  majorCategory: 'majorCategory', minorCategory: 'minorCategory', level: 'level', leadUnit: 'leadUnit',
  responsibleUnit: 'responsibleUnit', nature: 'nature', problemGroup: 'problemGroup', mode: 'mode', state: 'state',
  warningLevel: 'warningLevel', satisfaction: 'satisfaction', spotCheck: 'spotCheck', traceable: 'traceable', reopened: 'reopened',
};

const DIMENSION_COLUMN: Record<Dimension, CategoricalColumn> = {
  unit: 'responsibleUnit', leadUnit: 'leadUnit', majorCategory: 'majorCategory', minorCategory: 'minorCategory', town: 'town',
  monthReceived: 'monthReceived', monthClosed: 'monthClosed', state: 'state', mode: 'mode', warningLevel: 'warningLevel',
  channel: 'channel', nature: 'nature',
};
const NUMERIC_DIMENSIONS: readonly Dimension[] = ['unit', 'leadUnit'];

type Check = (i: number) => boolean;

const admitting = (columns: ComplaintColumns, column: CategoricalColumn, values: readonly string[]): Check => {
  const dict = columns.dictionaries[column];
  const admits = new Uint8Array(dict.values.length);
  for (const v of values) {
    const code = dict.codes.get(v);
    if (code !== undefined) admits[code] = 1;
  }
  const codes = columns.codes[column];
  return (i) => admits[codes[i]] === 1;
};

const inRange = (values: Float64Array, from: number | null, toExclusive: number | null): Check => {
  if (from !== null && toExclusive !== null) return (i) => values[i] >= from && values[i] < toExclusive;
  if (from !== null) return (i) => values[i] >= from;
  if (toExclusive !== null) return (i) => values[i] < toExclusive;
  return () => true;
};

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** One filter as a check of complaint i; null for a filter the store cannot answer. */
const checkOf = (columns: ComplaintColumns, f: ParsedFilter, timeZone: string): Check | null => {
  switch (f.name) {
    case 'ledgerNo':
      return null;
    case 'keyword': {
      if (f.kind !== 'text') return null;
      const q = keywordQuery(f.value);
      if (q.kind === 'all') return () => true;
      const bits = columns.keywords.get(q.needle);
      return bits ? (i) => (bits[i >>> 5] & (1 << (i & 31))) !== 0 : null;
    }
    case 'validity':
      return f.kind === 'enum' ? admitting(columns, 'state', f.values.flatMap(statesOfValidity)) : null;
    case 'traceable':
    case 'reopened':
      return f.kind === 'bool' ? admitting(columns, f.name, [String(f.value)]) : null;
    case 'deadline':
      if (f.kind !== 'day-range') return null;
      return inRange(columns.deadline, f.from ? dayMs(f.from) : null, f.to ? dayMs(addDays(f.to, 1)) : null);
    case 'receivedAt':
    case 'closedAt':
      if (f.kind !== 'day-range') return null;
      return inRange(columns.instants[f.name], f.from ? startOfDayUtc(f.from, timeZone).getTime() : null, f.to ? startOfDayUtc(addDays(f.to, 1), timeZone).getTime() : null);
    default: {
      const column = FILTER_COLUMN[f.name];
      if (!column) return null;
      if (f.kind === 'exact' || f.kind === 'enum') return admitting(columns, column, f.values);
      if (f.kind === 'id') return admitting(columns, column, f.values.map(String));
      return null;
    }
  }
};

/** Whether a keyword is answered by the store: empty once normalised, or one of the pieces it holds. */
export const keywordHeld = (needle: string, held: ReadonlySet<string> | ReadonlyMap<string, unknown>): boolean => {
  const q = keywordQuery(needle);
  return q.kind === 'all' || held.has(q.needle);
};

/** Whether the store answers these filters (every one is a column of it; a keyword, one of the pieces `held`). */
export const columnsAnswer = (filters: Filters, held: ReadonlySet<string> | ReadonlyMap<string, unknown> = new Set()): boolean =>
  Object.entries(filters).every(
    ([name, f]) => !f || (name === 'keyword' ? f.kind === 'text' && keywordHeld(f.value, held) : !COLUMN_UNSERVED.includes(name as FilterName))
  );

/** The index of complaint `id` in `columnIds` (ascending), -1 where it is not there. */
const indexIn = (columnIds: Uint32Array, id: number): number => {
  let [a, b] = [0, columnIds.length - 1];
  while (a <= b) {
    const m = (a + b) >>> 1;
    if (columnIds[m] === id) return m;
    if (columnIds[m] < id) a = m + 1;
    else b = m - 1;
  }
  return -1;
};

/** An empty bitset over `n` complaints. */
export const emptyBits = (n: number): Uint32Array => new Uint32Array(Math.ceil(n / 32));

/** Sets in `bits` the bit of each complaint id of `matches` that is one of `columnIds` (others are ignored). */
export const setBits = (bits: Uint32Array, columnIds: Uint32Array, matches: Iterable<number>): Uint32Array => {
  for (const id of matches) {
    const i = indexIn(columnIds, id);
    if (i >= 0) bits[i >>> 5] |= 1 << (i & 31);
  }
  return bits;
};

/**
 * A bitset over the complaints of a new load (`newIds`) holding the bits of the previous load's
 * (`oldIds`, `oldBits`) for the complaints both hold: a content never changes, so a complaint's
 * flags are read from the database once.
 */
export const carryBits = (oldIds: Uint32Array, oldBits: Uint32Array, newIds: Uint32Array): Uint32Array => {
  const bits = emptyBits(newIds.length);
  let j = 0;
  for (let i = 0; i < oldIds.length; i += 1) {
    if ((oldBits[i >>> 5] & (1 << (i & 31))) === 0) continue;
    while (j < newIds.length && newIds[j] < oldIds[i]) j += 1;
    if (j < newIds.length && newIds[j] === oldIds[i]) bits[j >>> 5] |= 1 << (j & 31);
  }
  return bits;
};

/** The smallest id of `newIds` that `oldIds` does not hold (both ascending), or null when there is none. */
export const firstNewId = (oldIds: Uint32Array, newIds: Uint32Array): number | null => {
  let j = 0;
  for (let i = 0; i < newIds.length; i += 1) {
    while (j < oldIds.length && oldIds[j] < newIds[i]) j += 1;
    if (j >= oldIds.length || oldIds[j] !== newIds[i]) return newIds[i];
  }
  return null;
};

export interface ColumnCountRow {
  [key: string]: string | number | null;
  count: number;
}

/** The order of every count answer: largest first, then by the keys in turn, no key last. */
export const sortCounts = <R extends ColumnCountRow>(data: R[], by: readonly Dimension[]): R[] =>
  data.sort((a, b) => {
    if (b.count !== a.count) return b.count - a.count;
    for (const d of by) {
      const [x, y] = [a[d], b[d]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });

/**
 * The grouped counts of the complaints `scope` admits under `request.filters`: largest first,
 * then by the keys (no key last), as `countComplaints` orders them.
 */
export const countColumns = (columns: ComplaintColumns, request: CountsRequest, scope: ComplaintScope, timeZone: string): { data: ColumnCountRow[]; total: number } => {
  const checks: Check[] = [];
  for (const f of Object.values(request.filters)) {
    if (!f) continue;
    const check = checkOf(columns, f, timeZone);
    if (!check) throw new Error(`[complaints] the statistics columns do not answer the filter ${f.name}`);
    checks.push(check);
  }
  if (!scope.all) {
    const states = columns.dictionaries.state.values;
    const units = columns.dictionaries.responsibleUnit.values;
    const leads = columns.dictionaries.leadUnit.values;
    const [s, u, l] = [columns.codes.state, columns.codes.responsibleUnit, columns.codes.leadUnit];
    const view = { state: 'received' as ComplaintState, responsibleUnitId: null as number | null, leadUnitId: null as number | null };
    checks.push((i) => {
      view.state = states[s[i]] as ComplaintState;
      view.responsibleUnitId = u[i] === 0 ? null : Number(units[u[i]]);
      view.leadUnitId = l[i] === 0 ? null : Number(leads[l[i]]);
      return maySeeIn(scope, view);
    });
  }
  const dims = request.by.map((d) => ({ d, codes: columns.codes[DIMENSION_COLUMN[d]], dict: columns.dictionaries[DIMENSION_COLUMN[d]] }));
  const width = dims.length === 2 ? dims[1].dict.values.length : 1;
  const cells = new Float64Array((dims[0]?.dict.values.length ?? 1) * width);
  const [first, second] = [dims[0]?.codes, dims[1]?.codes];
  const n = columns.n;
  const k = checks.length;
  for (let i = 0; i < n; i += 1) {
    let admitted = true;
    for (let j = 0; j < k; j += 1) {
      if (!checks[j](i)) {
        admitted = false;
        break;
      }
    }
    if (!admitted) continue;
    cells[(first ? first[i] : 0) * width + (second ? second[i] : 0)] += 1;
  }
  const data: ColumnCountRow[] = [];
  for (let cell = 0; cell < cells.length; cell += 1) {
    if (cells[cell] === 0) continue;
    const row: ColumnCountRow = { count: cells[cell] };
    const codes = dims.length === 2 ? [Math.floor(cell / width), cell % width] : [cell];
    dims.forEach(({ d, dict }, j) => {
      const v = dict.values[codes[j]];
      row[d] = v === null ? null : NUMERIC_DIMENSIONS.includes(d) ? Number(v) : v;
    });
    data.push(row);
  }
  sortCounts(data, request.by);
  return { data, total: data.reduce((t, r) => t + r.count, 0) };
};
