/**
 * Scheduled jobs (node-cron 4) that run once per slot across every instance sharing the
 * database. A slot is one scheduled fire time; a job claims it by inserting the row
 * (job, slot) into job_runs, whose unique key lets exactly one instance win, whatever its
 * clock says. node-cron's `distributed` mode asks our run coordinator, which makes the claim;
 * the run right after boot bypasses node-cron, so the job function claims its slot itself.
 * The claim row then records the run (instance, duration, changed count) for administrators.
 */
import type { Core } from '@strapi/strapi';
import cron, { type ScheduledTask, type RunCoordinator } from 'node-cron';
import { TABLE } from '../constants';
import { DomainError } from '../domain/errors';
import { newDocumentId, getConfig, safeDbError } from '../utils';
import { INSTANCE_ID } from '../utils/instance';


export interface JobContext {
  slot: string;
  now: Date;
}
export interface JobResult {
  changed?: number;
}
export interface JobDefinition {
  name: string;
  rule: string;
  run: (ctx: JobContext) => Promise<JobResult | void>;
  runOnBoot?: boolean;
}
export interface JobOutcome {
  job: string;
  slot: string;
  ran: boolean;
  changed?: number;
  durationMs?: number;
  error?: string;
}

/** The scheduled fire time at or before `now`, to the minute (ISO, UTC). */
export const currentSlot = (task: Pick<ScheduledTask, 'match'>, now: Date, lookbackMinutes = 60 * 24 * 32): string => {
  const t = new Date(now);
  t.setUTCSeconds(0, 0);
  for (let i = 0; i <= lookbackMinutes; i += 1) {
    if (task.match(t)) return t.toISOString();
    t.setUTCMinutes(t.getUTCMinutes() - 1);
  }
  return t.toISOString();
};

/** A job_runs row as the admin sees it; the instance only for roles that operate the servers. */
const runView = (r: any, withInstance: boolean) => ({
  slot: r.slot as string,
  ...(withInstance ? { instance: r.instance as string } : {}),
  status: r.status as string,
  startedAt: new Date(r.started_at).toISOString(),
  finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  changed: r.changed_count === null ? null : Number(r.changed_count),
});

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const definitions = new Map<string, JobDefinition>();
  const tasks = new Map<string, ScheduledTask>();
  /** Keys (job:slot) this instance claimed through the coordinator and has not run yet. */
  const claimedByCoordinator = new Set<string>();
  /** Unstarted tasks used only to find the slot a given time falls in. */
  const matchers = new Map<string, ScheduledTask>();
  const matcherFor = (def: JobDefinition): ScheduledTask => {
    let m = matchers.get(def.name);
    if (!m) {
      m = cron.createTask(def.rule, () => undefined, { timezone: getConfig(strapi).timeZone, name: `${def.name}-matcher` });
      matchers.set(def.name, m);
    }
    return m;
  };

  const claim = async (job: string, slot: string, now = new Date()): Promise<boolean> => {
    const knex = strapi.db.connection;
    const row = {
      document_id: newDocumentId(),
      created_at: now,
      updated_at: now,
      published_at: now,
      job,
      slot,
      instance: INSTANCE_ID,
      status: 'running',
      started_at: now,
    };
    try {
      const inserted = await knex(TABLE.jobRun).insert(row).onConflict(['job', 'slot']).ignore().returning('id');
      return (inserted as unknown[]).length > 0;
    } catch (e) {
      throw safeDbError(e, `claim of job ${job}`);
    }
  };

  const coordinator: RunCoordinator = {
    async shouldRun(key: string) {
      const sep = key.indexOf(':');
      const job = key.slice(0, sep);
      const slot = key.slice(sep + 1);
      const won = await claim(job, slot);
      if (won) claimedByCoordinator.add(`${job}|${slot}`);
      return won;
    },
  };

  const finish = async (job: string, slot: string, patch: Record<string, unknown>) => {
    await strapi.db.connection(TABLE.jobRun).where({ job, slot }).update({ ...patch, updated_at: new Date() });
  };

  return {
    define(def: JobDefinition) {
      definitions.set(def.name, def);
    },

    definitions(): JobDefinition[] {
      return [...definitions.values()];
    },

    /**
     * The latest recorded runs (`job` one of the defined jobs, `limit` 1 to 200, default 20), with
     * the instance that ran each one only for roles that operate the servers.
     */
    async runs(query: { job?: unknown; limit?: unknown }, withInstance: boolean) {
      const known = [...definitions.keys()];
      const job = query.job;
      if (job !== undefined && !known.includes(job as string)) {
        const shown = String(job).slice(0, 40);
        throw new DomainError('validation', 'unknown_job', `未知的定时任务：${shown}`, `Unknown job: ${shown}`, { known });
      }
      const limit = Number(query.limit ?? '20');
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        throw new DomainError('validation', 'invalid_limit', 'limit 应为 1 到 200 的整数', 'limit must be an integer from 1 to 200');
      }
      let q = strapi.db.connection(TABLE.jobRun).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit);
      if (job) q = q.where({ job });
      const rows = await q.select('job', 'slot', 'instance', 'status', 'started_at', 'finished_at', 'duration_ms', 'changed_count', 'error');
      return rows.map((r: any) => ({ job: r.job, ...runView(r, withInstance), error: r.error ?? null }));
    },

    /** The latest finished run of a job (done or failed), or null. */
    async lastRun(job: string, withInstance: boolean) {
      const r = await strapi.db
        .connection(TABLE.jobRun)
        .where({ job })
        .whereIn('status', ['done', 'failed'])
        .orderBy('started_at', 'desc')
        .first('slot', 'instance', 'status', 'started_at', 'finished_at', 'duration_ms', 'changed_count');
      return r ? runView(r, withInstance) : null;
    },

    /** Claims the slot (unless the coordinator already did for this instance) and runs the job. */
    async run(name: string, opts: { slot?: string; now?: Date } = {}): Promise<JobOutcome> {
      const def = definitions.get(name);
      if (!def) throw new Error(`[complaints] unknown job ${name}`);
      const now = opts.now ?? new Date();
      const slot = opts.slot ?? currentSlot(matcherFor(def), now);
      const key = `${name}|${slot}`;
      const mine = claimedByCoordinator.delete(key) || (await claim(name, slot, now));
      if (!mine) {
        strapi.log.debug(`[complaints] job ${name} slot ${slot} is claimed by another run`);
        return { job: name, slot, ran: false };
      }
      const started = Date.now();
      try {
        const result = (await def.run({ slot, now })) ?? {};
        const durationMs = Date.now() - started;
        await finish(name, slot, { status: 'done', finished_at: new Date(), duration_ms: durationMs, changed_count: result.changed ?? null });
        const line = `[complaints] job ${name} slot ${slot} ran on ${INSTANCE_ID}: ${result.changed ?? 0} changed in ${durationMs} ms`;
        if (result.changed) strapi.log.info(line);
        else strapi.log.debug(line);
        return { job: name, slot, ran: true, changed: result.changed, durationMs };
      } catch (e) {
        const msg = String((e as Error)?.message ?? e).slice(0, 500);
        strapi.log.error(`[complaints] job ${name} failed in slot ${slot}: ${msg}`);
        await finish(name, slot, { status: 'failed', finished_at: new Date(), duration_ms: Date.now() - started, error: msg }).catch(() => undefined);
        return { job: name, slot, ran: true, error: msg, durationMs: Date.now() - started };
      }
    },

    /** Schedules every defined job, and runs those marked runOnBoot once now. */
    async start() {
      const cfg = getConfig(strapi);
      if (!cfg.jobs.enabled) return;
      for (const def of definitions.values()) {
        const task = cron.schedule(
          def.rule,
          async (context) => {
            await this.run(def.name, { slot: context.date.toISOString(), now: new Date() });
          },
          { name: def.name, timezone: cfg.timeZone, noOverlap: true, distributed: true, runCoordinator: coordinator }
        );
        task.on('execution:skipped', (context) => {
          strapi.log.debug(`[complaints] job ${def.name} slot ${context.date.toISOString()} is claimed by another instance (${context.reason ?? 'skipped'})`);
        });
        tasks.set(def.name, task);
        if (def.runOnBoot && cfg.jobs.runOnBoot) {
          void this.run(def.name).catch((e) => strapi.log.error(`[complaints] boot run of ${def.name} failed: ${(e as Error).message}`));
        }
      }
    },

    async stop() {
      for (const task of tasks.values()) await task.destroy();
      for (const task of matchers.values()) await task.destroy();
      tasks.clear();
      matchers.clear();
    },

    instanceId: INSTANCE_ID,
    claim,
  };
};
