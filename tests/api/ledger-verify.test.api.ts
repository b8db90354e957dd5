/**
 * Verification: `npm run ledger:verify` (a real process) finds an event edited by someone who
 * disabled the trigger as a superuser could, and a removed newest event; the daily digest can be
 * recorded, rechecked, exported and checked by a third party without the database.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { superAdmin, type AdminSession } from '../helpers/admin';
import { ROOT, setupStrapi, type TestApp } from '../helpers/strapi';
import { checkExport } from '../../scripts/ledger-check-export';

let app: TestApp;
let admin: AdminSession;
const ids: number[] = [];

const cli = (script: string, args: string[] = []) => {
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, MINYI_SKIP_COMPILE: '1', LOG_LEVEL: 'error' },
    encoding: 'utf8',
    timeout: 120000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

beforeAll(async () => {
  app = await setupStrapi();
  admin = await superAdmin(app.strapi);
  const history = app.strapi.plugin('complaints').service('history');
  for (let i = 1; i <= 3; i += 1) {
    const doc = await app.strapi.documents('plugin::complaints.complaint').create({
      data: { ledgerNo: `V-00${i}`, receivedAt: '2026-01-05T01:00:00.000Z', channel: 'hotline', content: `核验用诉求 ${i}`, phone: '19900000001' } as any,
    });
    const row = await app.strapi.db.connection('complaints').where('document_id', doc.documentId).first('id');
    ids.push(Number(row.id));
    for (const type of ['classify', 'assign']) {
      await history.append(Number(row.id), { type, actor: { kind: 'system', name: 'system' }, at: new Date(), fromState: 'received', toState: 'classified', data: { n: i } });
    }
  }
});

afterAll(async () => {
  await app?.teardown();
});

const withEventTriggerOff = async (fn: () => Promise<unknown>) => {
  const knex = app.strapi.db.connection;
  if (app.db === 'postgres') {
    await knex.raw('ALTER TABLE complaint_events DISABLE TRIGGER minyi_events_guard_row');
    try {
      await fn();
    } finally {
      await knex.raw('ALTER TABLE complaint_events ENABLE TRIGGER minyi_events_guard_row');
    }
  } else {
    await knex.raw('DROP TRIGGER minyi_events_no_update');
    await knex.raw('DROP TRIGGER minyi_events_no_delete');
    try {
      await fn();
    } finally {
      await app.strapi.plugin('complaints').service('triggers').ensure();
    }
  }
};

describe('ledger verification', () => {
  it('passes on an intact ledger (CLI exit 0, admin route ok)', async () => {
    const r = cli('ledger-verify.ts');
    expect(r.out).toContain('Ledger verification 台账校验: OK');
    expect(r.out).toContain('complaints 3, events 9');
    expect(r.code).toBe(0);
    const res = await admin.get('/complaints/ledger/verify');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, complaints: 3, events: 9, broken: [], orphanEvents: 0 });
  });

  it('the daily digest job records the previous county day, once per slot', async () => {
    const jobs = app.strapi.plugin('complaints').service('jobs');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // 12:00 tomorrow in Beijing: the job's slot is 00:05 tomorrow, and it records today.
    const first = await jobs.run('ledger-digest', { now: new Date(`${tomorrow}T04:00:00Z`) });
    expect(first).toMatchObject({ job: 'ledger-digest', ran: true, slot: `${today}T16:05:00.000Z` });
    const second = await jobs.run('ledger-digest', { now: new Date(`${tomorrow}T05:00:00Z`) });
    expect(second).toEqual({ job: 'ledger-digest', slot: `${today}T16:05:00.000Z`, ran: false });
    const rows = await app.strapi.db.connection('ledger_digests').select('day', 'complaint_count', 'event_count');
    expect(rows.map((r: any) => [String(r.day).slice(0, 10), Number(r.complaint_count), Number(r.event_count)])).toEqual([[today, 3, 9]]);
  });

  it('records, rechecks, exports and lets a third party check the daily digest', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    // Today has not ended: only the daily job (run above as of tomorrow) has recorded it.
    const rec = await admin.post('/complaints/ledger/digests').send({ day: today });
    expect([rec.status, rec.body.error.details.code]).toEqual([400, 'day_not_past']);
    const list = await admin.get('/complaints/ledger/digests');
    expect(list.body.data).toEqual([expect.objectContaining({ day: today, complaintCount: 3, eventCount: 9 })]);
    const published = list.body.data[0].headsHash as string;
    expect(published).toMatch(/^[0-9a-f]{64}$/);

    const check = await admin.get(`/complaints/ledger/digests/${today}/check`);
    expect(check.body.data).toEqual({ day: today, stored: published, recomputed: published, ok: true });
    const csv = await admin.get('/complaints/ledger/digests?format=csv');
    expect(csv.text).toContain(`${today},3,9,${published}`);

    const exp = await admin.get('/complaints/ledger/export').buffer(true).parse((res, cb) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString('utf8')));
      res.on('end', () => cb(null, data));
    });
    expect(exp.status).toBe(200);
    const lines = String(exp.body).trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(String(exp.body)).not.toContain('19900000001');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-export-')), 'events.jsonl');
    fs.writeFileSync(file, exp.body as string);
    const third = await checkExport(file, { day: today, digest: published });
    expect(third).toMatchObject({ chains: 3, events: 9, broken: [], digest: { day: today, count: 3, hash: published, matches: true } });
    const cliOk = cli('ledger-check-export.ts', [file, '--day', today, '--digest', published]);
    expect(cliOk.code).toBe(0);

    // A forged export (one event rewritten) no longer matches.
    const forged = lines.map((l, i) => (i === 4 ? l.replace('"type":"classify"', '"type":"assign"') : l));
    fs.writeFileSync(file, `${forged.join('\n')}\n`);
    const bad = await checkExport(file, { day: today, digest: published });
    expect(bad.broken.length).toBe(1);
    const cliBad = cli('ledger-check-export.ts', [file, '--day', today, '--digest', published]);
    expect(cliBad.code).toBe(1);
  });

  it('reports an event edited with the trigger disabled, naming the complaint and the first broken link', async () => {
    await withEventTriggerOff(async () => {
      const knex = app.strapi.db.connection;
      await knex('complaint_events').where({ complaint_id: ids[1], seq: 2 }).update({ actor_name: '篡改者' });
    });
    const r = cli('ledger-verify.ts');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Ledger verification 台账校验: BROKEN');
    expect(r.out).toContain(`BROKEN V-002 (complaint ${ids[1]}): first broken link at seq 2 (hash_mismatch)`);
    expect(r.out).not.toContain('BROKEN V-001');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const digest = await admin.get(`/complaints/ledger/digests/${today}/check`);
    // The edit did not touch a hash, so heads (and the digest) still agree; the chain check catches it.
    expect(digest.body.data.ok).toBe(true);
  });

  it('reports a removed newest event through the chain head', async () => {
    await withEventTriggerOff(async () => {
      await app.strapi.db.connection('complaint_events').where({ complaint_id: ids[2], seq: 3 }).del();
    });
    const res = await admin.get('/complaints/ledger/verify');
    expect(res.body.data.ok).toBe(false);
    expect(res.body.data.broken).toEqual(
      expect.arrayContaining([{ complaintId: ids[2], ledgerNo: 'V-003', firstBreak: { kind: 'head_mismatch', seq: 2, headSeq: 3 } }])
    );
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const digest = await admin.get(`/complaints/ledger/digests/${today}/check`);
    expect(digest.body.data.ok).toBe(false);
    const r = cli('ledger-verify.ts', ['--digest', today]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`digest ${today}: DOES NOT MATCH`);
  });
});
