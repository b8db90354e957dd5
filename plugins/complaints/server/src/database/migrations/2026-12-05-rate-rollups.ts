/**
 * The rates' rollup (services/rate-rollup.ts): the counts behind the rates and the monthly
 * ranking, summed per county month received, responsible unit, lead unit, category, town and
 * state, rebuilt by the warning job every slot. Plain tables, not content types, so Strapi's
 * schema sync leaves them alone. The key columns carry the names of the complaint's columns, so
 * the filter module compiles its filters on them as it does on `complaints`.
 *
 *   - rate_rollups: one row per key (and, for the assignments, per key of the unit that held the
 *     complaint), with every count of domain/rates.ts `RateCounts` but the problem groups, and the
 *     latest survey answers by value;
 *   - rate_rollup_groups: per key and problem group, its demands and those resolved (a group is
 *     resolved when every demand the caller sees is, so groups are counted at query time);
 *   - rate_rollup_builds: the one build the rows belong to: when, for which county day and zone.
 */
import type { Knex } from 'knex';

export const name = 'complaints::2026-12-05-rate-rollups';

/** The count columns of rate_rollups, in domain/rates.ts order (snake case), then the answers. */
export const ROLLUP_COUNT_COLUMNS = [
  'valid', 'resolved', 'policy_limited', 'traceable_valid', 'traceable_resolved', 'traceable_policy_limited',
  'response_due', 'accepted_in_time', 'response_pending', 'completion_due', 'completed_on_time',
  'measures_submitted', 'measures_returned', 'closed_ever', 'reopened', 'assignments', 'sent_back',
  'common_demands', 'common_demands_resolved', 'satisfied', 'basically_satisfied', 'dissatisfied',
] as const;

const keyColumns = (t: Knex.CreateTableBuilder) => {
  t.string('month', 7).nullable();
  t.integer('responsible_unit_id').nullable();
  t.integer('lead_unit_id').nullable();
  t.string('category_code').nullable();
  t.string('major_category_code').nullable();
  t.string('town', 255).nullable();
  t.string('state', 32).notNullable();
};

export const up = async (knex: Knex): Promise<void> => {
  if (!(await knex.schema.hasTable('rate_rollups'))) {
    await knex.schema.createTable('rate_rollups', (t) => {
      keyColumns(t);
      for (const c of ROLLUP_COUNT_COLUMNS) t.integer(c).notNullable().defaultTo(0);
      t.index(['month', 'responsible_unit_id'], 'rate_rollups_month_unit_idx');
    });
  }
  if (!(await knex.schema.hasTable('rate_rollup_groups'))) {
    await knex.schema.createTable('rate_rollup_groups', (t) => {
      keyColumns(t);
      t.integer('problem_group_id').notNullable();
      t.integer('demands').notNullable();
      t.integer('resolved').notNullable();
      t.index(['month', 'responsible_unit_id'], 'rate_rollup_groups_month_unit_idx');
    });
  }
  if (!(await knex.schema.hasTable('rate_rollup_builds'))) {
    await knex.schema.createTable('rate_rollup_builds', (t) => {
      t.integer('id').primary();
      t.bigInteger('built_at_ms').notNullable();
      t.string('today', 10).notNullable();
      t.string('time_zone', 64).notNullable();
      t.integer('rows').notNullable();
      t.integer('took_ms').notNullable();
    });
  }
};

export const down = async (knex: Knex): Promise<void> => {
  for (const t of ['rate_rollups', 'rate_rollup_groups', 'rate_rollup_builds']) await knex.schema.dropTableIfExists(t);
};
