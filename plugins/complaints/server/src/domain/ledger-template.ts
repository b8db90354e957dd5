/**
 * The ledger template (台账模板) and how a sheet's header is recognised: the template's Chinese
 * headers, the aliases clerks and other systems use (Chinese and English), a header that is not
 * on row 1, and a header split over two rows by merged cells.
 */

export const IMPORT_FIELDS = ['ledgerNo', 'receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** The template's headers, in the template's order. */
export const TEMPLATE_HEADERS: Record<ImportField, string> = {
  ledgerNo: '诉求编号',
  receivedAt: '反映时间',
  channel: '来源',
  complainantName: '反映人',
  phone: '联系电话',
  town: '乡镇',
  village: '村(社区)',
  address: '详细地址',
  content: '诉求内容',
};

export const FIELD_LABELS_EN: Record<ImportField, string> = {
  ledgerNo: 'ledger no.',
  receivedAt: 'received at',
  channel: 'channel',
  complainantName: 'name',
  phone: 'phone',
  town: 'town',
  village: 'village',
  address: 'address',
  content: 'content',
};

/** Columns a sheet must have: without them no row could be imported. */
export const REQUIRED_FIELDS: readonly ImportField[] = ['ledgerNo', 'receivedAt', 'content'];

/** Accepted header names besides the template's own (compared after normalizeHeader). */
export const HEADER_ALIASES: Record<ImportField, readonly string[]> = {
  ledgerNo: ['诉求编号', '编号', '台账编号', '诉求单号', '工单编号', '工单号', '案件编号', '登记编号', 'ledger no', 'ledger number', 'ledgerNo', 'ledger_no', 'case no', 'reference', 'ref no'],
  receivedAt: ['反映时间', '反映日期', '受理时间', '受理日期', '登记时间', '登记日期', '来访时间', '来电时间', '收到时间', '时间', '日期', 'received at', 'receivedAt', 'received', 'received date', 'date', 'time'],
  channel: ['来源', '反映渠道', '渠道', '来源渠道', '诉求来源', '反映方式', 'channel', 'source'],
  complainantName: ['反映人', '反映人姓名', '姓名', '诉求人', '来访人', '联系人', '群众姓名', 'name', 'complainant', 'complainant name', 'citizen'],
  phone: ['联系电话', '电话', '联系方式', '手机', '手机号', '手机号码', '电话号码', '联系号码', 'phone', 'telephone', 'tel', 'mobile', 'contact', 'contact phone', 'phone number'],
  town: ['乡镇', '乡镇(街道)', '乡镇街道', '所属乡镇', '镇街', '街道', 'town', 'township'],
  village: ['村(社区)', '村社区', '村/社区', '村(居)', '村居', '村', '社区', '所属村', '行政村', 'village', 'community', 'village/community'],
  address: ['详细地址', '地址', '住址', '家庭住址', '具体地址', 'address', 'detailed address'],
  content: ['诉求内容', '反映内容', '内容', '诉求', '问题描述', '具体诉求', '主要诉求', '反映问题', 'content', 'demand', 'complaint', 'description', 'details'],
};

/**
 * A header cell in one comparable form: full-width to half-width, no whitespace, no required
 * markers (*, 必填), lower case, and no separators in Latin names ("Ledger No." = "ledgerno").
 */
export const normalizeHeader = (label: unknown): string => {
  if (label === null || label === undefined) return '';
  let s = String(label).normalize('NFKC').toLowerCase();
  s = s.replace(/[\s\u200b\ufeff]+/g, '');
  s = s.replace(/[([]?(必填|选填|可选|必须)[)\]]?/g, '');
  s = s.replace(/^[*#]+|[*:#]+$/g, '');
  if (/^[a-z0-9 _.\-/]+$/.test(s)) s = s.replace(/[_.-]/g, '');
  return s;
};

const ALIAS_INDEX: Map<string, ImportField> = (() => {
  const m = new Map<string, ImportField>();
  for (const field of IMPORT_FIELDS) {
    for (const alias of [TEMPLATE_HEADERS[field], ...HEADER_ALIASES[field]]) {
      const key = normalizeHeader(alias);
      if (!m.has(key)) m.set(key, field);
    }
  }
  return m;
})();

export const fieldForHeader = (label: unknown): ImportField | null => ALIAS_INDEX.get(normalizeHeader(label)) ?? null;

/** Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA. */
export const columnLetter = (index: number): string => {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

export interface ColumnMap {
  /** 0-based column index. */
  index: number;
  /** The header text as written (whitespace collapsed), or 列X when the header cell is blank. */
  label: string;
  /** Unique key of this column in rawRow. */
  key: string;
  field: ImportField | null;
}

export interface DetectedHeader {
  /** Index (in the rows given) of the header row, and of the first data row. */
  headerIndex: number;
  dataIndex: number;
  columns: ColumnMap[];
  byField: Partial<Record<ImportField, number>>;
}

export type HeaderDetection =
  | { ok: true; header: DetectedHeader }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'no_header' }
  | { ok: false; reason: 'missing_required'; missing: ImportField[] };

/** How many rows at the top of a sheet are searched for the header. */
export const HEADER_SEARCH_ROWS = 30;

type Cells = ReadonlyArray<string | null | undefined>;

const isBlank = (v: string | null | undefined) => v === null || v === undefined || String(v).trim() === '';

const recognised = (row: Cells): Map<number, ImportField> => {
  const m = new Map<number, ImportField>();
  const seen = new Set<ImportField>();
  row.forEach((cell, i) => {
    const f = isBlank(cell) ? null : fieldForHeader(cell);
    if (f && !seen.has(f)) {
      m.set(i, f);
      seen.add(f);
    }
  });
  return m;
};

const cleanLabel = (v: string | null | undefined): string => (isBlank(v) ? '' : String(v).replace(/\s+/g, ' ').trim());

/**
 * Finds the header among the first rows of a sheet: the row naming the most template fields
 * (at least two). A following row made only of header names (a header split by merged cells,
 * e.g. 反映人信息 over 反映人 | 联系电话) completes it; its names win for their columns.
 */
export const detectHeader = (rows: ReadonlyArray<Cells>): HeaderDetection => {
  const scan = rows.slice(0, HEADER_SEARCH_ROWS);
  if (scan.every((r) => r.every(isBlank))) return { ok: false, reason: 'empty' };
  let best = -1;
  let bestCount = 1;
  scan.forEach((row, i) => {
    const n = recognised(row).size;
    if (n > bestCount) {
      best = i;
      bestCount = n;
    }
  });
  if (best < 0) return { ok: false, reason: 'no_header' };

  const top = scan[best];
  const fields = recognised(top);
  const labels = top.map(cleanLabel);
  let dataIndex = best + 1;
  const next = scan[best + 1];
  if (next && !next.every(isBlank) && next.every((c) => isBlank(c) || fieldForHeader(c) !== null)) {
    const sub = recognised(next);
    for (const [col, field] of sub) {
      for (const [c, f] of fields) if (f === field && c !== col) fields.delete(c);
      fields.set(col, field);
      labels[col] = cleanLabel(next[col]);
    }
    dataIndex = best + 2;
  }

  const width = Math.max(top.length, next ? next.length : 0);
  const columns: ColumnMap[] = [];
  const used = new Map<string, number>();
  const byField: Partial<Record<ImportField, number>> = {};
  for (let i = 0; i < width; i += 1) {
    const label = labels[i] || `列${columnLetter(i)}`;
    const n = (used.get(label) ?? 0) + 1;
    used.set(label, n);
    const field = fields.get(i) ?? null;
    if (field) byField[field] = i;
    columns.push({ index: i, label, key: n === 1 ? label : `${label}(${n})`, field });
  }
  const missing = REQUIRED_FIELDS.filter((f) => byField[f] === undefined);
  if (missing.length > 0) return { ok: false, reason: 'missing_required', missing };
  return { ok: true, header: { headerIndex: best, dataIndex, columns, byField } };
};
