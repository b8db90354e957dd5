/**
 * What an uploaded file really is, from its bytes (the name and the browser's MIME type are not
 * trusted): an xlsx workbook (a zip holding xl/workbook.xml), an encrypted workbook or an old
 * .xls (both OLE compound files), or text to read as CSV, with its encoding.
 */
import fs from 'fs';
import { importRefusal } from '../domain/import-refusals';

export type LedgerFileKind = 'xlsx' | 'csv';
export type TextEncoding = 'utf8' | 'gb18030' | 'utf16le' | 'utf16be';

export interface SniffedFile {
  kind: LedgerFileKind;
  encoding?: TextEncoding;
  /** Bytes to skip at the start (a byte-order mark). */
  skip?: number;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');
const SAMPLE = 64 * 1024;

const readAt = async (fd: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> => {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fd.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
};

/** Names of a zip archive's entries, from its central directory. */
const zipEntryNames = async (fd: fs.promises.FileHandle, size: number): Promise<string[]> => {
  const tailLength = Math.min(size, 65_557);
  const tail = await readAt(fd, size - tailLength, tailLength);
  const eocd = tail.lastIndexOf(ZIP_EMPTY);
  if (eocd < 0 || eocd + 22 > tail.length) return [];
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset + cdSize > size || cdSize > 16 * 1024 * 1024) return [];
  const cd = await readAt(fd, cdOffset, cdSize);
  const names: string[] = [];
  let p = 0;
  while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    names.push(cd.subarray(p + 46, p + 46 + nameLength).toString('utf8'));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return names;
};

const isUtf8 = (sample: Buffer, complete: boolean): boolean => {
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    // A sample cut in the middle of a character is fine: `stream` keeps the partial bytes.
    decoder.decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
};

export const sniffLedgerFile = async (filePath: string): Promise<SniffedFile> => {
  const fd = await fs.promises.open(filePath, 'r');
  try {
    const { size } = await fd.stat();
    if (size === 0) throw importRefusal('file_empty');
    const head = await readAt(fd, 0, Math.min(size, SAMPLE));

    if (head.subarray(0, 4).equals(ZIP)) {
      const names = await zipEntryNames(fd, size);
      if (names.includes('xl/workbook.xml')) return { kind: 'xlsx' };
      // A .docx, .pptx, .zip … or a damaged workbook.
      if (names.length === 0) throw importRefusal('file_unreadable');
      throw importRefusal('file_type');
    }
    if (head.subarray(0, 8).equals(CFB)) {
      // An encrypted xlsx is stored as an OLE compound file with an EncryptedPackage stream;
      // anything else in that container is an old binary Office file.
      const whole = await readAt(fd, 0, size);
      throw importRefusal(whole.includes(ENCRYPTED_PACKAGE) ? 'file_encrypted' : 'file_xls');
    }
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      if (size === 3) throw importRefusal('file_empty');
      return { kind: 'csv', encoding: 'utf8', skip: 3 };
    }
    if (head[0] === 0xff && head[1] === 0xfe) return { kind: 'csv', encoding: 'utf16le', skip: 2 };
    if (head[0] === 0xfe && head[1] === 0xff) return { kind: 'csv', encoding: 'utf16be', skip: 2 };
    // Text has no NUL bytes; images, PDFs and executables do (or carry control bytes).
    const binary = head.subarray(0, 8192).some((b) => b === 0 || (b < 0x09) || (b > 0x0d && b < 0x20 && b !== 0x1b));
    if (binary || head.subarray(0, 5).toString('latin1') === '%PDF-') throw importRefusal('file_type');
    if (head.every((b) => b === 0x20 || (b >= 0x09 && b <= 0x0d))) throw importRefusal('file_empty');
    return { kind: 'csv', encoding: isUtf8(head, size <= SAMPLE) ? 'utf8' : 'gb18030' };
  } finally {
    await fd.close();
  }
};
