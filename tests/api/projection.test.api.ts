/**
 * One projection of a complaint per role: for every masked role (lead unit, unit head, county
 * leader) and every Content Manager response that can carry a complaint (its list and edit
 * view, other types' lists and edit views with the complaint populated, the relations
 * endpoint), no full phone of the fixture appears; the county office and the unit operator see
 * them (positive controls). Sorting, filtering or searching on the phone is a 400 for masked
 * roles and a 200 for the county office. Homepage widgets show an operator no other unit's
 * documents. The plugin's history route masks a corrected phone.
 */
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const CM = '/content-manager/collection-types';
const COMPLAINT = 'plugin::complaints.complaint';
const MEASURE = { mode: 'deadline', text: '更换楼道全部照明灯具并建立巡查机制', responsiblePerson: '张科长' };
/** The fixture's phones: unique literals, found nowhere else. */
const PHONES = ['13912340001', '13912340002', '13912340003'];
const CORRECTED = '13912340009';
const FIXTURE_PHONES = [...PHONES, CORRECTED];

const fixture: Array<{ id: number; documentId: string; ledgerNo: string }> = [];
/** Document ids of records that embed a fixture complaint, by type. */
const embedding: Record<string, string> = {};
let t2Complaint: { documentId: string };

beforeAll(async () => {
  for (const phone of PHONES) {
    const c = await w.complaint({ phone });
    expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
    expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
    fixture.push(c);
  }
  const c = fixture[0];
  expect((await act(w.users.op1, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
  expect((await act(w.users.op1, c.documentId, 'submit_measure', { ...MEASURE, deadline: addDaysFromToday(30) })).status).toBe(200);
  expect((await act(w.users.lead1, c.documentId, 'approve_measure', {})).status).toBe(200);
  expect((await w.users.op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'other').field('text', '现场照片')).status).toBe(201);
  expect((await act(w.users.op1, c.documentId, 'complete')).status).toBe(200);
  expect((await act(w.users.head1, c.documentId, 'sign')).status).toBe(200);
  const corr = await w.users.county.post(`/complaints/complaints/${fixture[1].documentId}/corrections`).send({ field: 'phone', value: CORRECTED, reason: '号码登记错误' });
  expect(corr.status).toBeLessThan(300);
  const knex = app.strapi.db.connection;
  for (const [uid, table, owner] of [
    ['plugin::complaints.measure', 'measures', c.id],
    ['plugin::complaints.evidence', 'evidences', c.id],
    ['plugin::complaints.sign-off', 'sign_offs', c.id],
    ['plugin::complaints.correction', 'complaint_corrections', fixture[1].id],
  ] as const) {
    embedding[uid] = String((await knex(table).where('complaint_id', owner).first('document_id')).document_id);
  }
  const other = await w.complaint({ town: '东坝镇', phone: '13912349999' });
  expect((await act(w.users.county, other.documentId, 'classify', { categoryCode: '0201', level: 'township', responsibleUnitId: w.units.t2.id })).status).toBe(200);
  expect((await act(w.users.county, other.documentId, 'assign')).status).toBe(200);
  t2Complaint = other;
});

/** Every response a role can get that may carry a fixture complaint. */
const responses = async (s: AdminSession) => {
  const out: Array<{ url: string; status: number; text: string }> = [];
  const get = async (url: string) => {
    const res = await s.get(url);
    out.push({ url, status: res.status, text: JSON.stringify(res.body) });
  };
  await get(`${CM}/${COMPLAINT}?page=1&pageSize=100`);
  for (const c of fixture) await get(`${CM}/${COMPLAINT}/${c.documentId}`);
  for (const [uid, documentId] of Object.entries(embedding)) {
    await get(`${CM}/${uid}?page=1&pageSize=100&populate=*`);
    await get(`${CM}/${uid}?page=1&pageSize=100&populate[complaint]=*`);
    await get(`${CM}/${uid}/${documentId}?populate=*`);
    await get(`/content-manager/relations/${uid}/${documentId}/complaint`);
    await get(`/content-manager/relations/${uid}/complaint`);
  }
  for (const c of fixture) {
    await get(`/complaints/complaints/${c.documentId}/workflow`);
    await get(`/complaints/complaints/${c.documentId}/history`);
  }
  return out;
};

const fullPhonesIn = (rs: Array<{ url: string; text: string }>) =>
  rs.flatMap((r) => FIXTURE_PHONES.filter((p) => r.text.includes(p)).map((p) => `${r.url}: ${p}`));

describe('masked roles never receive a full phone', () => {
  it.each([['lead unit', 'lead1'], ['unit head', 'head1'], ['county leader', 'leader']] as const)('%s', async (_name, key) => {
    const rs = await responses(w.users[key]);
    expect(fullPhonesIn(rs)).toEqual([]);
    // Not vacuous: the role does read the fixture (its complaint list answers, with rows).
    const list = rs[0];
    expect(list.status).toBe(200);
    expect(fixture.every((c) => list.text.includes(c.ledgerNo))).toBe(true);
    // The Content Manager leaves the phone out for these roles; the workflow panel masks it.
    expect(JSON.parse(list.text).results.filter((r: any) => r.phone !== undefined && !String(r.phone).includes('****'))).toEqual([]);
    expect(rs.find((r) => r.url.endsWith(`${fixture[0].documentId}/workflow`))!.text).toContain('139****0001');
  });

  it('the county leader gets the embedded complaint of a measure, its phone masked', async () => {
    const res = await w.users.leader.get(`${CM}/plugin::complaints.measure?page=1&pageSize=100&populate[complaint]=*`);
    expect(res.status).toBe(200);
    const embedded = res.body.results.map((m: any) => m.complaint).filter(Boolean);
    expect(embedded.map((c: any) => [c.ledgerNo, c.phone, 'rawRow' in c])).toEqual([[fixture[0].ledgerNo, '139****0001', false]]);
  });

  it('controls: the county office and the unit operator see the full phones', async () => {
    const county = fullPhonesIn(await responses(w.users.county));
    for (const p of FIXTURE_PHONES) expect(county.some((line) => line.endsWith(p))).toBe(true);
    const op = await w.users.op1.get(`${CM}/${COMPLAINT}?page=1&pageSize=100`);
    expect(op.status).toBe(200);
    expect(JSON.stringify(op.body)).toContain(PHONES[2]);
  });
});

describe('sorting, filtering and searching on a hidden field', () => {
  const queries = [
    `${CM}/${COMPLAINT}?page=1&pageSize=10&sort=phone:ASC`,
    `${CM}/${COMPLAINT}?page=1&pageSize=10&filters[phone][$startsWith]=139`,
    `${CM}/${COMPLAINT}?page=1&pageSize=10&filters[$and][0][rawRow][$notNull]=true`,
    `${CM}/${COMPLAINT}?page=1&pageSize=10&_q=1391234`,
  ];
  /** Only the county leader reads measures; for the others this is a 403 already. */
  const throughMeasures = `${CM}/plugin::complaints.measure?page=1&pageSize=10&filters[complaint][phone][$eq]=${PHONES[0]}`;

  it.each([['lead unit', 'lead1'], ['unit head', 'head1'], ['county leader', 'leader']] as const)('is a 400 for the %s', async (_name, key) => {
    for (const url of key === 'leader' ? [...queries, throughMeasures] : queries) {
      const res = await w.users[key].get(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(res.body.error.details.code).toBe('hidden_field_query');
      expect(res.body.error.message).toContain(res.body.error.details.fields[0]);
    }
    if (key !== 'leader') expect((await w.users[key].get(throughMeasures)).status).toBe(403);
    // Control: the same role sorts by a visible field.
    expect((await w.users[key].get(`${CM}/${COMPLAINT}?page=1&pageSize=10&sort=ledgerNo:ASC`)).status).toBe(200);
  });

  it('is a 200 for the county office, ordered by the phone', async () => {
    const res = await w.users.county.get(`${CM}/${COMPLAINT}?page=1&pageSize=100&sort=phone:ASC&filters[phone][$startsWith]=1391234000`);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.phone)).toEqual(PHONES);
  });
});

describe('homepage widgets', () => {
  it('show an operator no Minyi document of another unit, and do not count them', async () => {
    const op = w.users.op1;
    const recent = await op.get('/content-manager/homepage/recent-documents?action=update');
    expect(recent.status).toBe(200);
    const text = JSON.stringify(recent.body);
    expect(text).not.toContain(t2Complaint.documentId);
    expect(recent.body.data.filter((d: any) => String(d.contentTypeUid).startsWith('plugin::complaints.'))).toEqual([]);
    const counts = await op.get('/content-manager/homepage/count-documents');
    expect(counts.status).toBe(200);
    // Control: the county office sees the Minyi documents in both widgets.
    const countyRecent = await w.users.county.get('/content-manager/homepage/recent-documents?action=update');
    expect(JSON.stringify(countyRecent.body)).toContain(t2Complaint.documentId);
    const countyCounts = await w.users.county.get('/content-manager/homepage/count-documents');
    const complaints = Number(((await app.strapi.db.connection('complaints').countDistinct('document_id as n').first()) as any).n);
    expect(countyCounts.body.data.published - counts.body.data.published).toBeGreaterThanOrEqual(complaints);
  });

  it('the same holds for every spelling of the path (case, encoded letters)', async () => {
    const op = w.users.op1;
    for (const path of ['/CONTENT-MANAGER/homepage/recent-documents?action=update', '/Content-Manager/HOMEPAGE/recent-documents?action=update', '/content-manager/homepag%65/recent-documents?action=update']) {
      const res = await op.get(path);
      // Whatever the router answers, no other unit's document is in it.
      expect([path, JSON.stringify(res.body).includes(t2Complaint.documentId)]).toEqual([path, false]);
      if (res.status === 200) expect([path, res.body.data.filter((d: any) => String(d.contentTypeUid).startsWith('plugin::complaints.'))]).toEqual([path, []]);
    }
    // Control: the county office gets the widget through an odd spelling too.
    const county = await w.users.county.get('/CONTENT-MANAGER/homepage/recent-documents?action=update');
    expect([county.status, JSON.stringify(county.body).includes(t2Complaint.documentId)]).toEqual([200, true]);
  });
});
