/**
 * Streaming readers: rows of an xlsx workbook (exceljs's WorkbookReader: shared strings are
 * cached, styles ignored, so date cells arrive as Excel serial numbers) or of a CSV file decoded
 * from UTF-8, GB18030 (a superset of GBK) or UTF-16. Memory stays flat whatever the file's size.
 */
import fs from 'fs';
import { Transform } from 'stream';
import { StringDecoder } from 'string_decoder';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { CsvParser } from './csv';
import { plainCell, withoutNul, type PlainCell } from './cells';
import { importRefusal } from '../domain/import-refusals';
import type { SniffedFile } from './file-type';

export interface SheetRow {
  /** 1-based sheet position in the workbook (always 1 for CSV). */
  sheet: number;
  sheetName: string | null;
  /** The row number a spreadsheet program shows (CSV: the record number). */
  rowNo: number;
  /** 0-based cells. */
  cells: PlainCell[];
}

export interface LedgerReader {
  rows: () => AsyncGenerator<SheetRow>;
  /** Bytes of the file read so far. */
  bytesRead: () => number;
  /** Uncompressed size of the worksheets (xlsx), to estimate progress; null for CSV. */
  sheetBytes: number | null;
  date1904: () => boolean;
  close: () => void;
}

const ZIP_EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** Uncompressed size of the workbook's worksheet entries, from the zip's central directory. */
const worksheetBytes = (filePath: string): number => {
  const fd = fs.openSync(filePath, 'r');
  try {
    const { size } = fs.fstatSync(fd);
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    fs.readSync(fd, tail, 0, tailLength, size - tailLength);
    const eocd = tail.lastIndexOf(ZIP_EOCD);
    if (eocd < 0) return 0;
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    fs.readSync(fd, cd, 0, cdSize, cdOffset);
    let total = 0;
    let p = 0;
    while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
      const nameLength = cd.readUInt16LE(p + 28);
      const name = cd.subarray(p + 46, p + 46 + nameLength).toString('utf8');
      if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) total += cd.readUInt32LE(p + 24);
      p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    return total;
  } finally {
    fs.closeSync(fd);
  }
};

const counting = (onBytes: (n: number) => void) =>
  new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });

async function* decodeUtf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * exceljs 4.4.0's streaming reader decodes each chunk of XML on its own, so a Chinese character
 * split between two chunks becomes "��" (exceljs issues #2063, #2084, #2316): silently wrong
 * text in a citizen's words. Its SAX step leaves strings untouched, so this reader hands it
 * text decoded across chunk boundaries instead of bytes.
 */
class Utf8WorkbookReader extends (ExcelJS.stream.xlsx.WorkbookReader as any) {
  constructor(input: unknown, options: Record<string, unknown>) {
    super(input, options);
  }

  async *_parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown> {
    entry.setEncoding('utf8');
    yield* super._parseSharedStrings(entry);
  }

  async _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void> {
    entry.setEncoding('utf8');
    return super._parseWorkbook(entry);
  }

  *_parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown> {
    yield* super._parseWorksheet(decodeUtf8(iterator), sheetNo);
  }
}

const openXlsx = (filePath: string): LedgerReader => {
  let bytes = 0;
  const file = fs.createReadStream(filePath, { highWaterMark: 256 * 1024 });
  const counter = counting((n) => (bytes += n));
  file.on('error', (e) => counter.destroy(e));
  file.pipe(counter);
  const workbook = new Utf8WorkbookReader(counter as any, {
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  } as any);
  return {
    sheetBytes: worksheetBytes(filePath),
    bytesRead: () => bytes,
    date1904: () => Boolean((workbook as any).properties?.model?.date1904),
    close: () => {
      file.destroy();
      counter.destroy();
    },
    rows: async function* rows() {
      let sheet = 0;
      for await (const worksheet of workbook as any) {
        sheet += 1;
        const name: string | null = worksheet.name ?? null;
        for await (const row of worksheet) {
          const values = row.values as unknown[];
          const cells: PlainCell[] = new Array(Math.max(0, values.length - 1));
          for (let i = 1; i < values.length; i += 1) cells[i - 1] = plainCell(values[i]);
          yield { sheet, sheetName: name, rowNo: row.number as number, cells };
        }
      }
    },
  };
};

const openCsv = (filePath: string, sniffed: SniffedFile): LedgerReader => {
  let bytes = 0;
  const file = fs.createReadStream(filePath, { start: sniffed.skip ?? 0, highWaterMark: 256 * 1024 });
  // UTF-8 is decoded strictly: a file that is not UTF-8 after all fails instead of being stored
  // with replacement characters. The others are decoded by iconv-lite.
  const decoder =
    sniffed.encoding === 'utf8' || !sniffed.encoding
      ? (() => {
          const d = new TextDecoder('utf-8', { fatal: true });
          const strict = (f: () => string) => {
            try {
              return f();
            } catch {
              throw importRefusal('file_encoding');
            }
          };
          return { write: (b: Buffer) => strict(() => d.decode(b, { stream: true })), end: () => strict(() => d.decode()) };
        })()
      : iconv.getDecoder(sniffed.encoding);
  return {
    sheetBytes: null,
    bytesRead: () => bytes,
    date1904: () => false,
    close: () => file.destroy(),
    rows: async function* rows() {
      const parser = new CsvParser();
      let rowNo = 0;
      let first = true;
      const emit = function* (records: string[][]) {
        for (const cells of records) {
          rowNo += 1;
          if (first) {
            first = false;
            // A byte-order mark that survived decoding (e.g. UTF-16) is not part of the first cell.
            if (cells.length > 0 && cells[0].charCodeAt(0) === 0xfeff) cells[0] = cells[0].slice(1);
          }
          yield { sheet: 1, sheetName: null, rowNo, cells: cells.map(withoutNul) as PlainCell[] };
        }
      };
      for await (const chunk of file) {
        bytes += (chunk as Buffer).length;
        yield* emit(parser.push(decoder.write(chunk as Buffer)));
      }
      const rest = decoder.end();
      if (rest) yield* emit(parser.push(rest));
      yield* emit(parser.end());
    },
  };
};

export const openLedgerReader = (filePath: string, sniffed: SniffedFile): LedgerReader =>
  sniffed.kind === 'xlsx' ? openXlsx(filePath) : openCsv(filePath, sniffed);
