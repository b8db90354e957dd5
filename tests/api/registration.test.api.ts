/**
 * Registration 登记 (POST /complaints/registrations): the county office types in a demand received
 * by visit, phone or letter. The complaint is stored in state received with the next ledger
 * number of the registration series (REG<year><6 digits>), its chain starts with the `created`
 * event, and its originals are frozen from then on. Every rule of the form is a 400 naming the
 * field, writing nothing, never repeating what was typed; each with a positive control.
 */
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

// Each request is logged (as in production), so the log can be searched for what was typed.
process.env.LOG_LEVEL = 'http';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started), { captureLog: true });

afterAll(() => {
  process.env.LOG_LEVEL = 'warn';
});

const knex = () => app.strapi.db.connection;
const complaintCount = async () => Number((await knex()('complaints').count({ n: '*' }))[0].n);
const eventCount = async () => Number((await knex()('complaint_events').count({ n: '*' }))[0].n);
const CM = '/content-manager/collection-types/plugin::complaints.complaint';
/** The series numbers by the county's calendar year (Asia/Shanghai in the test configuration). */
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());

const PHONE = '13912345678';
const NAME = '登记测试人';
const GOOD = {
  channel: 'hotline',
  receivedAt: '2026-11-20T09:30:00+08:00',
  content: '东街社区排水沟堵塞，雨天积水漫进院子',
  town: '城关镇',
  village: '东街社区',
  complainantName: NAME,
  phone: PHONE,
  address: '东街 12 号',
};

const register = (body: unknown, s = w.users.county) => s.post('/complaints/registrations').send(body as object);

beforeAll(async () => {
  // The series so far: number 41 of this year; another year's and the online series' numbers do not count.
  for (const ledgerNo of [`REG${YEAR}000041`, `REG${Number(YEAR) - 1}000099`, `WEB${YEAR}000077`]) {
    await app.strapi.documents('plugin::complaints.complaint').create({
      data: { ledgerNo, receivedAt: '2026-01-05T02:00:00.000Z', channel: 'visit', town: '城关镇', village: '东街社区', content: '既有台账诉求' } as any,
    });
  }
});

describe('registering a demand', () => {
  let documentId = '';
  let id = 0;

  it('answers 201 with the next ledger number of the series and the document id', async () => {
    const before = await complaintCount();
    const res = await register(GOOD);
    expect(res.status).toBe(201);
    expect(res.body.data.ledgerNo).toBe(`REG${YEAR}000042`);
    documentId = res.body.data.documentId;
    expect(typeof documentId).toBe('string');
    expect(await complaintCount()).toBe(before + 1);
  });

  it('stores the originals as typed (the phone as digits), in state received, traceable', async () => {
    const row = await knex()('complaints')
      .where('document_id', documentId)
      .first('id', 'ledger_no', 'state', 'channel', 'received_at', 'content', 'town', 'village', 'complainant_name', 'phone', 'address', 'traceable', 'import_batch', 'chain_seq');
    id = Number(row.id);
    expect({ ...row, id: undefined, received_at: new Date(row.received_at).toISOString(), traceable: Boolean(row.traceable), chain_seq: Number(row.chain_seq) }).toEqual({
      id: undefined,
      ledger_no: `REG${YEAR}000042`,
      state: 'received',
      channel: 'hotline',
      received_at: '2026-11-20T01:30:00.000Z',
      content: '东街社区排水沟堵塞，雨天积水漫进院子',
      town: '城关镇',
      village: '东街社区',
      complainant_name: NAME,
      phone: PHONE,
      address: '东街 12 号',
      traceable: true,
      import_batch: null,
      chain_seq: 1,
    });
  });

  it('starts the history chain with the created event, the clerk as actor', async () => {
    const events = (await knex()('complaint_events').where('complaint_id', id).orderBy('seq').select('seq', 'type', 'from_state', 'to_state', 'actor_kind', 'actor_name', 'prev_hash', 'data')) as any[];
    expect(events.map((e) => [Number(e.seq), e.type, e.from_state, e.to_state, e.actor_kind, e.actor_name])).toEqual([[1, 'created', null, 'received', 'admin', '整治办 测试']]);
    expect(typeof events[0].data === 'string' ? JSON.parse(events[0].data) : events[0].data).toEqual({ channel: 'hotline', importBatch: null });
  });

  it('a mobile number gets the registered notice by SMS, with the ledger number', async () => {
    const sms = (await knex()('sms_messages').where('complaint_id', id).select('template', 'phone', 'body')) as any[];
    expect(sms).toEqual([{ template: 'registered_notice', phone: PHONE, body: `【民意服务站】您的诉求已登记，编号REG${YEAR}000042。我们将尽快处理。` }]);
  });

  it('the next registration takes the next number', async () => {
    const res = await register({ ...GOOD, channel: 'visit', phone: '' });
    expect([res.status, res.body.data.ledgerNo]).toEqual([201, `REG${YEAR}000043`]);
    const row = await knex()('complaints').where('document_id', res.body.data.documentId).first('channel', 'phone', 'traceable');
    expect([row.channel, row.phone, Boolean(row.traceable)]).toEqual(['visit', null, false]);
    // No phone, no message; a landline cannot take one either.
    const landline = await register({ ...GOOD, channel: 'letter', phone: '0571-88776655' });
    expect(landline.status).toBe(201);
    const ids = (await knex()('complaints').whereIn('document_id', [res.body.data.documentId, landline.body.data.documentId]).pluck('id')).map(Number);
    expect(ids.length).toBe(2);
    expect(Number((await knex()('sms_messages').whereIn('complaint_id', ids).count({ n: '*' }))[0].n)).toBe(0);
  });

  it('an original field is frozen: a Content Manager PUT of the content or the phone is refused, the row unchanged (positive control: the summary is saved)', async () => {
    const stored = async () => JSON.stringify(await knex()('complaints').where('id', id).first('content', 'phone', 'received_at', 'town'));
    const before = await stored();
    for (const patch of [{ content: '改过的诉求内容' }, { phone: '13900000000' }, { receivedAt: '2026-11-21T01:00:00.000Z' }, { town: '东坝镇' }]) {
      const res = await w.users.county.put(`${CM}/${documentId}`).send(patch);
      expect([Object.keys(patch)[0], res.status, res.body.error?.details?.layer]).toEqual([Object.keys(patch)[0], 400, 'document-middleware']);
    }
    expect(await stored()).toBe(before);
    const ok = await w.users.county.put(`${CM}/${documentId}`).send({ summary: '东街社区排水沟堵塞' });
    expect(ok.status).toBe(200);
    expect((await knex()('complaints').where('id', id).first('summary')).summary).toBe('东街社区排水沟堵塞');
    expect(await stored()).toBe(before);
  });
});

describe('each rule of the form refuses, names the field and writes nothing', () => {
  const cases: Array<[string, Record<string, unknown>, string, string, Record<string, unknown>]> = [
    // [what, the bad patch, field, code, the fix]
    ['no content', { content: undefined }, 'content', 'required', { content: '路灯损坏，夜间出行不便' }],
    ['a 300,000-character content', { content: '诉'.repeat(300_000) }, 'content', 'too_long', { content: '诉'.repeat(2_000) }],
    ['a bad phone', { phone: '139123456' }, 'phone', 'bad_phone', { phone: '0571-88001234' }],
    ['a received time in the future', { receivedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'receivedAt', 'date_in_future', { receivedAt: new Date(Date.now() - 3_600_000).toISOString() }],
    ['an impossible received day', { receivedAt: '2026-02-30' }, 'receivedAt', 'date_invalid', { receivedAt: '2026-02-28' }],
    ['a town not of the county', { town: '西山镇' }, 'town', 'unknown_town', { town: '东坝镇' }],
    ['the town as a list', { town: ['城关镇'] }, 'town', 'not_text', { town: '城关镇' }],
    ['the online channel', { channel: 'web' }, 'channel', 'unknown_channel', { channel: 'letter' }],
    ['a 101-character name', { complainantName: '王'.repeat(101) }, 'complainantName', 'too_long', { complainantName: '王'.repeat(100) }],
  ];
  it.each(cases)('%s → 400 naming the field; fixed → 201', async (_what, patch, field, code, fix) => {
    const before = [await complaintCount(), await eventCount()];
    const res = await register({ ...GOOD, ...patch });
    expect([res.status, res.body.error?.details?.field, res.body.error?.details?.errors?.map((e: any) => [e.field, e.code])]).toEqual([400, field, [[field, code]]]);
    expect(res.body.error.message).toMatch(/诉求无法登记：「.+」.* \/ The demand cannot be registered: /);
    for (const v of [PHONE, NAME, '西山镇', '139123456']) expect(res.body.error.message).not.toContain(v);
    expect([await complaintCount(), await eventCount()]).toEqual(before);
    const fixed = await register({ ...GOOD, ...patch, ...fix });
    expect([fixed.status, fixed.body.data?.ledgerNo?.startsWith(`REG${YEAR}`)]).toEqual([201, true]);
  });

  it('a body that is not a form is a 400, nothing written', async () => {
    const before = await complaintCount();
    const res = await register([GOOD]);
    expect([res.status, res.body.error.details.code]).toEqual([400, 'invalid_body']);
    expect(await complaintCount()).toBe(before);
  });

  it('no log line holds the phone, the name or the content', () => {
    const log = app.logLines.join('\n');
    expect(log).toContain('/complaints/registrations');
    for (const v of [PHONE, NAME, GOOD.content]) expect(log).not.toContain(v);
  });
});

describe('who may register', () => {
  it.each([
    ['a lead unit reviewer', 'lead1'],
    ['a unit operator', 'op1'],
    ['a unit head', 'head1'],
    ['the county leader', 'leader'],
  ] as const)('%s is refused 403, nothing written; the county office with the same body gets 201', async (_who, user) => {
    const before = await complaintCount();
    const res = await register(GOOD, w.users[user]);
    expect(res.status).toBe(403);
    expect(await complaintCount()).toBe(before);
    const ok = await register(GOOD, w.users.county);
    expect([ok.status, await complaintCount()]).toEqual([201, before + 1]);
  });

  it('Super Admin may register too', async () => {
    const res = await register({ ...GOOD, channel: 'letter' }, w.users.admin);
    expect(res.status).toBe(201);
    expect((await knex()('complaints').where('document_id', res.body.data.documentId).first('channel')).channel).toBe('letter');
  });
});
