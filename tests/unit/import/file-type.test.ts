import { sniffLedgerFile } from '../../../plugins/complaints/server/src/import/file-type';
import { cleanupTempFiles, compoundFile, csvText, gb18030, PNG, tempFile, utf16le, utf8, xlsxBuffer, zipFile } from '../../helpers/ledger-files';

const refusal = async (data: Buffer | string): Promise<string> => {
  try {
    await sniffLedgerFile(tempFile(data));
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'accepted';
};

const TEXT = csvText([
  ['诉求编号', '反映时间', '诉求内容'],
  ['A1', '2024/5/6', '东街路灯坏了'],
]);

describe('what a file really is', () => {
  it('an xlsx workbook', async () => {
    expect(await sniffLedgerFile(tempFile(await xlsxBuffer({ rows: [['诉求编号']] })))).toEqual({ kind: 'xlsx' });
  });

  it('CSV in UTF-8, with and without a byte-order mark, GB18030 and UTF-16', async () => {
    expect(await sniffLedgerFile(tempFile(utf8(TEXT)))).toEqual({ kind: 'csv', encoding: 'utf8' });
    expect(await sniffLedgerFile(tempFile(utf8(TEXT, true)))).toEqual({ kind: 'csv', encoding: 'utf8', skip: 3 });
    expect(await sniffLedgerFile(tempFile(gb18030(TEXT)))).toEqual({ kind: 'csv', encoding: 'gb18030' });
    expect(await sniffLedgerFile(tempFile(utf16le(TEXT)))).toEqual({ kind: 'csv', encoding: 'utf16le', skip: 2 });
  });

  const refused: Array<[string, () => Buffer | Promise<Buffer>, string]> = [
    ['an empty file', () => Buffer.alloc(0), 'file_empty'],
    ['only a byte-order mark', () => utf8('', true), 'file_empty'],
    ['only blanks', () => utf8(' \r\n \t\r\n'), 'file_empty'],
    ['an encrypted workbook', () => compoundFile(['EncryptionInfo', 'EncryptedPackage']), 'file_encrypted'],
    ['an Excel 97-2003 workbook', () => compoundFile(['Workbook']), 'file_xls'],
    ['a Word document', () => zipFile([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w:document/>' }]), 'file_type'],
    ['a damaged zip', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]), 'file_unreadable'],
    ['a PNG image', () => PNG, 'file_type'],
    ['a PDF', () => Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n', 'latin1'), 'file_type'],
  ];
  it.each(refused)('refuses %s (%s)', async (_name, make, code) => {
    expect(await refusal(await make())).toBe(code);
  });
});

afterAll(cleanupTempFiles);
