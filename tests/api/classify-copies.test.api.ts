/**
 * Classification writes each relation twice: the link table Strapi reads (category, responsible
 * unit, lead unit) and the scalar copy on the complaint row that scopes, filters and reports use
 * (categoryCode, majorCategoryCode, responsibleUnitId, leadUnitId). Read back by raw SQL, the two
 * agree after a classify, after each re-classify and for every member of a batch, with one link
 * row per relation.
 */
import { act, withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;

/** The scalar copies as stored on the complaint row. */
const copies = async (id: number) => {
  const r = await knex()('complaints').where('id', id).first('category_code', 'major_category_code', 'responsible_unit_id', 'lead_unit_id');
  return {
    categoryCode: r.category_code,
    majorCategoryCode: r.major_category_code,
    responsibleUnitId: r.responsible_unit_id === null ? null : Number(r.responsible_unit_id),
    leadUnitId: r.lead_unit_id === null ? null : Number(r.lead_unit_id),
  };
};

/** The same facts as the link tables say them (every link row, so a stale second one shows). */
const links = async (id: number) => {
  const category = await knex()('complaints_category_lnk as l').join('complaint_categories as c', 'c.id', 'l.category_id').where('l.complaint_id', id).select('c.code as code');
  const responsible = await knex()('complaints_responsible_unit_lnk').where('complaint_id', id).select('unit_id');
  const lead = await knex()('complaints_lead_unit_lnk').where('complaint_id', id).select('unit_id');
  return {
    categoryCodes: category.map((r: any) => r.code),
    responsibleUnitIds: responsible.map((r: any) => Number(r.unit_id)),
    leadUnitIds: lead.map((r: any) => Number(r.unit_id)),
  };
};

/** Copies and links of one complaint, expected to say the same. */
const expectAgreement = async (id: number, expected: { categoryCode: string; majorCategoryCode: string; responsibleUnitId: number; leadUnitId: number }) => {
  expect(await copies(id)).toEqual(expected);
  expect(await links(id)).toEqual({
    categoryCodes: [expected.categoryCode],
    responsibleUnitIds: [expected.responsibleUnitId],
    leadUnitIds: [expected.leadUnitId],
  });
};

describe('classify keeps the scalar copies equal to the link tables', () => {
  it('after a classify and after each re-classify', async () => {
    const c = await w.complaint({ town: '城关镇' });
    expect(await copies(c.id)).toEqual({ categoryCode: null, majorCategoryCode: null, responsibleUnitId: null, leadUnitId: null });
    expect(await links(c.id)).toEqual({ categoryCodes: [], responsibleUnitIds: [], leadUnitIds: [] });

    let res = await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect([res.status, res.body.data.to]).toEqual([200, 'classified']);
    await expectAgreement(c.id, { categoryCode: '0101', majorCategoryCode: '01', responsibleUnitId: w.units.t1.id, leadUnitId: w.units.l1.id });

    // Another major, another unit, another lead unit: every copy and every link moves.
    res = await act(w.users.county, c.documentId, 'classify', { categoryCode: '0201', level: 'township', responsibleUnitId: w.units.t2.id });
    expect([res.status, res.body.data.to]).toEqual([200, 'classified']);
    await expectAgreement(c.id, { categoryCode: '0201', majorCategoryCode: '02', responsibleUnitId: w.units.t2.id, leadUnitId: w.units.l2.id });

    // 0102 names no lead unit of its own: the lead unit is its major's (01 → 县住房和城乡建设局).
    res = await act(w.users.county, c.documentId, 'classify', { categoryCode: '0102', level: 'county', responsibleUnitId: w.units.t1.id });
    expect([res.status, res.body.data.to]).toEqual([200, 'classified']);
    await expectAgreement(c.id, { categoryCode: '0102', majorCategoryCode: '01', responsibleUnitId: w.units.t1.id, leadUnitId: w.units.l1.id });
  });

  it('for every member of a batch, classified and then re-classified together', async () => {
    const a = await w.complaint({ town: '东坝镇' });
    const b = await w.complaint({ town: '东坝镇' });
    let res = await w.users.county
      .post('/complaints/transitions')
      .send({ action: 'classify', documentIds: [a.documentId, b.documentId], categoryCode: '0201', level: 'township', responsibleUnitId: w.units.t2.id });
    expect([res.status, res.body.meta.count]).toEqual([200, 2]);
    for (const c of [a, b]) await expectAgreement(c.id, { categoryCode: '0201', majorCategoryCode: '02', responsibleUnitId: w.units.t2.id, leadUnitId: w.units.l2.id });

    res = await w.users.county
      .post('/complaints/transitions')
      .send({ action: 'classify', documentIds: [a.documentId, b.documentId], categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect([res.status, res.body.meta.count]).toEqual([200, 2]);
    for (const c of [a, b]) await expectAgreement(c.id, { categoryCode: '0101', majorCategoryCode: '01', responsibleUnitId: w.units.t1.id, leadUnitId: w.units.l1.id });
  });
});
