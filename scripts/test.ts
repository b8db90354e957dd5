/**
 * `npm test`: lint, type-check, build the plugin, then run the unit tests and the API tests on
 * SQLite and, when a PostgreSQL server is reachable, on PostgreSQL too. With CI set, a skipped
 * database (or browser) is a failure.
 *
 *   npm test                 everything
 *   npm test -- --unit       unit tests only
 *   npm test -- --sqlite     unit + SQLite API tests
 *   npm test -- <jest args>  extra arguments are passed to every jest run (e.g. a file pattern)
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { Client } from 'pg';
import { chromiumPath } from '../tests/helpers/browser';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const filtered = args.filter((a) => !a.startsWith('--') || a.startsWith('--testNamePattern') || a.startsWith('-t'));
// A file pattern may match nothing in one of the projects: that is not a failure.
const jestArgs = filtered.length ? [...filtered, '--passWithNoTests'] : filtered;
const CI = Boolean(process.env.CI);
const results: Array<[string, 'passed' | 'FAILED' | 'SKIPPED', string?]> = [];

const run = (name: string, cmd: string, cmdArgs: string[], env: Record<string, string> = {}): boolean => {
  const started = Date.now();
  // eslint-disable-next-line no-console
  console.log(`\n━━ ${name} ━━`);
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push([name, ok ? 'passed' : 'FAILED', `${((Date.now() - started) / 1000).toFixed(0)} s`]);
  return ok;
};

/** Newest modification time under `dir` (files only), 0 when it does not exist. */
const newest = (dir: string): number => {
  if (!fs.existsSync(dir)) return 0;
  const st = fs.statSync(dir);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(dir).reduce((m, f) => (f === 'node_modules' ? m : Math.max(m, newest(path.join(dir, f)))), 0);
};

/**
 * The plugin's build is fresh when each of its outputs is newer than every source file of the
 * plugin (the install's postinstall has just built it): building again would change nothing.
 */
const pluginBuildIsFresh = (): boolean => {
  const plugin = path.join(ROOT, 'plugins', 'complaints');
  const outputs = ['dist/server/index.js', 'dist/admin/index.js', 'dist/page/app.js'].map((f) => path.join(plugin, f));
  if (!outputs.every((f) => fs.existsSync(f))) return false;
  const built = Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
  const sources = Math.max(...['server', 'admin', 'page', 'package.json'].map((f) => newest(path.join(plugin, f))));
  return built > sources;
};

const pgUrl = (): string => {
  const fromEnv = process.env.TEST_PG_URL || (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : '');
  return fromEnv || 'postgres://postgres@127.0.0.1:5432/postgres';
};

const pgReachable = async (url: string): Promise<string | null> => {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
};

const main = async () => {
  const unitOnly = flag('--unit');
  const sqliteOnly = flag('--sqlite');
  let ok = true;

  // Each project may match none of a file pattern, but all of them together must match a file:
  // a mistyped pattern would otherwise pass having run nothing.
  const patterns = filtered.filter((a) => !a.startsWith('-'));
  if (patterns.length) {
    const listed = spawnSync('npx', ['jest', '--listTests', ...patterns], { cwd: ROOT, encoding: 'utf8' });
    if (!listed.stdout || !listed.stdout.trim()) {
      // eslint-disable-next-line no-console
      console.error(`No test file matches ${patterns.join(' ')}: nothing to run.`);
      process.exit(1);
    }
  }

  if (!unitOnly) {
    // A lint error fails the run, but the tests still run so that one report shows everything.
    ok = run('lint (ESLint)', 'npm', ['run', '--silent', 'lint']) && ok;
    // A type error stops here: compiling the app for the API tests would exit a Jest worker.
    const typed = run('type-check (app, plugin server, plugin admin, tests)', 'npm', ['run', '--silent', 'typecheck']);
    let built = typed;
    if (typed && pluginBuildIsFresh()) {
      results.push(['build the plugin', 'passed', 'already built from the current sources']);
    } else {
      built = typed && run('build the plugin', 'npm', ['run', '--silent', 'build:plugin']);
    }
    if (!built) {
      // eslint-disable-next-line no-console
      console.log(`\n━━ summary ━━\n${results.map(([n, st, d]) => `  ${st.padEnd(8)} ${n}${d ? `  (${d})` : ''}`).join('\n')}\n  the tests did not run`);
      process.exit(1);
    }
  }
  ok = run('unit tests', 'npx', ['jest', ...jestArgs, '--selectProjects', 'unit']) && ok;
  if (!unitOnly) {
    ok = run('API tests on SQLite', 'npx', ['jest', ...jestArgs, '--selectProjects', 'api', '--maxWorkers=2'], { TEST_DB: 'sqlite' }) && ok;
    if (!sqliteOnly) {
      const url = pgUrl();
      const problem = await pgReachable(url);
      if (problem) {
        results.push(['API tests on PostgreSQL', 'SKIPPED', `not reachable at ${url.replace(/:[^:@/]*@/, ':***@')}: ${problem}`]);
        // eslint-disable-next-line no-console
        console.log(`\n!! PostgreSQL is not reachable (${problem}): the PostgreSQL API tests were SKIPPED.`);
        if (CI) ok = false;
      } else {
        ok = run('API tests on PostgreSQL', 'npx', ['jest', ...jestArgs, '--selectProjects', 'api', '--maxWorkers=2'], { TEST_DB: 'postgres', TEST_PG_URL: url }) && ok;
      }
    }
    if (!sqliteOnly) {
      const chromium = chromiumPath();
      if (!chromium) {
        results.push(['browser tests (Chromium)', 'SKIPPED', 'Chromium is not installed: apt-get install -y chromium']);
        // eslint-disable-next-line no-console
        console.log('\n!! Chromium is not installed: the browser tests were SKIPPED.');
        if (CI) ok = false;
      } else {
        ok = run('browser tests (Chromium, admin panel and public page)', 'npx', ['jest', ...jestArgs, '--selectProjects', 'browser'], { TEST_DB: 'sqlite', CHROMIUM_PATH: chromium }) && ok;
        // The public page's browser test runs on PostgreSQL too (its figures come from SQL).
        if (!patterns.length && !(await pgReachable(pgUrl()))) {
          ok = run('browser test of the public page on PostgreSQL', 'npx', ['jest', 'tests/browser/public-page', '--selectProjects', 'browser'], { TEST_DB: 'postgres', TEST_PG_URL: pgUrl(), CHROMIUM_PATH: chromium }) && ok;
        }
      }
    }
  }

  // eslint-disable-next-line no-console
  console.log(`\n━━ summary ━━\n${results.map(([n, s, d]) => `  ${s.padEnd(8)} ${n}${d ? `  (${d})` : ''}`).join('\n')}`);
  if (CI && results.some(([, s]) => s === 'SKIPPED')) {
    // eslint-disable-next-line no-console
    console.log('  CI is set: a skipped suite counts as a failure.');
  }
  process.exit(ok ? 0 : 1);
};

void main();
