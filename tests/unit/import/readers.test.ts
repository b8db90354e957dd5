import ExcelJS from 'exceljs';
import { sniffLedgerFile } from '../../../plugins/complaints/server/src/import/file-type';
import { openLedgerReader } from '../../../plugins/complaints/server/src/import/readers';
import { cleanupTempFiles, csvText, gb18030, tempFile, utf8 } from '../../helpers/ledger-files';

const TEXTS = ['东街路灯坏了三个月，晚上出行不便', '河口村到镇上的公交班次太少，学生上学困难', '自来水经常停水，水压不足，高处农户接不到水', '村道坑洼不平，雨后积水'];
/** Rows of Chinese text long enough that the XML spans many chunks, with characters of 3 and 4 bytes. */
const ROWS = Array.from({ length: 6000 }, (_, i) => [`R-${i + 1}`, `${TEXTS[i % TEXTS.length]}（第${i + 1}户）𠀋`, `乡镇${i % 37}`]);

const readAll = async (file: string) => {
  const reader = openLedgerReader(file, await sniffLedgerFile(file));
  const out: unknown[][] = [];
  for await (const row of reader.rows()) out.push(row.cells);
  return out;
};

describe('streaming readers keep every character', () => {
  it('reads a large workbook with Chinese shared strings exactly (exceljs splits characters between chunks)', async () => {
    const file = tempFile(Buffer.alloc(0), 'big.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const ws = wb.addWorksheet('台账');
    for (const r of ROWS) ws.addRow(r).commit();
    ws.commit();
    await wb.commit();
    const rows = await readAll(file);
    expect(rows).toHaveLength(ROWS.length);
    expect(rows.filter((r, i) => JSON.stringify(r) !== JSON.stringify(ROWS[i])).slice(0, 3)).toEqual([]);
  });

  it('reads large CSV files in UTF-8 and GB18030 exactly across read chunks', async () => {
    const text = csvText(ROWS.map((r) => r.map((c) => c.replace('𠀋', ''))));
    for (const data of [utf8(text), utf8(text, true), gb18030(text)]) {
      expect(data.length).toBeGreaterThan(256 * 1024);
      const rows = await readAll(tempFile(data, 'big.csv'));
      expect(rows.map((r) => r.join('|'))).toEqual(ROWS.map((r) => r.join('|').replace('𠀋', '')));
    }
  });

  it('refuses a "UTF-8" file that turns out not to be UTF-8 further down, rather than storing replacement characters', async () => {
    const head = utf8(csvText(ROWS.slice(0, 3000)));
    const data = Buffer.concat([head, gb18030('R-9999,东街路灯坏了\r\n')]);
    const file = tempFile(data, 'mixed.csv');
    await expect(readAll(file)).rejects.toMatchObject({ code: 'file_encoding' });
  });
});

afterAll(cleanupTempFiles);
