import fs from 'fs';
import os from 'os';
import path from 'path';

/** Small real files for evidence uploads: their first bytes are what the type check reads. */

/** A valid 1×1 PNG. */
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082',
  'hex'
);

/** A PNG with a tag after its end (still a PNG; the tag tells files apart). */
export const pngFile = (tag: string): Buffer => Buffer.concat([TINY_PNG, Buffer.from(tag)]);

/** A minimal PDF. */
export const pdfFile = (tag: string): Buffer =>
  Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${tag}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);

/** Files at the top of the temporary directory holding exactly these bytes (an upload's leftovers). */
export const copiesInTemp = (data: Buffer): string[] =>
  fs.readdirSync(os.tmpdir()).filter((f) => {
    try {
      const p = path.join(os.tmpdir(), f);
      const st = fs.statSync(p);
      return st.isFile() && st.size === data.length && fs.readFileSync(p).equals(data);
    } catch {
      return false;
    }
  });
