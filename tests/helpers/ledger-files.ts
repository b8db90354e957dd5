/**
 * Ledger files built by the tests themselves: xlsx (exceljs), CSV in UTF-8 with and without a
 * byte-order mark, GB18030 and UTF-16, and the containers the import must refuse (an encrypted
 * workbook and an old .xls are OLE compound files; a .docx is a zip without a workbook).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export type Cell = string | number | boolean | Date | null | { formula: string; result?: string | number } | { richText: Array<{ text: string }> };

export interface SheetSpec {
  name?: string;
  rows: Cell[][];
  /** Ranges to merge, e.g. 'A1:I1'. */
  merges?: string[];
  /** Number formats by 1-based column, e.g. { 2: 'yyyy-mm-dd' } to make serials look like dates. */
  numFmts?: Record<number, string>;
}

export const xlsxBuffer = async (sheets: SheetSpec | SheetSpec[]): Promise<Buffer> => {
  const wb = new ExcelJS.Workbook();
  for (const [i, spec] of (Array.isArray(sheets) ? sheets : [sheets]).entries()) {
    const ws = wb.addWorksheet(spec.name ?? `Sheet${i + 1}`);
    spec.rows.forEach((cells, r) => {
      const row = ws.getRow(r + 1);
      cells.forEach((v, c) => {
        if (v === null || v === undefined) return;
        row.getCell(c + 1).value = v as ExcelJS.CellValue;
        const fmt = spec.numFmts?.[c + 1];
        if (fmt && typeof v === 'number') row.getCell(c + 1).numFmt = fmt;
      });
      row.commit();
    });
    for (const m of spec.merges ?? []) ws.mergeCells(m);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
};

const csvCell = (v: Cell): string => {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV text as Excel writes it (CRLF line ends). */
export const csvText = (rows: Cell[][]): string => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

export const utf8 = (text: string, bom = false): Buffer => Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
export const gb18030 = (text: string): Buffer => iconv.encode(text, 'gb18030');
export const utf16le = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

/**
 * A minimal, well-formed OLE compound file (version 3, 512-byte sectors) holding empty streams
 * with the given names: EncryptionInfo + EncryptedPackage is how Office stores an xlsx with an
 * open password; Workbook is an Excel 97-2003 .xls.
 */
export const compoundFile = (streams: string[]): Buffer => {
  const SECTOR = 512;
  const header = Buffer.alloc(SECTOR, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18); // minor version
  header.writeUInt16LE(3, 0x1a); // major version
  header.writeUInt16LE(0xfffe, 0x1c); // byte order
  header.writeUInt16LE(9, 0x1e); // sector shift (512)
  header.writeUInt16LE(6, 0x20); // mini sector shift (64)
  header.writeUInt32LE(1, 0x2c); // FAT sectors
  header.writeUInt32LE(1, 0x30); // first directory sector
  header.writeUInt32LE(4096, 0x38); // mini stream cutoff
  header.writeInt32LE(-2, 0x3c); // first mini FAT sector: none
  header.writeInt32LE(-2, 0x44); // first DIFAT sector: none
  header.writeUInt32LE(0, 0x4c); // DIFAT[0]: the FAT is sector 0
  for (let i = 1; i < 109; i += 1) header.writeInt32LE(-1, 0x4c + i * 4);
  const fat = Buffer.alloc(SECTOR, 0xff);
  fat.writeInt32LE(-3, 0); // sector 0: FAT
  fat.writeInt32LE(-2, 4); // sector 1: directory, end of chain
  const dir = Buffer.alloc(SECTOR, 0);
  const entry = (i: number, name: string, type: number, child = -1, right = -1) => {
    const o = i * 128;
    const n = Buffer.from(`${name}\u0000`, 'utf16le');
    n.copy(dir, o);
    dir.writeUInt16LE(n.length, o + 0x40);
    dir.writeUInt8(type, o + 0x42);
    dir.writeUInt8(1, o + 0x43); // black
    dir.writeInt32LE(-1, o + 0x44); // left sibling
    dir.writeInt32LE(right, o + 0x48);
    dir.writeInt32LE(child, o + 0x4c);
    dir.writeInt32LE(-2, o + 0x74); // start sector: none (empty stream)
  };
  entry(0, 'Root Entry', 5, streams.length ? 1 : -1);
  streams.slice(0, 3).forEach((s, i) => entry(i + 1, s, 2, -1, i + 2 <= Math.min(streams.length, 3) ? i + 2 : -1));
  return Buffer.concat([header, fat, dir]);
};

/** A minimal zip (stored entries) — e.g. a .docx, which is not a workbook. */
export const zipFile = (entries: Array<{ name: string; data: string }>): Buffer => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.from(e.data, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
};

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8ff3f0300050001ff5c8e0d2a0000000049454e44ae426082', 'hex');

const tempDirs: string[] = [];

/** Writes a buffer to a fresh temporary file; returns its path. Remove them with cleanupTempFiles(). */
export const tempFile = (data: Buffer | string, name = 'ledger'): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-ledger-test-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
};

export const cleanupTempFiles = (): void => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
};
