/**
 * The files the import writes: the template the county fills in, and the result report of a
 * batch (row number, ledger number, column, reason; never a citizen's personal data). Text that
 * looks like a formula is escaped (domain/spreadsheet-safety.ts).
 */
import type { Writable } from 'stream';
import ExcelJS from 'exceljs';
import { CHANNEL_LABELS, rowErrorMessage, type RowErrorCode } from '../domain/import-row';
import { FIELD_LABELS_EN, HEADER_ALIASES, IMPORT_FIELDS, REQUIRED_FIELDS, TEMPLATE_HEADERS, type ImportField } from '../domain/ledger-template';
import { SUGGESTION_MESSAGES } from '../domain/screening';
import { escapeFormula } from '../domain/spreadsheet-safety';
import type { ImportReport, ReportLine } from '../services/import-batches';

const HINTS: Record<ImportField, { zh: string; example: string }> = {
  ledgerNo: { zh: '县里自己的诉求编号，唯一；重复导入时按此编号识别', example: 'MY2024-00001' },
  receivedAt: { zh: '日期或日期时间；支持 2024-05-06、2024/5/6、2024年5月6日、2024.5.6、2024-05-06 10:30 和 Excel 日期', example: '2024/5/6' },
  channel: { zh: `${Object.values(CHANNEL_LABELS).join('、')}；留空为「其他」`, example: '走访' },
  complainantName: { zh: '可留空', example: '张三' },
  phone: { zh: '手机或带区号的座机；有有效号码的诉求为「可追溯」', example: '138 0000 0000' },
  town: { zh: '可留空', example: '城关镇' },
  village: { zh: '可留空', example: '东街社区' },
  address: { zh: '可留空', example: '东街 12 号' },
  content: { zh: '群众反映的原话，必填', example: '东街路灯坏了三个月，晚上出行不便' },
};

const bold = { bold: true } as const;

/** A sheet of a streaming workbook with its bold header row already written. */
const headedSheet = (wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Array<{ header: string; width: number }>) => {
  const ws = wb.addWorksheet(name);
  ws.columns = columns;
  ws.getRow(1).font = bold;
  ws.getRow(1).commit();
  return ws;
};

/** The import template: the ledger sheet (headers only) and a sheet explaining each column. */
export const templateWorkbook = async (): Promise<Buffer> => {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Minyi';
  const ws = wb.addWorksheet('台账');
  ws.columns = IMPORT_FIELDS.map((f) => ({
    header: TEMPLATE_HEADERS[f],
    key: f,
    width: f === 'content' ? 60 : f === 'address' ? 30 : f === 'receivedAt' ? 20 : 16,
    // Numbers kept as typed: leading zeros of phones and ledger numbers survive.
    style: f === 'ledgerNo' || f === 'phone' ? { numFmt: '@' } : {},
  }));
  ws.getRow(1).font = bold;
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const channelCol = IMPORT_FIELDS.indexOf('channel') + 1;
  for (let r = 2; r <= 5000; r += 1) {
    ws.getCell(r, channelCol).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${Object.values(CHANNEL_LABELS).join(',')}"`],
    };
  }

  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列名 Column', width: 14 },
    { header: '必填 Required', width: 12 },
    { header: '说明 Notes', width: 70 },
    { header: '示例 Example', width: 30 },
    { header: '也可用的列名 Accepted names', width: 60 },
  ];
  help.getRow(1).font = bold;
  for (const f of IMPORT_FIELDS) {
    help.addRow([
      TEMPLATE_HEADERS[f],
      REQUIRED_FIELDS.includes(f) ? '是 yes' : '否 no',
      HINTS[f].zh,
      HINTS[f].example,
      HEADER_ALIASES[f].filter((a) => a !== TEMPLATE_HEADERS[f]).join('、'),
    ]);
  }
  help.addRow([]);
  help.addRow(['表头可以不在第一行；模板以外的列原样保存在原始行中。The header may be below a title; other columns are kept verbatim.']);
  help.addRow(['诉求编号已存在的行不会重复导入；编号相同但内容不同的行报告为冲突，原记录不改动。Rows already imported are skipped; a different row with a known number is a conflict.']);
  return Buffer.from(await wb.xlsx.writeBuffer());
};


export interface ReportInput {
  code: string;
  fileName: string | null;
  sha256: string | null;
  status: string;
  failure: string | null;
  counts: Record<string, number>;
  importedByName: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  report: Omit<ImportReport, 'version'> | null;
}

const KIND_LABELS: Record<string, string> = {
  error: '错误，未导入 error, not imported',
  in_file_duplicate: '文件内重复，未导入 duplicate in file, not imported',
  already_present: '已存在，未重复导入 already present',
  conflict: '冲突，未导入，原记录未改动 conflict, not imported',
};

const COUNT_LABELS: Array<[string, string]> = [
  ['totalRows', '数据行 Data rows'],
  ['importedCount', '已导入 Imported'],
  ['alreadyPresentCount', '已存在 Already present'],
  ['conflictCount', '冲突 Conflicts'],
  ['inFileDuplicateCount', '文件内重复 Duplicates in the file'],
  ['errorCount', '错误行 Rows with errors'],
  ['suggestionCount', '甄别建议 Screening suggestions'],
];

/** The reason of a report line, in Chinese and English. */
export const lineReason = (line: ReportLine, columns: Partial<Record<ImportField, string>>): { column: string; zh: string; en: string } => {
  const [, , kind, field, code, detail] = line;
  const label = (f: ImportField) => columns[f] ?? TEMPLATE_HEADERS[f];
  switch (kind) {
    case 'error': {
      const m = rowErrorMessage({ field: field as ImportField, code: code as RowErrorCode }, columns[field as ImportField]);
      return { column: label(field as ImportField), ...m };
    }
    case 'in_file_duplicate':
      return {
        column: label('ledgerNo'),
        zh: `诉求编号与本文件第 ${detail} 行重复，本行未导入`,
        en: `Same ledger no. as row ${detail} of this file; this row was not imported`,
      };
    case 'already_present':
      return {
        column: label('ledgerNo'),
        zh: `该诉求已在台账中，内容一致${detail ? `（导入批次 ${detail}）` : ''}，未重复导入`,
        en: `Already in the ledger with the same content${detail ? ` (batch ${detail})` : ''}; not imported again`,
      };
    case 'conflict': {
      const fields = (Array.isArray(detail) ? detail : []) as ImportField[];
      return {
        column: fields.map(label).join('、'),
        zh: `诉求编号已在台账中，但「${fields.map(label).join('」「')}」与原始记录不同；本行未导入，原始记录未改动`,
        en: `The ledger no. exists with a different ${fields.map((f) => FIELD_LABELS_EN[f]).join(', ')}; this row was not imported and the stored original is unchanged`,
      };
    }
    default:
      return { column: '', zh: String(kind), en: String(kind) };
  }
};

/** Streams the report workbook of a batch to `out`. */
export const writeReportWorkbook = async (input: ReportInput, out: Writable): Promise<void> => {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const text = (v: unknown) => escapeFormula(v === null || v === undefined ? '' : v);

  const summary = wb.addWorksheet('导入结果');
  summary.columns = [{ width: 34 }, { width: 60 }];
  const addPair = (k: string, v: unknown) => summary.addRow([k, text(v)]).commit();
  addPair('批次 Batch', input.code);
  addPair('文件 File', input.fileName);
  addPair('SHA-256', input.sha256);
  addPair('状态 Status', input.status);
  addPair('导入人 Imported by', input.importedByName);
  addPair('开始 Started', input.startedAt);
  addPair('结束 Finished', input.finishedAt);
  if (input.failure) addPair('失败原因 Failure', input.failure);
  if (input.report) {
    addPair('工作表 Sheet', input.report.sheet ?? '');
    addPair('表头行 Header row', input.report.headerRow);
    addPair('模板外的列（原样保存）Other columns (kept verbatim)', input.report.extraColumns.join('、'));
  }
  for (const [key, label] of COUNT_LABELS) addPair(label, input.counts[key] ?? 0);
  summary.commit();

  const lines = headedSheet(wb, '问题行', [
    { header: '行号 Row', width: 10 },
    { header: '诉求编号 Ledger no.', width: 20 },
    { header: '结果 Result', width: 34 },
    { header: '列 Column', width: 16 },
    { header: '原因', width: 70 },
    { header: 'Reason', width: 70 },
  ]);
  for (const line of input.report?.lines ?? []) {
    const r = lineReason(line, input.report?.columns ?? {});
    lines.addRow([line[0], text(line[1]), KIND_LABELS[line[2]] ?? line[2], text(r.column), text(r.zh), text(r.en)]).commit();
  }
  lines.commit();

  const sugg = headedSheet(wb, '甄别建议', [
    { header: '行号 Row', width: 10 },
    { header: '诉求编号 Ledger no.', width: 20 },
    { header: '建议 Suggestion', width: 26 },
    { header: '疑似原诉求 Original', width: 20 },
    { header: '原因', width: 60 },
    { header: 'Reason', width: 60 },
  ]);
  for (const [row, ledgerNo, kind, reason, ref] of input.report?.suggestions ?? []) {
    const m = SUGGESTION_MESSAGES[reason];
    sugg.addRow([row, text(ledgerNo), kind === 'likely_invalid' ? '疑似无效 likely invalid' : '疑似重复 likely duplicate', text(ref ?? ''), text(m.zh), text(m.en)]).commit();
  }
  sugg.commit();
  await wb.commit();
};
