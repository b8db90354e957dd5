/**
 * The scope filter compiled into SQL (services/access.ts `applyScope`) selects exactly the
 * complaints `maySee` allows, for every role and unit combination: the statistics, export and
 * workbench filter with the first, single complaints are checked with the second. The counts over
 * the statistics columns in memory (domain/column-counts.ts) count exactly the same complaints.
 */
import knexFactory, { type Knex } from 'knex';
import { STATES } from '../../../plugins/complaints/server/src/domain/complaint-state';
import { maySee, type ActorContext } from '../../../plugins/complaints/server/src/domain/workflow';
import type { RoleKey } from '../../../plugins/complaints/server/src/domain/roles';
import { applyScope } from '../../../plugins/complaints/server/src/services/access';
import { ComplaintColumnsBuilder, countColumns } from '../../../plugins/complaints/server/src/domain/column-counts';
import { parseCountsRequest } from '../../../plugins/complaints/server/src/domain/filters';
import { complaintScope } from '../../../plugins/complaints/server/src/domain/workflow';

const OWN = 10;
const LEAD = 20;
const OTHER = 99;
const UNITS = [OWN, LEAD, OTHER, null];

let db: Knex;
const rows: Array<{ id: number; state: (typeof STATES)[number]; responsible_unit_id: number | null; lead_unit_id: number | null }> = [];

beforeAll(async () => {
  db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  await db.schema.createTable('complaints', (t) => {
    t.increments('id');
    t.string('state');
    t.integer('responsible_unit_id').nullable();
    t.integer('lead_unit_id').nullable();
  });
  let id = 0;
  for (const state of STATES) for (const r of UNITS) for (const l of UNITS) rows.push({ id: (id += 1), state, responsible_unit_id: r, lead_unit_id: l });
  await db('complaints').insert(rows);
});
afterAll(() => db.destroy());

const actor = (roles: RoleKey[], unitIds: number[], superAdmin = false): ActorContext => ({ userId: 1, roles, unitIds, superAdmin });

const actors: Array<[string, ActorContext]> = [
  ['Super Admin', actor([], [], true)],
  ['county office', actor(['countyOffice'], [])],
  ['county leader', actor(['countyLeader'], [])],
  ['unit operator of OWN', actor(['unitOperator'], [OWN])],
  ['unit head of OWN', actor(['unitHead'], [OWN])],
  ['lead unit LEAD', actor(['leadUnit'], [LEAD])],
  ['lead unit and operator in two units', actor(['leadUnit', 'unitOperator'], [OWN, LEAD])],
  ['operator with no unit', actor(['unitOperator'], [])],
  ['no Minyi role (Editor)', actor([], [OWN])],
];

describe('applyScope selects what maySee allows', () => {
  it.each(actors)('%s', async (_name, a) => {
    const selected = (await applyScope(db('complaints').select('id').orderBy('id'), a)).map((r: { id: number }) => r.id);
    const allowed = rows.filter((r) => maySee({ state: r.state, responsibleUnitId: r.responsible_unit_id, leadUnitId: r.lead_unit_id }, a)).map((r) => r.id);
    expect(selected).toEqual(allowed);
  });

  it('hand-counted: 10 states × 16 unit pairs = 160 complaints; a county role sees 160, the operator of OWN the 7 unit states × 4 lead values = 28', async () => {
    const count = async (a: ActorContext) => (await applyScope(db('complaints').select('id'), a)).length;
    expect(rows.length).toBe(160);
    expect(await count(actor(['countyOffice'], []))).toBe(160);
    expect(await count(actor(['unitOperator'], [OWN]))).toBe(28);
    expect(await count(actor(['unitOperator'], []))).toBe(0);
  });
});

describe('the statistics columns in memory count what maySee allows', () => {
  const columns = () => {
    const b = new ComplaintColumnsBuilder();
    for (const r of rows) {
      b.add({
        id: r.id, state: r.state, responsibleUnitId: r.responsible_unit_id, leadUnitId: r.lead_unit_id, categoryCode: null, majorCategoryCode: null,
        town: null, village: null, channel: 'hotline', importBatch: null, traceable: true, invalidReason: null, level: null, nature: null,
        problemGroupId: null, mode: null, warningLevel: 'none', receivedAt: new Date('2026-05-01T02:00:00Z'), closedAt: null, deadline: null, reopenCount: 0,
      });
    }
    return b.build({ timeZone: 'Asia/Shanghai', latestAnswer: () => null, latestCheck: () => null });
  };

  it.each(actors)('%s', (_name, a) => {
    const counted = countColumns(columns(), parseCountsRequest({ by: 'state' }), complaintScope(a), 'Asia/Shanghai');
    const allowed = rows.filter((r) => maySee({ state: r.state, responsibleUnitId: r.responsible_unit_id, leadUnitId: r.lead_unit_id }, a));
    const byState = new Map<string, number>();
    for (const r of allowed) byState.set(r.state, (byState.get(r.state) ?? 0) + 1);
    expect(Object.fromEntries(counted.data.map((d) => [d.state, d.count]))).toEqual(Object.fromEntries(byState));
    expect(counted.total).toBe(allowed.length);
  });
});
