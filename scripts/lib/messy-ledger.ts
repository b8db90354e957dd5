/**
 * A large, messy but valid ledger spreadsheet, written with exceljs's streaming writer (shared
 * strings at the end of the archive, as Excel writes them): a merged title row above the header,
 * dates in five notations, full-width and +86 phones, landlines, numbers stored as numbers,
 * trailing spaces, blank rows and three columns the template does not know. Every data row is
 * importable, so a benchmark can check that all of them arrived.
 *
 * Names and phone numbers are generated (199 numbers belong to nobody).
 */
import fs from 'fs';
import ExcelJS from 'exceljs';
import { DEMO_PLACES, DEMO_ROADS, DEMO_TEXTS, demoName, demoVillages } from '../../plugins/complaints/server/src/demo/content';
import { DEMO_TOWNS } from '../../plugins/complaints/server/src/demo/units';

export const MESSY_HEADERS = ['诉求编号', '反映时间', '来源', '反映人', '联系电话', '乡镇', '村(社区)', '详细地址', '诉求内容', '备注', '登记人', '原始编号'];

const CHANNEL_LABELS = ['走访', '热线', '信件', '网络征集', '短信', '座谈', '其他', '12345热线', '来访'];
const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
const toFullWidth = (s: string) => s.replace(/\d/g, (d) => FULL_WIDTH_DIGITS[Number(d)]);
const TEXT_KEYS = Object.keys(DEMO_TEXTS);

/** Deterministic, so two runs write the same file. */
const mulberry32 = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const excelSerial = (y: number, m: number, d: number, h = 0, mi = 0) =>
  (Date.UTC(y, m - 1, d, h, mi) - Date.UTC(1899, 11, 30)) / 86_400_000;

export interface MessyLedger {
  /** Data rows written (blank rows not counted). */
  rows: number;
  /** Rows written to the sheet, blank ones and the title included. */
  sheetRows: number;
}

/**
 * Writes `rows` data rows to `xlsxPath`. With `csvPath`, also writes the same cells as text
 * (one line per data row, RFC 4180), for a bare COPY of the same rows.
 */
export const writeMessyLedger = async (xlsxPath: string, rows: number, opts: { csvPath?: string; seed?: number } = {}): Promise<MessyLedger> => {
  const rnd = mulberry32(opts.seed ?? 20240506);
  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rnd() * arr.length)];
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxPath, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('台账');
  const csv = opts.csvPath ? fs.createWriteStream(opts.csvPath) : null;
  const csvCell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const writeCsv = async (cells: unknown[]) => {
    if (!csv) return;
    if (!csv.write(`${cells.map(csvCell).join(',')}\n`)) await new Promise<void>((r) => csv.once('drain', () => r()));
  };

  // A title merged across the header, and an empty line: the header is on row 3.
  const title = ws.addRow(['某县群众诉求台账（汇总）']);
  ws.mergeCells(1, 1, 1, MESSY_HEADERS.length);
  title.commit();
  ws.addRow([]).commit();
  ws.addRow(MESSY_HEADERS.map((h, i) => (i === 5 ? ` ${h} ` : h))).commit();
  let sheetRows = 3;

  for (let n = 1; n <= rows; n += 1) {
    if (n % 997 === 0) {
      ws.addRow([]).commit();
      sheetRows += 1;
    }
    const townIndex = Math.floor(rnd() * DEMO_TOWNS.length);
    const town = DEMO_TOWNS[townIndex];
    const village = pick(demoVillages(townIndex));
    const day = 1 + Math.floor(rnd() * 365);
    const date = new Date(Date.UTC(2024, 0, day));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const hour = 8 + Math.floor(rnd() * 10);
    const minute = Math.floor(rnd() * 60);
    const mm = String(m).padStart(2, '0');
    const dd = String(d).padStart(2, '0');
    let receivedAt: string | number;
    switch (n % 6) {
      case 0:
        receivedAt = excelSerial(y, m, d, hour, minute);
        break;
      case 1:
        receivedAt = `${y}/${m}/${d}`;
        break;
      case 2:
        receivedAt = `${y}-${mm}-${dd} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
        break;
      case 3:
        receivedAt = `${y}年${m}月${d}日`;
        break;
      case 4:
        receivedAt = `${y}.${m}.${d}`;
        break;
      default:
        receivedAt = String(excelSerial(y, m, d));
    }
    const mobile = `199${String(n).padStart(8, '0')}`;
    let phone: string | number | null;
    switch (n % 8) {
      case 0:
        phone = toFullWidth(`${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`);
        break;
      case 1:
        phone = `+86 ${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}`;
        break;
      case 2:
        phone = `0571-${String(80000000 + n).slice(-8)}`;
        break;
      case 3:
        phone = Number(mobile);
        break;
      case 4:
        phone = null;
        break;
      default:
        phone = `${mobile} `;
    }
    const text = pick(DEMO_TEXTS[pick(TEXT_KEYS)])
      .replace('{town}', town)
      .replace('{village}', village)
      .replace('{road}', pick(DEMO_ROADS))
      .replace('{place}', pick(DEMO_PLACES))
      .replace('{n}', String(1 + Math.floor(rnd() * 9)));
    const ledgerNo: string | number = n % 10 === 7 ? 2024_000_000 + n : `BJ2024-${String(n).padStart(6, '0')}`;
    const cells = [
      ledgerNo,
      receivedAt,
      pick(CHANNEL_LABELS),
      `${demoName(n)} `,
      phone,
      `${town}  `,
      village,
      `${town}${village}${1 + (n % 12)}组${1 + (n % 60)}号`,
      `${text}（登记序号${n}）`,
      n % 50 === 0 ? '=转办' : n % 3 === 0 ? '已电话核实' : null,
      pick(['王登记', '李登记', '赵登记']),
      `原${n}`,
    ];
    const row = ws.addRow(cells);
    if (typeof receivedAt === 'number') row.getCell(2).numFmt = n % 12 === 0 ? 'yyyy/m/d h:mm' : 'yyyy-mm-dd';
    row.commit();
    sheetRows += 1;
    await writeCsv(cells);
  }
  ws.commit();
  await wb.commit();
  if (csv) await new Promise<void>((resolve, reject) => csv.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { rows, sheetRows };
};
