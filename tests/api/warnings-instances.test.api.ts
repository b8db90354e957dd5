/**
 * Once per tick, with real processes. Strapi servers with the scheduler on (a slot every two
 * seconds) share one database. On PostgreSQL two run at once: each slot is fired by both and
 * run by exactly one, each stale complaint gets one event; when the instance that ran a slot
 * is killed (SIGKILL), the next slots run on the other. On SQLite (one instance at a time) the
 * same code path runs; a killed instance is replaced by a new one, which takes the next slots.
 */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import knexFactory, { type Knex } from 'knex';
import { act, addDaysFromToday, buildWorld } from '../helpers/world';
import { setupStrapi, stopStrapi, ROOT, type TestApp } from '../helpers/strapi';

jest.setTimeout(240_000);

const RULE = '*/2 * * * * *';

interface Instance {
  name: string;
  child: ChildProcess;
  pid: number;
  instance: string;
  lines: string[];
  exited: Promise<number | null>;
}

let app: TestApp;
let location: string;
const running: Instance[] = [];
let stale: number[] = [];
let later: number[] = [];

/** Runs SQL on the shared database from the test process (no Strapi here). */
let sql: (text: string, params?: unknown[]) => Promise<any[]>;
let closeSql: () => Promise<void> = async () => undefined;

const startInstance = (name: string): Promise<Instance> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MINYI_WARNING_RULE: RULE,
      MINYI_JOBS_RUN_ON_BOOT: 'true',
      LOG_LEVEL: 'debug',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests', 'helpers', 'strapi-instance.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffer = '';
    let settled = false;
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    child.stderr!.on('data', (d) => lines.push(String(d)));
    child.stdout!.on('data', (d) => {
      buffer += String(d);
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        lines.push(line);
        if (!settled && line.startsWith('{"ready":true')) {
          settled = true;
          const info = JSON.parse(line);
          const inst = { name, child, pid: info.pid, instance: info.instance, lines, exited };
          running.push(inst);
          clearTimeout(timer);
          resolve(inst);
        }
      }
    });
    exited.then((code) => {
      if (!settled) reject(new Error(`instance ${name} exited with ${code} before it was ready:\n${lines.join('\n').slice(-3000)}`));
    });
    const timer = setTimeout(() => {
      if (!settled) reject(new Error(`instance ${name} was not ready after 120 s:\n${lines.join('\n').slice(-3000)}`));
    }, 120_000);
    exited.then(() => clearTimeout(timer));
  });

const ranSlots = (inst: Instance): string[] =>
  inst.lines.flatMap((l) => [...l.matchAll(/job warnings slot (\S+) ran on /g)].map((m) => m[1]));
const skippedSlots = (inst: Instance): string[] =>
  inst.lines.flatMap((l) => [...l.matchAll(/job warnings slot (\S+) is claimed by another/g)].map((m) => m[1]));

const waitFor = async <T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

const kill = async (inst: Instance, signal: NodeJS.Signals) => {
  inst.child.kill(signal);
  await inst.exited;
  running.splice(running.indexOf(inst), 1);
};

const warningEventsOf = async (ids: number[]) =>
  (await sql(`SELECT complaint_id, COUNT(*) AS n FROM complaint_events WHERE type = 'warning_changed' AND complaint_id IN (${ids.join(',')}) GROUP BY complaint_id ORDER BY complaint_id`)).map(
    (r) => [Number(r.complaint_id), Number(r.n)]
  );
const levelsOf = async (ids: number[]) =>
  (await sql(`SELECT warning_level FROM complaints WHERE id IN (${ids.join(',')}) ORDER BY id`)).map((r) => r.warning_level);
const runsOfSlot = async (slot: string) => sql(`SELECT instance, status FROM job_runs WHERE job = 'warnings' AND slot = '${slot}'`);

beforeAll(async () => {
  app = await setupStrapi();
  location = app.location;
  const w = await buildWorld(app.strapi);
  const ids: number[] = [];
  // Nine complaints rectifying with 5 days left: orange when approved today.
  for (let i = 0; i < 9; i += 1) {
    const c = await w.complaint();
    expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
    expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
    expect((await act(w.users.op1, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
    expect((await act(w.users.op1, c.documentId, 'submit_measure', { mode: 'deadline', text: '限期整改', responsiblePerson: '张科长', deadline: addDaysFromToday(5) })).status).toBe(200);
    const res = await act(w.users.lead1, c.documentId, 'approve_measure', { comment: '同意' });
    expect(res.body.data.to).toBe('rectifying');
    ids.push(c.id);
  }
  // Six of them stand for complaints whose level is a day old: the next run must raise them.
  stale = ids.slice(0, 6);
  later = ids.slice(6);
  await app.strapi.db.connection('complaints').whereIn('id', stale).update({ warning_level: 'none' });
  await stopStrapi(app.strapi);

  const db: Knex =
    app.db === 'postgres'
      ? knexFactory({ client: 'pg', connection: location, pool: { min: 0, max: 2 } })
      : knexFactory({ client: 'better-sqlite3', connection: { filename: location }, useNullAsDefault: true, pool: { min: 0, max: 1 } });
  sql = async (text, params = []) => {
    const res = await db.raw(text, params as any[]);
    return Array.isArray(res) ? res : res?.rows ?? [];
  };
  closeSql = () => db.destroy();
});

afterAll(async () => {
  for (const inst of [...running]) await kill(inst, 'SIGTERM').catch(() => undefined);
  await closeSql();
  await app?.cleanup();
});

describe('the warning job across server processes', () => {
  it('runs each slot once, and the next slots after the instance that ran one dies', async () => {
    const a = await startInstance('A');
    const pg = app.db === 'postgres';
    let first: Instance[] = [a];
    if (pg) first = [a, await startInstance('B')];

    // A slot fired by every running instance: run by one, skipped by the others.
    const shared = await waitFor('a slot seen by every instance', async () => {
      const seen = first.map((i) => new Set([...ranSlots(i), ...skippedSlots(i)]));
      const slots = [...seen[0]].filter((s) => seen.every((set) => set.has(s)));
      // Wait for a slot after every instance is up, and for the stale levels to be raised.
      const rows = await levelsOf(stale);
      return slots.length >= 2 && rows.every((l) => l === 'orange') ? slots : false;
    });
    for (const slot of shared) {
      const runs = await runsOfSlot(slot);
      expect(runs).toHaveLength(1);
      const runners = first.filter((i) => ranSlots(i).includes(slot));
      expect(runners.map((i) => i.instance)).toEqual([runs[0].instance]);
      if (pg) expect(first.filter((i) => skippedSlots(i).includes(slot))).toHaveLength(1);
    }
    // Each stale complaint was raised once, with one event; the others were never touched.
    expect(await levelsOf(stale)).toEqual(['orange', 'orange', 'orange', 'orange', 'orange', 'orange']);
    expect(await warningEventsOf(stale)).toEqual(stale.map((id) => [id, 1]));
    expect(await warningEventsOf(later)).toEqual([]);
    const total = await sql(`SELECT COALESCE(SUM(changed_count), 0) AS n, COUNT(*) AS runs FROM job_runs WHERE job = 'warnings' AND status = 'done'`);
    expect(Number(total[0].n)).toBe(6);
    const dupes = await sql(`SELECT slot FROM job_runs WHERE job = 'warnings' GROUP BY slot HAVING COUNT(*) > 1`);
    expect(dupes).toEqual([]);

    // The instance that ran the latest slot dies without a word.
    const [latest] = await sql(`SELECT instance, slot FROM job_runs WHERE job = 'warnings' AND status = 'done' ORDER BY slot DESC LIMIT 1`);
    const victim = running.find((i) => i.instance === latest.instance)!;
    expect(victim).toBeDefined();
    await kill(victim, 'SIGKILL');
    const killedAt = new Date().toISOString();
    const survivor = pg ? running[0] : await startInstance('C');
    expect(survivor.instance).not.toBe(victim.instance);

    // Three more complaints go stale; later slots run on the survivor and raise them.
    await sql(`UPDATE complaints SET warning_level = 'none' WHERE id IN (${later.join(',')})`);
    await waitFor('the survivor to run two slots after the kill', async () => {
      const rows = await sql(`SELECT slot FROM job_runs WHERE job = 'warnings' AND status = 'done' AND instance = '${survivor.instance}' AND slot > '${killedAt}'`);
      return rows.length >= 2;
    });
    expect(await levelsOf(later)).toEqual(['orange', 'orange', 'orange']);
    expect(await warningEventsOf(later)).toEqual(later.map((id) => [id, 1]));
    expect(await warningEventsOf(stale)).toEqual(stale.map((id) => [id, 1]));
    const afterKill = await sql(`SELECT DISTINCT instance FROM job_runs WHERE job = 'warnings' AND slot > '${killedAt}'`);
    expect(afterKill.map((r) => r.instance)).toEqual([survivor.instance]);
  });
});
