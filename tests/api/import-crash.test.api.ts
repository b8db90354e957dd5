/**
 * A crash in the middle of an import, with a real process: `npm run ledger:import` is killed
 * with SIGKILL while it reads a 30,000-row workbook. Nothing of the batch reaches the ledger;
 * the server fails the batch at once (its owner process on this host is gone) and clears its
 * staging rows; the same file then imports completely.
 */
import { spawn, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createAdminUser, login, type AdminSession } from '../helpers/admin';
import { ROOT, setupStrapi, type TestApp } from '../helpers/strapi';
import { writeMessyLedger } from '../../scripts/lib/messy-ledger';

jest.setTimeout(300_000);

const ROWS = 30_000;
let app: TestApp;
let county: AdminSession;
let dir: string;
let file: string;

const knex = () => app.strapi.db.connection;
const count = async (table: string, where: Record<string, unknown> = {}) => Number((await knex()(table).where(where).count({ n: '*' }))[0].n);
const cliEnv = () => ({ ...process.env, MINYI_SKIP_COMPILE: '1', LOG_LEVEL: 'error' });
const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const script = path.join(ROOT, 'scripts', 'ledger-import.ts');

beforeAll(async () => {
  app = await setupStrapi();
  const u = await createAdminUser(app.strapi, { roleCode: 'minyi-county-office' });
  county = await login(app.strapi, u.email, u.password);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-crash-'));
  file = path.join(dir, 'ledger-30k.xlsx');
  const written = await writeMessyLedger(file, ROWS);
  expect(written.rows).toBe(ROWS);
});

afterAll(async () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await app?.teardown();
});

describe('an import process killed mid-way', () => {
  it('leaves nothing in the ledger, is failed at once by the server, and the file then imports whole', async () => {
    const complaintsBefore = await count('complaints');
    const eventsBefore = await count('complaint_events');

    // One process (node with tsx's loader, not the tsx wrapper, which would start a second one).
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, '--json'], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));

    // Wait until the batch is being read and some rows are staged, then kill the process.
    let batch: { id: number; code: string; status: string; instance: string } | undefined;
    const until = Date.now() + 180_000;
    for (;;) {
      batch = await knex()('import_batches').orderBy('id', 'desc').first('id', 'code', 'status', 'instance');
      if (batch && batch.status === 'parsing' && (await count('complaint_import_rows', { batch_id: batch.id })) >= 1000) break;
      if (Date.now() > until) throw new Error(`the import never reached parsing:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(batch.instance.split(':').slice(0, 2)).toEqual([os.hostname(), String(child.pid)]);

    // The dead process left its batch "parsing" and staged rows, and nothing in the ledger.
    const row = await knex()('import_batches').where('id', batch.id).first('status');
    expect(row.status).toBe('parsing');
    const staged = await count('complaint_import_rows', { batch_id: batch.id });
    expect(staged).toBeGreaterThanOrEqual(1000);
    expect(staged).toBeLessThan(ROWS);
    expect(await count('complaints', { import_batch: batch.code })).toBe(0);
    expect(await count('complaints')).toBe(complaintsBefore);
    expect(await count('complaint_events')).toBe(eventsBefore);

    // Read from the admin, the batch is failed at once (not after the 10-minute stale window).
    const res = await county.get(`/complaints/imports/${batch.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('failed');
    expect(res.body.data.failure).toBe(
      '导入失败，本批次未导入任何诉求 / The import failed and nothing of this batch was imported: 导入被中断（服务已停止） / the import was interrupted (the server stopped)'
    );
    expect(await count('complaint_import_rows', { batch_id: batch.id })).toBe(0);

    // Positive control: the same file, imported again to the end, arrives whole.
    const again = spawnSync(tsx, [script, file, '--json'], { cwd: ROOT, env: cliEnv(), encoding: 'utf8', timeout: 240_000 });
    expect(again.status).toBe(0);
    const status = JSON.parse(again.stdout.slice(again.stdout.indexOf('{')));
    expect(status).toMatchObject({ status: 'done', totalRows: ROWS, importedCount: ROWS, errorCount: 0 });
    expect(await count('complaints', { import_batch: status.code })).toBe(ROWS);
    expect(await count('complaints')).toBe(complaintsBefore + ROWS);
  });

  it('does not fail a batch whose owner still runs (positive control for the ownership check)', async () => {
    const store = app.strapi.plugin('complaints').service('import-store');
    // A batch owned by a live process on this host (this test's parent, the Jest runner).
    const live = `${os.hostname()}:${process.ppid}:abcdef`;
    const id = await store.createBatch({ code: 'IMP-LIVE-1', fileName: 'live.xlsx', status: 'parsing', progress: 10, startedAt: new Date(), instance: live });
    const res = await county.get(`/complaints/imports/${id}`);
    expect(res.body.data.status).toBe('parsing');
    // The same batch owned by a process that is gone is failed.
    await knex()('import_batches').where('id', id).update({ instance: `${os.hostname()}:2147483646:abcdef` });
    const gone = await county.get(`/complaints/imports/${id}`);
    expect(gone.body.data.status).toBe('failed');
  });
});
