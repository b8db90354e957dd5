/**
 * Month close 月度封账 through the admin routes and `npm run ledger:verify-month` (a real
 * process): the county office closes October 2026; a second close is refused; the frozen row
 * cannot be changed (the trigger refuses it); a late survey answer and a reopen after the close
 * show as differences with the complaints that caused them, while the snapshot and its hash stay
 * as they were; a correction is a second version with a reason, and both stay; a forged snapshot
 * fails the verification (exit 1), an intact one passes (exit 0).
 *
 * October's complaints (received 2026-10-05, county time), each closed through the workflow:
 *   MC-A1 and MC-A2 for t1 (category 0101, lead unit l1), MC-B1 for t2 (0201, l2).
 *   Before the close: MC-A1's survey is answered 满意 (satisfied).
 *   After the close: MC-A2's survey is answered 不满意 (dissatisfied); MC-B1 is reopened.
 * Figures by hand (domain/rates.ts):
 *   frozen totals: valid 3, resolved 3, traceable resolved 3, completion due 3, completed on
 *   time 3 (each completed today, its deadline 30 days ahead), closed at least once 3, reopened 0;
 *   answered 1, satisfied 1, dissatisfied 0.
 *   live after the changes: MC-B1 is no longer resolved (nor traceable-resolved), its completion
 *   is undone and its new deadline ahead (so not due), it counts as reopened; MC-A2 adds one
 *   answered, dissatisfied.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import ExcelJS from 'exceljs';
import type supertest from 'supertest';
import { rejection } from '../helpers/errors';
import { act, addDaysFromToday, driveTo, withWorld, type World } from '../helpers/world';
import { ROOT, type TestApp } from '../helpers/strapi';
import type { AdminSession } from '../helpers/admin';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const VISITOR = { kind: 'admin' as const, id: 1, name: '回访员', unitId: null, unitName: null };
const OCT = '2026-10-05T02:00:00.000Z';
type Ref = { id: number; documentId: string; ledgerNo: string };
const c: Record<string, Ref> = {};
// One phone has one open survey at a time: each complaint has its own.
const PHONES: Record<string, string> = { 'MC-A1': '13900004441', 'MC-A2': '13900004442', 'MC-B1': '13900004443' };

const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
  const res = await p;
  expect([res.status, res.body?.error]).toEqual([status, undefined]);
  return res;
};

const closed = async (ledgerNo: string, unit: 't1' | 't2') => {
  const r: Ref = await driveTo(w, 'closed', { unit, ledgerNo, receivedAt: OCT, phone: PHONES[ledgerNo] });
  return (c[ledgerNo] = r);
};

const answer = async (r: Ref, a: 'satisfied' | 'dissatisfied') => {
  expect(await app.strapi.plugin('complaints').service('surveys').recordPhoneVisit(r.id, a, null, VISITOR)).toBe('answered');
};

const cli = (args: string[]) => {
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'ledger-verify-month.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, MINYI_SKIP_COMPILE: '1', LOG_LEVEL: 'error' },
    encoding: 'utf8',
    timeout: 120000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

const closeRows = async () => (await knex()('month_closes').orderBy('version').select('month', 'version', 'snapshot', 'hash', 'previous_hash', 'reason')) as any[];
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const post = (s: AdminSession, body: unknown) => s.post('/complaints/month-closes').send(body as object);

beforeAll(async () => {
  await closed('MC-A1', 't1');
  await closed('MC-A2', 't1');
  await closed('MC-B1', 't2');
  await answer(c['MC-A1'], 'satisfied');
});

let frozenV1: { snapshot: string; hash: string };

describe('closing a month', () => {
  it('refuses a month that has not ended, a malformed month, and the roles that may not close (nothing written)', async () => {
    const thisMonth = addDaysFromToday(0).slice(0, 7);
    const notOver = await post(w.users.county, { month: thisMonth });
    expect([notOver.status, notOver.body.error?.details?.code]).toEqual([400, 'month_not_over']);
    expect(notOver.body.error.message).toContain('只能封账已结束的月份');
    expect(notOver.body.error.message).toContain('Only a month that has ended can be closed');
    const malformed = await post(w.users.county, { month: '2026-13' });
    expect([malformed.status, malformed.body.error?.details?.code]).toEqual([400, 'invalid_input']);
    for (const s of [w.users.leader, w.users.op1, w.users.lead1, w.users.head1]) expect((await post(s, { month: '2026-10' })).status).toBe(403);
    expect(await closeRows()).toEqual([]);
  });

  it('the county office closes October: version 1, the hash is SHA-256 of the stored canonical text, the figures as counted by hand', async () => {
    const res = await ok(post(w.users.county, { month: '2026-10' }), 201);
    expect(res.body.data).toMatchObject({ month: '2026-10', version: 1, previousHash: null, reason: null, complaintCount: 3 });
    const [row] = await closeRows();
    expect(row.hash).toBe(sha(row.snapshot));
    expect(res.body.data.hash).toBe(row.hash);
    const s = JSON.parse(row.snapshot);
    expect(s).toMatchObject({ format: 'minyi-month-close/1', month: '2026-10', version: 1, timeZone: 'Asia/Shanghai', previous: null, reason: null });
    expect(s.totals.counts).toMatchObject({ valid: 3, resolved: 3, policyLimited: 0, traceableResolved: 3, completionDue: 3, completedOnTime: 3, closedEver: 3, reopened: 0 });
    expect(s.totals.satisfaction).toEqual({ answered: 1, satisfied: 1, basicallySatisfied: 0, dissatisfied: 0 });
    const unit = (code: string) => s.groups.unit.find((g: any) => g.key === code);
    expect([unit('T1').counts.valid, unit('T1').counts.resolved, unit('T1').satisfaction.answered]).toEqual([2, 2, 1]);
    expect([unit('T2').counts.valid, unit('T2').counts.resolved, unit('T2').satisfaction.answered]).toEqual([1, 1, 0]);
    expect(s.groups.category.map((g: any) => [g.key, g.counts.valid])).toEqual([['0101', 2], ['0201', 1]]);
    expect(s.groups.town.map((g: any) => [g.key, g.counts.valid])).toEqual([['东坝镇', 1], ['城关镇', 2]]);
    frozenV1 = { snapshot: row.snapshot, hash: row.hash };
  });

  it('a closed month cannot be closed again (409, nothing written)', async () => {
    const again = await post(w.users.county, { month: '2026-10' });
    expect([again.status, again.body.error?.details?.code]).toEqual([409, 'month_closed']);
    expect(again.body.error.message).toContain('2026-10 已封账');
    expect((await closeRows()).length).toBe(1);
  });

  it('the frozen row cannot be edited or removed, even in SQL (positive control: it reads back as written)', async () => {
    const guards = app.db === 'postgres' ? ['minyi_month_closes_guard_row', 'minyi_month_closes_guard_truncate'] : ['minyi_month_closes_no_delete', 'minyi_month_closes_no_update'];
    expect((await app.strapi.plugin('complaints').service('triggers').list()).filter((n: string) => n.startsWith('minyi_month_closes'))).toEqual(guards);
    expect(Number((await knex()('month_closes').where('version', 1).count({ n: '*' }))[0].n)).toBe(1);
    // The driver's errors come from outside Jest's sandbox: compared by message (helpers/errors.ts).
    expect((await rejection(knex()('month_closes').where('version', 1).update({ snapshot: '{}' }))).message).toMatch(/append-only|只能追加/);
    expect((await rejection(knex()('month_closes').where('version', 1).del())).message).toMatch(/append-only|只能追加/);
    const [row] = await closeRows();
    expect([row.snapshot, row.hash]).toEqual([frozenV1.snapshot, frozenV1.hash]);
  });

  it('the Content Manager offers it read-only: an edit is refused for the county office and Super Admin', async () => {
    const [row] = (await knex()('month_closes').select('document_id')) as any[];
    const path = `/content-manager/collection-types/plugin::complaints.month-close/${row.document_id}`;
    expect((await w.users.county.get(path)).status).toBe(200);
    expect((await w.users.county.put(path).send({ reason: '改' })).status).toBe(403);
    expect((await w.users.admin.put(path).send({ reason: '改' })).status).toBe(403);
    expect((await w.users.admin.del(path)).status).toBe(403);
    expect((await closeRows())[0].reason).toBe(null);
  });
});

describe('frozen against live', () => {
  it('a late answer and a reopen after the close show as differences with their complaints; the snapshot and its hash stay', async () => {
    const before = await ok(w.users.county.get('/complaints/month-closes/2026-10'));
    expect(before.body.data.differences).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    await answer(c['MC-A2'], 'dissatisfied');
    await ok(act(w.users.county, c['MC-B1'].documentId, 'reopen', { reason: '复查发现路灯仍不亮', deadline: addDaysFromToday(20) }));

    const res = await ok(w.users.leader.get('/complaints/month-closes/2026-10'));
    const d = res.body.data;
    expect(d.verified).toBe(true);
    const pick = (dim: string) => d.differences.filter((x: any) => x.dimension === dim).map((x: any) => [x.key, x.field, x.frozen, x.live, x.causes]);
    const both = ['MC-A2', 'MC-B1'];
    expect(pick('total')).toEqual([
      [null, 'resolved', 3, 2, both],
      [null, 'traceableResolved', 3, 2, both],
      [null, 'completionDue', 3, 2, both],
      [null, 'completedOnTime', 3, 2, both],
      [null, 'reopened', 0, 1, both],
      [null, 'satisfaction.answered', 1, 2, both],
      [null, 'satisfaction.dissatisfied', 0, 1, both],
    ]);
    const [t1, t2] = ['T1', 'T2'];
    expect(pick('unit')).toEqual([
      [t1, 'satisfaction.answered', 1, 2, ['MC-A2']],
      [t1, 'satisfaction.dissatisfied', 0, 1, ['MC-A2']],
      [t2, 'resolved', 1, 0, ['MC-B1']],
      [t2, 'traceableResolved', 1, 0, ['MC-B1']],
      [t2, 'completionDue', 1, 0, ['MC-B1']],
      [t2, 'completedOnTime', 1, 0, ['MC-B1']],
      [t2, 'reopened', 0, 1, ['MC-B1']],
    ]);
    expect(d.causes.map((x: any) => [x.ledgerNo, x.events.map((e: any) => e.type)])).toEqual([['MC-A2', ['survey_answered']], ['MC-B1', ['reopen']]]);
    // The frozen figures answer as they were closed.
    expect(d.frozen.totals.counts.resolved).toBe(3);
    expect(d.live.totals.counts.resolved).toBe(2);
    const [row] = await closeRows();
    expect([row.snapshot, row.hash]).toEqual([frozenV1.snapshot, frozenV1.hash]);
  });

  it('a unit operator and a lead unit may not read the frozen figures (positive control: the county leader did)', async () => {
    for (const s of [w.users.op1, w.users.lead1, w.users.head1]) expect((await s.get('/complaints/month-closes/2026-10')).status).toBe(403);
    expect((await w.users.leader.get('/complaints/month-closes')).status).toBe(200);
  });
});

describe('a correction is a new version with a reason; both stay', () => {
  it('refuses a correction without a reason, and the county leader (nothing written)', async () => {
    const none = await w.users.county.post('/complaints/month-closes/2026-10/corrections').send({});
    expect([none.status, none.body.error?.details?.code]).toEqual([400, 'invalid_input']);
    expect((await w.users.leader.post('/complaints/month-closes/2026-10/corrections').send({ reason: '补录迟到的回访' })).status).toBe(403);
    const unclosed = await w.users.county.post('/complaints/month-closes/2026-09/corrections').send({ reason: '补录迟到的回访' });
    expect([unclosed.status, unclosed.body.error?.details?.code]).toEqual([404, 'month_not_closed']);
    expect((await closeRows()).length).toBe(1);
  });

  it('version 2 names version 1 and its reason; version 1 is unchanged; live equals version 2', async () => {
    const res = await ok(w.users.county.post('/complaints/month-closes/2026-10/corrections').send({ reason: '补录迟到的回访与复查重开', version: 1 }), 201);
    expect(res.body.data).toMatchObject({ version: 2, previousHash: frozenV1.hash, reason: '补录迟到的回访与复查重开' });
    const rows = await closeRows();
    expect(rows.map((r) => [r.version, r.previous_hash])).toEqual([[1, null], [2, frozenV1.hash]]);
    expect([rows[0].snapshot, rows[0].hash]).toEqual([frozenV1.snapshot, frozenV1.hash]);
    expect(rows[1].hash).toBe(sha(rows[1].snapshot));
    const v2 = JSON.parse(rows[1].snapshot);
    expect([v2.previous, v2.totals.counts.resolved, v2.totals.satisfaction.answered]).toEqual([{ version: 1, hash: frozenV1.hash }, 2, 2]);
    const show = await ok(w.users.county.get('/complaints/month-closes/2026-10'));
    expect([show.body.data.versions.map((v: any) => v.version), show.body.data.differences]).toEqual([[1, 2], []]);
    // A correction made on a page that still shows version 1 is refused.
    const stale = await w.users.county.post('/complaints/month-closes/2026-10/corrections').send({ reason: '再次更正', version: 1 });
    expect([stale.status, stale.body.error?.details?.code]).toEqual([409, 'month_close_moved']);
    expect((await closeRows()).length).toBe(2);
    const list = await ok(w.users.county.get('/complaints/month-closes'));
    expect(list.body.data.closed.map((m: any) => [m.month, m.version, m.versions])).toEqual([['2026-10', 2, 2]]);
    expect(list.body.data.open).not.toContain('2026-10');
  });
});

const binary = (t: supertest.Test) =>
  t.buffer(true).parse((res, cb) => {
    const b: Buffer[] = [];
    res.on('data', (d: Buffer) => b.push(d));
    res.on('end', () => cb(null, Buffer.concat(b)));
  });
const exported = async (s: AdminSession) => {
  const res = await binary(s.get('/complaints/export?month=2026-10'));
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  return { wb, bytes: res.body as Buffer };
};
const cells = (ws: ExcelJS.Worksheet) => {
  const out: unknown[][] = [];
  ws.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
  return out;
};
let exportFile = '';

describe("the month's ledger export carries its frozen figures and their hash", () => {
  it('the county office: 封账数据 per group and 封账快照 whose joined text has the stated SHA-256 (the latest version)', async () => {
    const { wb, bytes } = await exported(w.users.county);
    const latest = (await closeRows())[1];
    const figures = cells(wb.getWorksheet('封账数据')!);
    const header = figures[0] as string[];
    const total = Object.fromEntries(header.map((h, i) => [h, figures[1][i] ?? null]));
    expect([total['维度'], total['有效诉求'], total['已解决'], total['重新整改'], total['回访已答'], total['不满意']]).toEqual(['全月合计', 3, 2, 1, 2, 1]);
    const t2 = figures.find((r) => r[0] === '责任单位' && r[1] === 'T2')!;
    expect([t2[header.indexOf('有效诉求')], t2[header.indexOf('已解决')]]).toEqual([1, 0]);
    const about = cells(wb.getWorksheet('封账快照')!);
    const stated = about.find((r) => r[0] === 'SHA-256')![1];
    const text = about.filter((r) => String(r[0]).startsWith('快照 ')).map((r) => String(r[1])).join('');
    expect([stated, text, sha(text)]).toEqual([latest.hash, latest.snapshot, latest.hash]);
    exportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-month-')), 'ledger-2026-10.xlsx');
    fs.writeFileSync(exportFile, bytes);
  });

  it("a unit operator's export of the month has its rows but not the county's frozen figures", async () => {
    const { wb } = await exported(w.users.op1);
    expect(wb.getWorksheet('整改台账')).toBeDefined();
    expect([wb.getWorksheet('封账数据'), wb.getWorksheet('封账快照')]).toEqual([undefined, undefined]);
  });

  it('ledger:verify-month --file checks the export without the database: an intact file exits 0', () => {
    const intact = cli(['2026-10', '--file', exportFile]);
    expect([intact.code, intact.out]).toEqual([0, expect.stringContaining('导出文件校验: OK')]);
  });

  it('a tampered export fails the same check', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(exportFile);
    const ws = wb.getWorksheet('封账快照')!;
    let changed = false;
    ws.eachRow((r) => {
      const v = String(r.getCell(2).value ?? '');
      if (!changed && String(r.getCell(1).value).startsWith('快照 ') && v.includes('"resolved":2')) {
        r.getCell(2).value = v.replace('"resolved":2', '"resolved":3');
        changed = true;
      }
    });
    expect(changed).toBe(true);
    const forged = exportFile.replace('.xlsx', '-forged.xlsx');
    await wb.xlsx.writeFile(forged);
    const r = cli(['2026-10', '--file', forged]);
    expect([r.code, r.out]).toEqual([1, expect.stringMatching(/导出文件校验: BROKEN[^]*DIFFERS/)]);
  });
});

describe('npm run ledger:verify-month', () => {
  it('an intact month passes (exit 0), the route says the same', async () => {
    const r = cli(['2026-10']);
    expect(r.out).toContain('Month close 2026-10 封账校验: OK');
    expect(r.code).toBe(0);
    const res = await ok(w.users.leader.get('/complaints/month-closes/2026-10/verify'));
    expect([res.body.data.ok, res.body.data.problems]).toEqual([true, []]);
  });

  it('a forged snapshot row fails (exit 1), naming the version; an unclosed month is not OK either', async () => {
    const forged = frozenV1.snapshot.replace('"resolved":3', '"resolved":2');
    expect(forged).not.toBe(frozenV1.snapshot);
    if (app.db === 'postgres') {
      await knex().raw('ALTER TABLE month_closes DISABLE TRIGGER minyi_month_closes_guard_row');
      try {
        await knex()('month_closes').where('version', 1).update({ snapshot: forged });
      } finally {
        await knex().raw('ALTER TABLE month_closes ENABLE TRIGGER minyi_month_closes_guard_row');
      }
    } else {
      await knex().raw('DROP TRIGGER minyi_month_closes_no_update');
      try {
        await knex()('month_closes').where('version', 1).update({ snapshot: forged });
      } finally {
        await app.strapi.plugin('complaints').service('triggers').ensure();
      }
    }
    const r = cli(['2026-10']);
    expect(r.out).toContain('Month close 2026-10 封账校验: BROKEN');
    expect(r.out).toContain("version 1: 快照的 SHA-256 与记录的不符 / the snapshot's SHA-256 differs from the recorded hash");
    expect(r.code).toBe(1);
    const res = await ok(w.users.county.get('/complaints/month-closes/2026-10/verify'));
    expect([res.body.data.ok, res.body.data.problems.map((p: any) => [p.version, p.kind])]).toEqual([false, [[1, 'hash']]]);
    const none = cli(['2026-09']);
    expect(none.code).toBe(1);
    expect(none.out).toContain('2026-09 尚未封账');
    expect(cli(['2026-9']).code).toBe(2);
  });
});
