/** Uploading ledger files through the admin route and waiting for the batch, as the admin page does. */
import ExcelJS from 'exceljs';
import type { AdminSession } from './admin';
import type { BatchStatus } from '../../plugins/complaints/server/src/services/importer';

/** A batch as the admin route returns it. */
export interface Batch extends Omit<BatchStatus, 'fileName' | 'sha256' | 'fileSize' | 'status'> {
  fileName: string;
  sha256: string;
  fileSize: number;
  status: string;
  sameFileAs?: Array<{ id: number; code: string; status: string }>;
}

export const upload = (session: AdminSession, data: Buffer, name: string) => session.post('/complaints/imports').attach('file', data, name);

/** Polls the batch until it is done or failed. */
export const waitForBatch = async (session: AdminSession, id: number, timeoutMs = 120_000): Promise<Batch> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await session.get(`/complaints/imports/${id}`);
    if (res.status !== 200) throw new Error(`status ${res.status}: ${JSON.stringify(res.body)}`);
    const b = res.body.data as Batch;
    if (b.status === 'done' || b.status === 'failed') return b;
    if (Date.now() > until) throw new Error(`batch ${id} still ${b.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Uploads and waits; fails the test when the upload is refused. */
export const importFile = async (session: AdminSession, data: Buffer, name: string): Promise<Batch> => {
  const res = await upload(session, data, name);
  if (res.status !== 202) throw new Error(`upload refused: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForBatch(session, res.body.data.id);
};

export const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Every sheet of a workbook as rows of cell text (1-based rows as in Excel, without the leading hole). */
export const readWorkbook = async (data: Buffer): Promise<Record<string, string[][]>> => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as any);
  const out: Record<string, string[][]> = {};
  wb.eachSheet((ws) => {
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const values = Array.from((row.values as unknown[]).slice(1));
      rows.push(values.map((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))));
    });
    out[ws.name] = rows;
  });
  return out;
};
