/**
 * The counts' SQL on SQLite in memory, for the cases the API test's county does not reach: the
 * county's months across a year's end (and where a Beijing month starts in UTC), no rows at all,
 * and a month dimension whose column is empty on every row.
 */
import knexFactory, { type Knex } from 'knex';
import { monthsBetween } from '../../../plugins/complaints/server/src/domain/calendar';
import { countComplaints } from '../../../plugins/complaints/server/src/services/complaint-query';
import { parseCountsRequest } from '../../../plugins/complaints/server/src/domain/filters';
import type { ActorContext } from '../../../plugins/complaints/server/src/domain/workflow';

let db: Knex;
const county: ActorContext = { userId: 1, roles: ['countyOffice'], unitIds: [], superAdmin: false };
const ctx = { timeZone: 'Asia/Shanghai' };

beforeAll(async () => {
  db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  await db.schema.createTable('complaints', (t) => {
    t.increments('id');
    t.string('state');
    t.string('town');
    t.integer('responsible_unit_id').nullable();
    t.integer('lead_unit_id').nullable();
    t.bigInteger('received_at');
    t.bigInteger('closed_at').nullable();
  });
  const at = (iso: string) => new Date(iso).getTime();
  await db('complaints').insert([
    { state: 'received', town: '城关镇', received_at: at('2025-12-31T15:59:59.999Z'), closed_at: null },
    { state: 'received', town: '城关镇', received_at: at('2025-12-31T16:00:00.000Z'), closed_at: null },
    { state: 'received', town: '东坝镇', received_at: at('2026-02-14T04:00:00.000Z'), closed_at: null },
  ]);
});
afterAll(() => db.destroy());

describe('months in the county', () => {
  it('from the month of the first instant to that of the last, each with its first instant in UTC', () => {
    expect(monthsBetween(new Date('2025-11-30T16:00:00Z'), new Date('2026-01-31T15:59:59Z'), 'Asia/Shanghai').map(([m, d]) => [m, d.toISOString()])).toEqual([
      ['2025-12', '2025-11-30T16:00:00.000Z'],
      ['2026-01', '2025-12-31T16:00:00.000Z'],
    ]);
  });

  it('counts by month received cut at Beijing midnight (23:59:59.999 is still December)', async () => {
    expect((await countComplaints(db, parseCountsRequest({ by: 'monthReceived' }), county, ctx)).data).toEqual([
      { monthReceived: '2025-12', count: 1 },
      { monthReceived: '2026-01', count: 1 },
      { monthReceived: '2026-02', count: 1 },
    ]);
  });

  it('no closed complaint: one group with no month', async () => {
    expect(await countComplaints(db, parseCountsRequest({ by: 'town,monthClosed' }), county, ctx)).toEqual({
      data: [{ town: '城关镇', monthClosed: null, count: 2 }, { town: '东坝镇', monthClosed: null, count: 1 }],
      meta: { total: 3, by: ['town', 'monthClosed'] },
    });
  });

  it('no row at all: no group, total 0', async () => {
    expect(await countComplaints(db, parseCountsRequest({ by: 'monthReceived', town: '南山乡' }), county, ctx)).toEqual({ data: [], meta: { total: 0, by: ['monthReceived'] } });
  });
});
