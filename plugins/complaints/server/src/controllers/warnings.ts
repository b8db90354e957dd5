import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { TABLE } from '../constants';
import { ownUnitsFirst, redList, warningTotals } from '../domain/unit-warnings';
import { seesJobInstances } from '../domain/workflow';
import { getService } from '../utils';

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
  const instancesVisible = async (ctx: any) => seesJobInstances(await getService('access', strapi).context(ctx.state.user));

  return {
    /**
     * GET /complaints/warnings/overview: per unit, the yellow, orange and red complaints whose
     * clock runs and their total overdue days; the user's own units first; the red list (units
     * with the most red complaints); and the warning job's latest run, so anyone can see it is alive.
     */
    async overview(ctx: any) {
      const { today, units } = await getService('warnings', strapi).byUnit();
      const ownUnits = await getService('actors', strapi).unitsOf(ctx.state.user.id);
      const own = ownUnits.map((u) => Number(u.id));
      const lastRun = await strapi.db
        .connection(TABLE.jobRun)
        .where({ job: 'warnings' })
        .whereIn('status', ['done', 'failed'])
        .orderBy('started_at', 'desc')
        .first('slot', 'instance', 'status', 'started_at', 'finished_at', 'duration_ms', 'changed_count');
      ctx.body = {
        data: {
          today,
          ownUnitIds: own,
          ownUnits: ownUnits.map((u: any) => ({ id: Number(u.id), code: u.code, name: u.name })),
          units: ownUnitsFirst(units, own),
          redList: redList(units),
          totals: warningTotals(units),
          lastRun: lastRun ? runView(lastRun, await instancesVisible(ctx)) : null,
        },
      };
    },

    /** GET /complaints/jobs/runs?job=warnings&limit=20: the latest recorded runs. */
    async runs(ctx: any) {
      const known = getService('jobs', strapi).definitions().map((d) => d.name);
      const job = ctx.query.job;
      if (job !== undefined && !known.includes(job)) {
        throw new errors.ValidationError(`未知的定时任务：${String(job).slice(0, 40)} / Unknown job: ${String(job).slice(0, 40)}`, { known });
      }
      const limitRaw = ctx.query.limit ?? '20';
      const limit = Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        throw new errors.ValidationError('limit 应为 1 到 200 的整数 / limit must be an integer from 1 to 200');
      }
      let q = strapi.db.connection(TABLE.jobRun).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit);
      if (job) q = q.where({ job });
      const withInstance = await instancesVisible(ctx);
      const rows = await q.select('job', 'slot', 'instance', 'status', 'started_at', 'finished_at', 'duration_ms', 'changed_count', 'error');
      ctx.body = {
        data: rows.map((r: any) => ({ job: r.job, ...runView(r, withInstance), error: r.error ?? null })),
      };
    },
  };
};
