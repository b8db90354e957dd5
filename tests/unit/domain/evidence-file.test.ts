import { contentDisposition, servedInline, sniffEvidenceFile } from '../../../plugins/complaints/server/src/domain/evidence-file';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

describe('sniffEvidenceFile', () => {
  it.each<[string, Buffer, string, string | null]>([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'a.jpg', 'jpeg'],
    ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a.png', 'png'],
    ['PNG named .txt', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a.txt', 'png'],
    ['GIF89a', bytes('GIF89a'), 'a.gif', 'gif'],
    ['WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'a.webp', 'webp'],
    ['RIFF that is not WebP (WAV)', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'a.webp', null],
    ['PDF', bytes('%PDF-1.7'), 'a.pdf', 'pdf'],
    ['Word 97-2003', bytes(OLE), 'a.doc', 'doc'],
    ['OLE2 with another extension', bytes(OLE), 'a.msi', null],
    ['docx', bytes(ZIP, '[Content_Types].xml', 'word/document.xml'), 'a.docx', 'docx'],
    ['xlsx', bytes(ZIP, '[Content_Types].xml', 'xl/workbook.xml'), 'a.XLSX', 'xlsx'],
    ['pptx', bytes(ZIP, '[Content_Types].xml', 'ppt/presentation.xml'), 'a.pptx', 'pptx'],
    ['a docx named .xlsx', bytes(ZIP, '[Content_Types].xml', 'word/document.xml'), 'a.xlsx', null],
    ['a plain zip named .docx', bytes(ZIP, 'readme.txt'), 'a.docx', null],
    ['HTML', bytes('<!doctype html><script>'), 'a.html', null],
    ['HTML named .png', bytes('<html>'), 'a.png', null],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg', null],
    ['a program', bytes('MZ', [0x90, 0]), 'a.exe', null],
    ['empty', bytes(''), 'a.png', null],
  ])('%s → %s', (_label, data, name, expected) => {
    expect(sniffEvidenceFile(data, name)).toBe(expected);
  });
});

describe('how a file is served', () => {
  it.each<[Parameters<typeof servedInline>[0], boolean]>([
    ['png', true],
    ['pdf', true],
    ['docx', false],
    ['xls', false],
    [null, false],
  ])('%s inline: %s', (type, inline) => {
    expect(servedInline(type)).toBe(inline);
  });

  it('names the file for old and new browsers, without header injection', () => {
    expect(contentDisposition('pdf', '验收单.pdf')).toBe(`inline; filename="___.pdf"; filename*=UTF-8''%E9%AA%8C%E6%94%B6%E5%8D%95.pdf`);
    expect(contentDisposition('docx', 'a"\r\nX-Evil: 1.docx')).toBe(`attachment; filename="a___X-Evil: 1.docx"; filename*=UTF-8''a___X-Evil%3A%201.docx`);
  });
});
