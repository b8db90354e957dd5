/**
 * GET /complaints/export: the month's rectification ledger and filtered lists as xlsx, re-read
 * with exceljs. A small county whose rows are known by hand:
 *
 *   | ref | unit | category | received (UTC)        | ends as                                  | Nov ledger |
 *   |-----|------|----------|-----------------------|------------------------------------------|-----------|
 *   | A   | t1   | 0101     | 2026-11-05 02:00      | closed now, survey answered satisfied    | yes       |
 *   | B   | t2   | 0201     | 2026-11-20 02:00      | assigned                                 | yes       |
 *   | C   | —    | —        | 2026-11-25 02:00      | received (unscreened)                    | no        |
 *   | D   | t1   | 0101     | 2026-11-30 16:30      | assigned (Dec 1 00:30 in Beijing)        | no        |
 *   | E   | t1   | 0101     | 2026-10-10 02:00      | closed, closing backdated to 2026-10-20  | no        |
 *   | F   | t1   | 0101     | 2026-10-15 02:00      | rectifying                               | yes       |
 *
 * A's content and address look like formulas; its phone is 13812345678.
 */
import ExcelJS from 'exceljs';
import type supertest from 'supertest';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import { pngFile } from '../helpers/files';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
type Ref = { id: number; documentId: string; ledgerNo: string };
const c: Record<string, Ref> = {};

const register = async (ref: string, receivedAt: string, extra: Record<string, unknown> = {}): Promise<Ref> => {
  const ledgerNo = `EX-${ref}`;
  const doc = await app.strapi.documents('plugin::complaints.complaint').create({
    data: { ledgerNo, receivedAt, channel: 'hotline', complainantName: '测试甲', phone: '13900001111', town: '城关镇', village: '东街社区', content: '楼道照明损坏', ...extra } as any,
  });
  const row = await knex()('complaints').where('document_id', doc.documentId).first('id');
  return (c[ref] = { id: Number(row.id), documentId: doc.documentId as string, ledgerNo });
};
const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
  const res = await p;
  expect([res.status, res.body?.error]).toEqual([status, undefined]);
};
const toRectifying = async (r: Ref, category: string, unitId: number) => {
  const { county, op1, op2, lead1, lead2 } = w.users;
  const [op, lead] = unitId === w.units.t1.id ? [op1, lead1] : [op2, lead2];
  await ok(act(county, r.documentId, 'classify', { categoryCode: category, level: 'township', responsibleUnitId: unitId }));
  await ok(act(county, r.documentId, 'assign'));
  await ok(act(op, r.documentId, 'accept', { nature: 'individual' }));
  await ok(act(op, r.documentId, 'submit_measure', { mode: 'deadline', text: '更换灯具并建立巡查制度', responsiblePerson: '李工', deadline: addDaysFromToday(30) }));
  await ok(act(lead, r.documentId, 'approve_measure'));
};
const close = async (r: Ref) => {
  const { op1, lead1, head1, leader } = w.users;
  await toRectifying(r, '0101', w.units.t1.id);
  await ok(op1.post(`/complaints/complaints/${r.documentId}/evidence`).field('aspect', 'facility').field('text', '整改后现场照片').attach('files', pngFile(r.ledgerNo), { filename: 'after.png', contentType: 'image/png' }), 201);
  await ok(act(op1, r.documentId, 'complete'));
  for (const s of [head1, lead1, leader]) await ok(act(s, r.documentId, 'sign'));
};

beforeAll(async () => {
  const { county } = w.users;
  await register('A', '2026-11-05T02:00:00.000Z', { phone: '13812345678', content: '=HYPERLINK("http://x","点我")', address: '+86 东街 1 号' });
  await register('B', '2026-11-20T02:00:00.000Z', { town: '东坝镇' });
  await register('C', '2026-11-25T02:00:00.000Z');
  await register('D', '2026-11-30T16:30:00.000Z');
  await register('E', '2026-10-10T02:00:00.000Z');
  await register('F', '2026-10-15T02:00:00.000Z');
  await close(c.A);
  await ok(act(county, c.B.documentId, 'classify', { categoryCode: '0201', level: 'township', responsibleUnitId: w.units.t2.id }));
  await ok(act(county, c.B.documentId, 'assign'));
  await ok(act(county, c.D.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id }));
  await ok(act(county, c.D.documentId, 'assign'));
  await close(c.E);
  await knex()('complaints').where('id', c.E.id).update({ closed_at: new Date('2026-10-20T02:00:00.000Z') });
  await toRectifying(c.F, '0101', w.units.t1.id);
  // A's survey answered as the survey page records it.
  const n = await knex()('surveys').where('complaint_id', c.A.id).update({ status: 'answered', answer: 'satisfied', answered_at: new Date() });
  expect(Number(n)).toBe(1);
});

const binary = (t: supertest.Test) =>
  t.buffer(true).parse((res, cb) => {
    const b: Buffer[] = [];
    res.on('data', (d: Buffer) => b.push(d));
    res.on('end', () => cb(null, Buffer.concat(b)));
  });

const exportAs = async (s: AdminSession, query: string) => {
  const res = await binary(s.get(`/complaints/export?${query}`));
  expect([res.status, res.headers['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('整改台账')!;
  const values = (r: ExcelJS.Row) => (r.values as unknown[]).slice(1);
  const rows: unknown[][] = [];
  sheet.eachRow((r, n) => {
    if (n > 1) rows.push(values(r));
  });
  const header = values(sheet.getRow(1)) as string[];
  const byHeader = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null])));
  return { res, wb, sheet, header, rows: byHeader };
};

const HEADERS = [
  '诉求编号', '反映时间', '来源渠道', '反映人', '联系电话', '乡镇', '村（社区）', '详细地址', '诉求内容', '办理状态', '诉求大类', '诉求小类',
  '解决层级', '牵头单位', '责任单位', '诉求性质', '共性问题小类', '整改方式', '整改措施', '整改责任人', '整改期限', '预警等级', '成效佐证',
  '责任单位负责人验收', '牵头单位负责人验收', '责任县领导验收', '整改完成时间', '办结时间', '满意度', '重新整改次数', '抽查结果',
];

describe('the month ledger as the county office exports it', () => {
  it('headers, frozen header row, widths, rows of the month, full phones, escaped formulas', async () => {
    const { res, wb, sheet, header, rows } = await exportAs(w.users.county, 'month=2026-11');
    expect(res.headers['x-export-rows']).toBe('3');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="minyi-ledger-2026-11.xlsx"; filename*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6-2026-11.xlsx`);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['整改台账', '单位汇总', '导出说明']);
    expect(header).toEqual(HEADERS);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect([sheet.getColumn(1).width, sheet.getColumn(9).width]).toEqual([18, 48]);
    expect([sheet.getCell(1, 1).font?.bold, sheet.getCell(1, 31).font?.bold, sheet.getCell(2, 1).font?.bold]).toEqual([true, true, undefined]);
    expect(rows.map((r) => r['诉求编号'])).toEqual(['EX-A', 'EX-B', 'EX-F']);
    const a = rows[0];
    expect([a['联系电话'], a['反映人'], a['诉求内容'], a['详细地址']]).toEqual(['13812345678', '测试甲', `'=HYPERLINK("http://x","点我")`, "'+86 东街 1 号"]);
    expect(sheet.getCell(2, 9).type).toBe(ExcelJS.ValueType.String);
    expect([a['反映时间'], a['来源渠道'], a['办理状态'], a['诉求大类'], a['诉求小类'], a['解决层级'], a['牵头单位'], a['责任单位']]).toEqual([
      '2026-11-05 10:00', '热线', '已办结', '01 城乡建设', '0101 老旧小区改造', '乡镇部门级', '县住房和城乡建设局', '城关镇人民政府',
    ]);
    expect([a['诉求性质'], a['整改方式'], a['整改措施'], a['整改责任人'], a['整改期限'], a['成效佐证'], a['满意度'], a['重新整改次数']]).toEqual([
      '个性', '限期整改', '更换灯具并建立巡查制度', '李工', addDaysFromToday(30), '设施设备', '满意', 0,
    ]);
    expect([String(a['责任单位负责人验收']).startsWith('城关负责 测试 '), String(a['牵头单位负责人验收']).startsWith('住建 测试 '), String(a['责任县领导验收']).startsWith('县领导 测试 ')]).toEqual([true, true, true]);
    expect([rows[1]['办理状态'], rows[1]['责任单位'], rows[1]['联系电话'], rows[2]['办理状态'], rows[2]['办结时间']]).toEqual(['已交办', '东坝镇人民政府', '13900001111', '整改中', null]);
  });

  it('the summary sheet has one line per unit and the total', async () => {
    const { wb } = await exportAs(w.users.county, 'month=2026-11');
    const sum = wb.getWorksheet('单位汇总')!;
    const lines: unknown[][] = [];
    sum.eachRow((r) => lines.push((r.values as unknown[]).slice(1, 5)));
    expect(lines).toEqual([
      ['责任单位', '诉求总数', '已办结', '办理中'],
      ['城关镇人民政府', 2, 1, 1],
      ['东坝镇人民政府', 1, 0, 1],
      ['合计', 3, 1, 2],
    ]);
    expect(sum.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect([sum.getCell(1, 1).font?.bold, sum.getCell(2, 1).font?.bold]).toEqual([true, undefined]);
  });
});

describe('what each role exports', () => {
  it('a lead unit: its categories only, phones masked, names shown', async () => {
    const { res, rows } = await exportAs(w.users.lead1, 'month=2026-11');
    expect(res.headers['x-export-rows']).toBe('2');
    expect(rows.map((r) => [r['诉求编号'], r['联系电话'], r['反映人']])).toEqual([['EX-A', '138****5678', '测试甲'], ['EX-F', '139****1111', '测试甲']]);
  });

  it("a unit's operator: only its own unit's rows, full phones (positive control: the other unit's operator)", async () => {
    const op2 = await exportAs(w.users.op2, 'month=2026-11');
    expect(op2.rows.map((r) => [r['诉求编号'], r['联系电话']])).toEqual([['EX-B', '13900001111']]);
    const op1 = await exportAs(w.users.op1, '');
    expect(op1.rows.map((r) => r['诉求编号'])).toEqual(['EX-A', 'EX-D', 'EX-E', 'EX-F']);
  });

  it("a unit head: its unit's rows, phones masked; an operator with no unit: an empty ledger", async () => {
    const head = await exportAs(w.users.head1, 'month=2026-11');
    expect(head.rows.map((r) => [r['诉求编号'], r['联系电话']])).toEqual([['EX-A', '138****5678'], ['EX-F', '139****1111']]);
    const orphan = await exportAs(w.users.orphanOp, 'month=2026-11');
    expect([orphan.res.headers['x-export-rows'], orphan.rows]).toEqual(['0', []]);
  });
});

describe('filtered lists', () => {
  it('the 25 filters apply, also to the month ledger', async () => {
    const closed = await exportAs(w.users.county, 'state=closed');
    expect(closed.rows.map((r) => r['诉求编号'])).toEqual(['EX-A', 'EX-E']);
    expect(String(closed.res.headers['content-disposition'])).toContain('filename="minyi-complaints.xlsx"');
    const t2 = await exportAs(w.users.county, `month=2026-11&responsibleUnit=${w.units.t2.id}`);
    expect(t2.rows.map((r) => r['诉求编号'])).toEqual(['EX-B']);
    const about = t2.wb.getWorksheet('导出说明')!;
    expect(about.getCell(2, 2).value).toBe(`责任单位（responsibleUnit）= ${w.units.t2.id}`);
  });

  it('a bad filter or month is a 400 that names it (positive control: the good one is a 200)', async () => {
    const cases: Array<[string, string, string]> = [
      ['stat=closed', 'unknown_filter', 'stat'],
      ['state=done', 'bad_filter_value', 'state'],
      ['phone=138', 'private_filter', 'phone'],
      ['receivedAt=2026-12-01..2026-11-01', 'inverted_range', 'receivedAt'],
      ['month=2026-13', 'bad_month', 'month'],
    ];
    for (const [query, code, filter] of cases) {
      const res = await w.users.county.get(`/complaints/export?${query}`);
      expect([query, res.status, res.body.error?.details?.code, res.body.error?.details?.filter]).toEqual([query, 400, code, filter]);
    }
    expect((await binary(w.users.county.get('/complaints/export?state=closed&month=2026-11'))).status).toBe(200);
  });

  it('no signed-in admin, no file (positive control above)', async () => {
    const supertest = (await import('supertest')).default;
    expect((await supertest(app.strapi.server.httpServer).get('/complaints/export?month=2026-11')).status).toBe(401);
  });
});

/**
 * More rows than a page of the export (250): 600 complaints of the town 分页镇, loaded as rows
 * (PG-0001 … PG-0600, ids in that order), with measures, sign-offs, evidence, surveys and spot
 * checks on rows on both sides of the page boundaries (250 | 251 and 500 | 501). This block
 * runs last: the filters above count the small county's rows only.
 */
describe('an export of more rows than a page', () => {
  const TOWN = '分页镇';
  const no = (i: number) => `PG-${String(i).padStart(4, '0')}`;
  const ids = new Map<number, number>();

  beforeAll(async () => {
    const at = (iso: string) => new Date(iso);
    const k = knex();
    await k.batchInsert('complaints', Array.from({ length: 600 }, (_, n) => ({
      document_id: `pagedoc${String(n + 1).padStart(17, '0')}`, ledger_no: no(n + 1), received_at: at('2026-09-01T02:00:00.000Z'), channel: 'visit',
      complainant_name: '测试乙', phone: '13700000000', town: TOWN, content: '路灯不亮', state: 'rectifying', warning_level: 'none',
      reopen_count: 0, send_back_count: 0, return_count: 0, chain_seq: 0, created_at: new Date(), updated_at: new Date(),
    })), 100);
    const rows = (await k('complaints').where('town', TOWN).orderBy('id').select('id', 'ledger_no')) as Array<{ id: number; ledger_no: string }>;
    expect(rows.map((r) => r.ledger_no)).toEqual(Array.from({ length: 600 }, (_, n) => no(n + 1)));
    rows.forEach((r, n) => ids.set(n + 1, Number(r.id)));
    const id = (i: number) => ids.get(i)!;
    const measure = (i: number, version: number, text: string, person: string) => ({ complaint_id: id(i), version, mode: 'deadline', text, responsible_person: person, review_state: 'approved' });
    // 251's second version is stored before its first: the latest version counts, not the last row.
    await k('measures').insert([
      measure(1, 1, '措施1', '甲'), measure(250, 1, '措施250旧', '甲'), measure(250, 2, '措施250新', '乙'),
      measure(251, 2, '措施251新', '乙'), measure(251, 1, '措施251旧', '甲'), measure(500, 1, '措施500', '丙'), measure(501, 1, '措施501', '丁'), measure(600, 1, '措施600', '戊'),
    ]);
    const sign = (i: number, round: number, step: string, decision: string, signer: string, iso: string) => ({ complaint_id: id(i), round, step, decision, signer_name: signer, signed_at: at(iso) });
    await k('sign_offs').insert([
      sign(250, 1, 'unit_head', 'approved', '王一', '2026-09-10T02:00:00.000Z'), sign(250, 1, 'lead_unit_head', 'approved', '李二', '2026-09-11T02:00:00.000Z'),
      sign(251, 1, 'unit_head', 'approved', '王一', '2026-09-10T02:00:00.000Z'), sign(251, 1, 'lead_unit_head', 'rejected', '李二', '2026-09-11T02:00:00.000Z'),
      sign(251, 2, 'unit_head', 'approved', '王一', '2026-09-12T02:00:00.000Z'),
      sign(600, 1, 'unit_head', 'rejected', '王一', '2026-09-10T16:30:00.000Z'),
    ]);
    await k('evidences').insert([
      { complaint_id: id(249), aspect: 'facility', text: '照片' }, { complaint_id: id(249), aspect: 'funds', text: '票据' }, { complaint_id: id(501), aspect: 'mechanism', text: '制度' },
    ]);
    await k('surveys').insert([
      { complaint_id: id(252), round: 1, status: 'answered', answer: 'satisfied', answered_at: at('2026-09-20T02:00:00.000Z') },
      { complaint_id: id(500), round: 1, status: 'answered', answer: 'dissatisfied', answered_at: at('2026-09-20T02:00:00.000Z') },
      { complaint_id: id(500), round: 2, status: 'answered', answer: 'basically_satisfied', answered_at: at('2026-09-25T02:00:00.000Z') },
    ]);
    await k('spot_checks').insert([
      { complaint_id: id(1), month: '2026-09', seed: 's', result: 'passed' },
      { complaint_id: id(499), month: '2026-09', seed: 's', result: 'failed', finding: 'not_real' },
      { complaint_id: id(499), month: '2026-10', seed: 's', result: 'passed' },
    ]);
  });

  it('every row exactly once, in ledger order, each with its own measure, sign-offs, evidence, answer and spot check', async () => {
    const { res, rows } = await exportAs(w.users.county, `town=${encodeURIComponent(TOWN)}`);
    expect(res.headers['x-export-rows']).toBe('600');
    expect(rows.map((r) => r['诉求编号'])).toEqual(Array.from({ length: 600 }, (_, n) => no(n + 1)));
    const related = ['整改措施', '整改责任人', '成效佐证', '责任单位负责人验收', '牵头单位负责人验收', '责任县领导验收', '满意度', '抽查结果'];
    const shown: Record<string, Record<string, unknown>> = {};
    for (const r of rows) {
      const cells = Object.fromEntries(related.filter((h) => r[h] !== null).map((h) => [h, r[h]]));
      if (Object.keys(cells).length) shown[r['诉求编号'] as string] = cells;
    }
    expect(shown).toEqual({
      'PG-0001': { 整改措施: '措施1', 整改责任人: '甲', 抽查结果: '2026-09 合格' },
      'PG-0249': { 成效佐证: '资金投入、设施设备' },
      'PG-0250': { 整改措施: '措施250新', 整改责任人: '乙', 责任单位负责人验收: '王一 2026-09-10 10:00', 牵头单位负责人验收: '李二 2026-09-11 10:00' },
      'PG-0251': { 整改措施: '措施251新', 整改责任人: '乙', 责任单位负责人验收: '王一 2026-09-12 10:00' },
      'PG-0252': { 满意度: '满意' },
      'PG-0499': { 抽查结果: '2026-10 合格' },
      'PG-0500': { 整改措施: '措施500', 整改责任人: '丙', 满意度: '基本满意' },
      'PG-0501': { 整改措施: '措施501', 整改责任人: '丁', 成效佐证: '工作机制' },
      'PG-0600': { 整改措施: '措施600', 整改责任人: '戊', 责任单位负责人验收: '不通过 王一 2026-09-11 00:30' },
    });
    expect([rows[0]['联系电话'], rows[599]['反映时间'], rows[599]['办理状态']]).toEqual(['13700000000', '2026-09-01 10:00', '整改中']);
  });

  it('the summary and the 说明 sheet count the 600 rows', async () => {
    const { wb } = await exportAs(w.users.county, `town=${encodeURIComponent(TOWN)}`);
    const sum = wb.getWorksheet('单位汇总')!;
    const lines: unknown[][] = [];
    sum.eachRow((r) => lines.push((r.values as unknown[]).slice(1, 5)));
    expect(lines).toEqual([['责任单位', '诉求总数', '已办结', '办理中'], ['（未分配单位）', 600, 0, 600], ['合计', 600, 0, 600]]);
    const about = wb.getWorksheet('导出说明')!;
    expect([about.getCell(6, 1).value, about.getCell(6, 2).value]).toEqual(['行数', 600]);
  });

  it('a failure after the first page ends the download unfinished instead of leaving it open (positive control: the same export whole)', async () => {
    const service = app.strapi.plugin('complaints').service('export');
    const plan = service.plan.bind(service);
    // The database connection lost while the second page is read, as the export sees it.
    const spy = jest.spyOn(service, 'plan').mockImplementationOnce(async (...a: unknown[]) => {
      const real = await plan(...a);
      return { ...real, write: (out: any) => real.write(out, { onProgress: (n: number) => { if (n >= 250) throw new Error('Connection terminated unexpectedly'); } }) };
    });
    const http = await import('http');
    const server = app.strapi.server.httpServer;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    const outcome = await new Promise<{ status?: number; complete: boolean; error?: string }>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: `/complaints/export?town=${encodeURIComponent(TOWN)}`, headers: { Authorization: `Bearer ${w.users.county.token}` } }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve({ status: res.statusCode, complete: res.complete }));
        res.on('error', (e) => resolve({ status: res.statusCode, complete: res.complete, error: e.message }));
      });
      req.on('error', (e) => resolve({ complete: false, error: e.message }));
    });
    spy.mockRestore();
    expect(outcome).toEqual({ status: 200, complete: false, error: 'aborted' });
    const whole = await exportAs(w.users.county, `town=${encodeURIComponent(TOWN)}`);
    expect(whole.rows.length).toBe(600);
  });
});
