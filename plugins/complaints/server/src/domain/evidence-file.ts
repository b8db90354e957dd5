/**
 * What an evidence file really is, from its first bytes (the name and the browser's MIME type
 * are not trusted), whether the county accepts it, and how it is served: images and PDF inline,
 * everything else as a download, always with the sniffed type. HTML, SVG and scripts are never
 * among the types: served from Minyi's origin they would run in the staff's session.
 */
export type EvidenceFileType = 'jpeg' | 'png' | 'gif' | 'webp' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'docx' | 'xlsx' | 'pptx';

export const EVIDENCE_FILE_TYPES: Record<EvidenceFileType, { mime: string; ext: string[]; label: string }> = {
  jpeg: { mime: 'image/jpeg', ext: ['jpg', 'jpeg'], label: 'JPEG' },
  png: { mime: 'image/png', ext: ['png'], label: 'PNG' },
  gif: { mime: 'image/gif', ext: ['gif'], label: 'GIF' },
  webp: { mime: 'image/webp', ext: ['webp'], label: 'WebP' },
  pdf: { mime: 'application/pdf', ext: ['pdf'], label: 'PDF' },
  doc: { mime: 'application/msword', ext: ['doc'], label: 'Word 97-2003' },
  xls: { mime: 'application/vnd.ms-excel', ext: ['xls'], label: 'Excel 97-2003' },
  ppt: { mime: 'application/vnd.ms-powerpoint', ext: ['ppt'], label: 'PowerPoint 97-2003' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: ['docx'], label: 'Word' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: ['xlsx'], label: 'Excel' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: ['pptx'], label: 'PowerPoint' },
};

export const DEFAULT_EVIDENCE_TYPES: EvidenceFileType[] = Object.keys(EVIDENCE_FILE_TYPES) as EvidenceFileType[];

const starts = (b: Uint8Array, sig: number[], at = 0): boolean => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, s: string, at = 0): boolean => starts(b, Array.from(s, (c) => c.charCodeAt(0)), at);

const extOf = (name: string): string => {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name.trim());
  return m ? m[1].toLowerCase() : '';
};

/**
 * The file's type from its bytes. Office formats share containers (OLE2 for 97-2003, zip for
 * OOXML): the container is checked from the bytes, the member from the entry names the zip holds
 * (`word/`, `xl/`, `ppt/`) or, for OLE2, the name's extension. Null for anything else.
 */
export const sniffEvidenceFile = (bytes: Uint8Array, fileName: string): EvidenceFileType | null => {
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 'GIF87a') || ascii(bytes, 'GIF89a')) return 'gif';
  if (ascii(bytes, 'RIFF') && ascii(bytes, 'WEBP', 8)) return 'webp';
  if (ascii(bytes, '%PDF-')) return 'pdf';
  const ext = extOf(fileName);
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return ext === 'doc' || ext === 'xls' || ext === 'ppt' ? ext : null;
  }
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (!text.includes('[Content_Types].xml')) return null;
    if (ext === 'docx' && text.includes('word/')) return 'docx';
    if (ext === 'xlsx' && text.includes('xl/')) return 'xlsx';
    if (ext === 'pptx' && text.includes('ppt/')) return 'pptx';
    return null;
  }
  return null;
};

/** Images and PDF open in the browser; every other type is offered as a download. */
export const servedInline = (type: EvidenceFileType | null): boolean => type !== null && ['jpeg', 'png', 'gif', 'webp', 'pdf'].includes(type);

/** `Content-Disposition` for a stored name: an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export const contentDisposition = (type: EvidenceFileType | null, name: string): string => {
  const clean = name.replace(/[\r\n"\\]/g, '_').slice(0, 200) || 'file';
  const fallback = clean.replace(/[^\x20-\x7e]/g, '_');
  return `${servedInline(type) ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
};
