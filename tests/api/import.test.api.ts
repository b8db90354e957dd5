/**
 * Ledger import, end to end through the admin routes (and the command line): a messy workbook
 * with every case of the issue, checked against literal counts and against the values stored,
 * read back by raw SQL; CSV in UTF-8 with and without BOM, GB18030 and UTF-16; a header split
 * by merged cells; re-import; conflicts; in-file duplicates; screening suggestions that are
 * exactly the planted duplicates; a failure injected midway; and every refusal with its
 * positive control.
 */
import { copiesInTemp } from '../helpers/files';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createAdminUser, login, type AdminSession } from '../helpers/admin';
import { binary, importFile, readWorkbook, upload, waitForBatch, type Batch } from '../helpers/imports';
import { cleanupTempFiles, compoundFile, csvText, gb18030, PNG, tempFile, utf16le, utf8, xlsxBuffer, zipFile, type Cell } from '../helpers/ledger-files';
import { ROOT, setupStrapi, type TestApp } from '../helpers/strapi';

const UID = 'plugin::complaints.complaint';
const ORIGINAL_COLUMNS = ['ledger_no', 'received_at', 'channel', 'complainant_name', 'phone', 'town', 'village', 'address', 'content', 'import_batch', 'raw_row'];
const HEADER = ['诉求编号', '反映时间', '来源', '反映人', '联系电话', ' 乡镇 ', '村（社区）', '详细地址', '诉求内容', '备注', '登记人'];

let app: TestApp;
let county: AdminSession;
let countyUser: { id: number };

const knex = () => app.strapi.db.connection;
const iso = (v: unknown) => new Date(typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : (v as string)).toISOString();
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const complaintsOf = async (code: string) =>
  (await knex()('complaints').where('import_batch', code).orderBy('id').select('*')) as Array<Record<string, any>>;
const eventsOf = async (code: string) =>
  (await knex()('complaint_events as e').join('complaints as c', 'c.id', 'e.complaint_id').where('c.import_batch', code).orderBy('e.id').select('e.*')) as Array<Record<string, any>>;
const count = async (table: string, where: Record<string, unknown> = {}) => Number((await knex()(table).where(where).count({ n: '*' }))[0].n);
const rawOriginals = async (ledgerNo: string) => JSON.stringify(await knex()('complaints').where('ledger_no', ledgerNo).first(ORIGINAL_COLUMNS));
const tempUploads = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('minyi-import-'));

/** Complaints already in the ledger before the import: one to conflict with, one identical, one to be duplicated. */
const seedExisting = async () => {
  const create = (data: Record<string, unknown>) => app.strapi.documents(UID).create({ data: data as any });
  await create({ ledgerNo: 'P-001', receivedAt: '2024-04-30T16:00:00.000Z', channel: 'hotline', complainantName: '周一', phone: '13900000001', town: '东坝镇', village: '坝上村', address: '坝上村1组', content: '坝上村灌溉水渠堵塞多年，下游农田无法灌溉' });
  await create({ ledgerNo: 'P-002', receivedAt: '2024-05-01T16:00:00.000Z', channel: 'visit', complainantName: '周二', phone: '13900000002', town: '东坝镇', village: '坝下村', address: '坝下村2组', content: '坝下村卫生室长期没有医生坐诊' });
  await create({ ledgerNo: 'P-003', receivedAt: '2024-04-01T02:00:00.000Z', channel: 'hotline', complainantName: '周三', phone: '13900000003', town: '西河镇', village: '河口村', address: '河口村3组', content: '西河镇河口村自来水经常停水，水压不足，高处农户接不到水' });
};

/**
 * The messy workbook. Row numbers are the sheet's: a merged title on row 1, a blank row 2, the
 * header on row 3 (with spaces and full-width brackets), data from row 4, a blank row 9.
 */
const MESSY_ROWS: Array<[number, Cell[]]> = [
  [4, ['T-001', 45418, '走访', '张三', '１３８ ０００１ ０００１', '城关镇', '东街社区', '东街1号', '东街路灯坏了三个月，晚上出行不便', '备注A', '王登记']],
  [5, ['T-002', '2024/5/6', '热线', '李四', '+86 138-0001-0002', '西河镇', '河口村', '河口村5组', '河口村到镇上的公交班次太少', null, '王登记']],
  [6, ['T-003', '2024-05-06 10:30', '信件', null, '0571-88001234', '南山乡', '南坪村', null, '南坪村小学门口缺少减速带，上下学很危险', null, null]],
  [7, ['T-004', '2024年5月7日', '网络征集', '赵六', null, '北岭镇', '北岭村', '北岭村7组', '北岭村的垃圾收集点清运不及时，夏天蚊蝇滋生', null, null]],
  [8, [2024005, '2024.5.8', '短信', '钱七', 13800010005, '青石镇', '青石村', null, '青石村自来水水压不足，高处农户接不到水', null, null]],
  [10, ['T-006  ', 45419.4375, '座谈', '孙八 ', '无', '白沙镇', '白沙村', null, '白沙村通往集镇的村道坑洼不平，雨后积水', null, null]],
  [11, ['T-007', '2024/5/9', '其它', '周九', '13800010007', '桃源乡', '桃源村', null, '=SUM(A1:A3) 是公式吗？村里的路灯不亮', '@cmd', null]],
  [12, ['T-008', { formula: 'DATE(2024,5,10)', result: 45422 }, '12345热线', '吴十', '13800010008', '龙泉镇', '龙泉村', null, '龙泉村卫生室药品种类少，慢性病常用药缺货', null, null]],
  [13, [null, '2024/5/6', '走访', '郑一', '13800010009', '金溪镇', '金溪村', null, '金溪村的桥栏杆松动，存在安全隐患', null, null]],
  [14, ['T-010', '2024/13/45', '走访', '王二', '13800010010', '柳湾乡', '柳湾村', null, '柳湾村养老金认证操作复杂', null, null]],
  [15, ['T-011', '2024/5/6', '走访', '冯三', '13800010011', '石门镇', '石门村', null, null, null, null]],
  [16, ['T-012', '不详', '走访', '陈四', '13800010012', '高桥镇', '高桥村', null, '  ', null, null]],
  [17, ['T-001', 45418, '走访', '张三', '１３８ ０００１ ０００１', '城关镇', '东街社区', '东街1号', '东街路灯坏了三个月，晚上出行不便', null, null]],
  [18, ['T-002', '2024/5/6', '热线', '李四', '13800010002', '西河镇', '河口村', null, '另一条不同的诉求内容', null, null]],
  [19, ['P-001', '2024/5/1', '热线', '周一', '13900000009', '东坝镇', '坝上村', '坝上村1组', '坝上村灌溉水渠堵塞多年，下游农田无法灌溉', null, null]],
  [20, ['P-002', '2024/5/2', '走访', '周二', '139 0000 0002', '东坝镇', '坝下村', '坝下村2组', '坝下村卫生室长期没有医生坐诊', null, null]],
  [21, ['T-013', '2024/5/10', '走访', '褚五', '13800010013', '马坪镇', '马坪村', null, '不满意！', null, null]],
  [22, ['T-014', '2024/5/10', '热线', null, '不详', null, null, null, '反映的问题一直没有人管，希望尽快解决', null, null]],
  [23, ['T-015', '2024/5/20', '热线', '张三', '13800010001', '城关镇', '东街社区', null, '东街的路灯坏了三个月，晚上出行不便', null, null]],
  [24, ['T-016', '2024/5/7', '走访', '卫六', null, '城关镇', '东街社区', null, '东街路灯坏了三个月,晚上出行不便!', null, null]],
  [25, ['T-017', '2024/5/16', '走访', '蒋七', null, '城关镇', '东街社区', null, '东街路灯坏了三个月，晚上出行不便', null, null]],
  [26, ['T-018', '2024/5/12', '热线', '李四', '13800010002', '西河镇', '河口村', null, '河口村的小河被倒入污水，河水发黑发臭', null, null]],
  [27, ['T-019', '2024/5/3', '热线', '周三', '139-0000-0003', '西河镇', '河口村', null, '西河镇河口村自来水经常停水 水压不足 高处农户接不到水！', null, null]],
  [28, ['T-020', '2024/5/6', '走访', '沈八', '13800010020', '镇'.repeat(51), '某村', null, '乡镇名称过长的一行', null, null]],
  [29, ['=1+2', '2024/5/6', '走访', '韩九', '13800010021', '城关镇', '西街社区', null, null, null, null]],
];

const messyWorkbook = () => {
  const rows: Cell[][] = [['某县群众诉求台账（2024年第一批）'], [], HEADER];
  for (const [n, cells] of MESSY_ROWS) {
    while (rows.length < n - 1) rows.push([]);
    rows.push(cells);
  }
  return xlsxBuffer([
    { name: '台账', rows, merges: ['A1:K1'], numFmts: { 2: 'yyyy-mm-dd' } },
    { name: '说明', rows: [['填表说明'], ['诉求编号 必填']] },
  ]);
};

// Personal values of the messy file that must never appear in a log, a message or a report.
const PERSONAL = ['张三', '李四', '13800010001', '1380001', '东街路灯坏了', '东街1号', '河口村5组', '周一', '13900000009', '韩九'];

beforeAll(async () => {
  app = await setupStrapi();
  const u = await createAdminUser(app.strapi, { roleCode: 'minyi-county-office', firstname: '整治办', lastname: '录入员' });
  countyUser = { id: u.id };
  county = await login(app.strapi, u.email, u.password);
  await seedExisting();
});

afterAll(async () => {
  cleanupTempFiles();
  await app?.teardown();
});

describe('the messy workbook', () => {
  let batch: Batch;
  let data: Buffer;
  const logged: string[] = [];
  let p001Before: string;

  beforeAll(async () => {
    p001Before = await rawOriginals('P-001');
    data = await messyWorkbook();
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) =>
      jest.spyOn(app.strapi.log, level).mockImplementation(((...a: unknown[]) => {
        logged.push(a.map(String).join(' '));
      }) as any)
    );
    const res = await upload(county, data, '台账 2024 第一批.xlsx');
    expect(res.status).toBe(202);
    expect(['parsing', 'committing', 'done']).toContain(res.body.data.status);
    batch = await waitForBatch(county, res.body.data.id);
    spies.forEach((s) => s.mockRestore());
  });

  it('is imported with literal counts, recording the file and who imported it', async () => {
    expect(batch).toMatchObject({
      status: 'done',
      progress: 100,
      fileName: '台账 2024 第一批.xlsx',
      fileSize: data.length,
      totalRows: 25,
      importedCount: 15,
      alreadyPresentCount: 1,
      conflictCount: 1,
      inFileDuplicateCount: 2,
      errorCount: 6,
      suggestionCount: 5,
      importedById: countyUser.id,
      importedByName: '整治办 录入员',
      failure: null,
    });
    expect(batch.sha256).toBe(require('crypto').createHash('sha256').update(data).digest('hex'));
    expect(batch.code).toMatch(/^IMP-\d{8}-\d{6}-[0-9a-f]{4}$/);
    const row = await knex()('import_batches').where('id', batch.id).first('started_at', 'finished_at');
    expect(row.started_at).toBeTruthy();
    expect(row.finished_at).toBeTruthy();
  });

  it('stores the parsed originals and each raw row verbatim (read back by raw SQL)', async () => {
    const rows = await complaintsOf(batch.code);
    expect(rows.map((r) => r.ledger_no)).toEqual(['T-001', 'T-002', 'T-003', 'T-004', '2024005', 'T-006', 'T-007', 'T-008', 'T-013', 'T-014', 'T-015', 'T-016', 'T-017', 'T-018', 'T-019']);
    const by = Object.fromEntries(rows.map((r) => [r.ledger_no, r]));
    const pick = (r: Record<string, any>) => ({
      receivedAt: iso(r.received_at),
      channel: r.channel,
      name: r.complainant_name,
      phone: r.phone,
      traceable: Boolean(r.traceable),
      town: r.town,
      village: r.village,
      address: r.address,
    });
    expect(pick(by['T-001'])).toEqual({ receivedAt: '2024-05-05T16:00:00.000Z', channel: 'visit', name: '张三', phone: '13800010001', traceable: true, town: '城关镇', village: '东街社区', address: '东街1号' });
    expect(pick(by['T-002'])).toMatchObject({ receivedAt: '2024-05-05T16:00:00.000Z', channel: 'hotline', phone: '13800010002', traceable: true });
    expect(pick(by['T-003'])).toMatchObject({ receivedAt: '2024-05-06T02:30:00.000Z', channel: 'letter', name: null, phone: '057188001234', traceable: true, address: null });
    expect(pick(by['T-004'])).toMatchObject({ receivedAt: '2024-05-06T16:00:00.000Z', channel: 'web', phone: null, traceable: false });
    expect(pick(by['2024005'])).toMatchObject({ receivedAt: '2024-05-07T16:00:00.000Z', channel: 'sms', phone: '13800010005', traceable: true });
    expect(pick(by['T-006'])).toMatchObject({ receivedAt: '2024-05-07T02:30:00.000Z', channel: 'meeting', name: '孙八', phone: null, traceable: false });
    expect(pick(by['T-007'])).toMatchObject({ receivedAt: '2024-05-08T16:00:00.000Z', channel: 'other' });
    expect(by['T-007'].content).toBe('=SUM(A1:A3) 是公式吗？村里的路灯不亮');
    expect(pick(by['T-008'])).toMatchObject({ receivedAt: '2024-05-09T16:00:00.000Z', channel: 'hotline' });
    for (const r of rows) {
      expect([r.ledger_no, r.state, Number(r.chain_seq), r.import_batch]).toEqual([r.ledger_no, 'received', 1, batch.code]);
      expect(r.chain_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(json(by['T-001'].raw_row)).toEqual({
      诉求编号: 'T-001', 反映时间: 45418, 来源: '走访', 反映人: '张三', 联系电话: '１３８ ０００１ ０００１', 乡镇: '城关镇', '村（社区）': '东街社区',
      详细地址: '东街1号', 诉求内容: '东街路灯坏了三个月，晚上出行不便', 备注: '备注A', 登记人: '王登记',
    });
    expect(json(by['T-006'].raw_row)).toMatchObject({ 诉求编号: 'T-006  ', 反映时间: 45419.4375, 反映人: '孙八 ', 联系电话: '无' });
    expect(json(by['T-007'].raw_row)).toMatchObject({ 备注: '@cmd' });
    expect(json(by['2024005'].raw_row)).toMatchObject({ 诉求编号: 2024005, 联系电话: 13800010005 });
  });

  it('gives each imported complaint exactly one imported event, with no personal data, and the ledger verifies', async () => {
    const events = await eventsOf(batch.code);
    const rows = await complaintsOf(batch.code);
    expect(events).toHaveLength(15);
    const rowOf: Record<string, number> = { 'T-001': 4, 'T-002': 5, 'T-003': 6, 'T-004': 7, '2024005': 8, 'T-006': 10, 'T-007': 11, 'T-008': 12, 'T-013': 21, 'T-014': 22, 'T-015': 23, 'T-016': 24, 'T-017': 25, 'T-018': 26, 'T-019': 27 };
    for (const e of events) {
      expect({ seq: Number(e.seq), type: e.type, actorKind: e.actor_kind, actorId: Number(e.actor_id), actorName: e.actor_name, toState: e.to_state, data: json(e.data) }).toEqual({
        seq: 1, type: 'imported', actorKind: 'admin', actorId: countyUser.id, actorName: '整治办 录入员', toState: 'received', data: { importBatch: batch.code, row: rowOf[e.ledger_no] },
      });
      expect(e.hash).toBe(rows.find((r) => r.id === e.complaint_id)!.chain_hash);
    }
    const report = await app.strapi.plugin('complaints').service('ledger').verify();
    expect(report.ok).toBe(true);
    expect(report.broken).toEqual([]);
  });

  it('suggests exactly the planted duplicates and the likely invalid rows, and invalidates nothing', async () => {
    const rows = await complaintsOf(batch.code);
    const suggested = rows.filter((r) => r.suggestion).map((r) => [r.ledger_no, r.suggestion, r.suggestion_ref]);
    expect(suggested).toEqual([
      ['T-013', 'likely_invalid', null],
      ['T-014', 'likely_invalid', null],
      ['T-015', 'likely_duplicate', 'T-001'],
      ['T-016', 'likely_duplicate', 'T-001'],
      ['T-019', 'likely_duplicate', 'P-003'],
    ]);
    expect(rows.every((r) => r.state === 'received' && !r.invalid_reason)).toBe(true);
  });

  it('leaves the conflicting original untouched and reports the conflict', async () => {
    const p1 = await knex()('complaints').where('ledger_no', 'P-001').first('phone', 'import_batch', 'chain_seq');
    expect(p1).toEqual({ phone: '13900000001', import_batch: null, chain_seq: 1 });
    // Every original column byte-identical to what was stored before the import.
    expect(await rawOriginals('P-001')).toBe(p001Before);
    expect(p001Before).toContain('坝上村灌溉水渠堵塞多年');
    expect(await count('complaints', { ledger_no: 'P-001' })).toBe(1);
  });

  it('downloads a result report in xlsx: row, ledger number, column and reason, no personal data, formulas escaped', async () => {
    const res = await county.get(`/complaints/imports/${batch.id}/report`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = await readWorkbook(res.body as Buffer);
    expect(Object.keys(book)).toEqual(['导入结果', '问题行', '甄别建议']);
    const lines = book['问题行'].slice(1).map((r) => [Number(r[0]), r[1], r[2].split(' ')[0], r[3], r[4]]);
    expect(lines).toEqual([
      [13, '', '错误，未导入', '诉求编号', '「诉求编号」为空，此项必填'],
      [14, 'T-010', '错误，未导入', '反映时间', '「反映时间」无法识别为日期（可用 2024-05-06、2024/5/6、2024年5月6日、2024.5.6 或 Excel 日期）'],
      [15, 'T-011', '错误，未导入', '诉求内容', '「诉求内容」为空，此项必填'],
      [16, 'T-012', '错误，未导入', '反映时间', '「反映时间」无法识别为日期（可用 2024-05-06、2024/5/6、2024年5月6日、2024.5.6 或 Excel 日期）'],
      [16, 'T-012', '错误，未导入', '诉求内容', '「诉求内容」为空，此项必填'],
      [17, 'T-001', '文件内重复，未导入', '诉求编号', '诉求编号与本文件第 4 行重复，本行未导入'],
      [18, 'T-002', '文件内重复，未导入', '诉求编号', '诉求编号与本文件第 5 行重复，本行未导入'],
      [19, 'P-001', '冲突，未导入，原记录未改动', '联系电话', '诉求编号已在台账中，但「联系电话」与原始记录不同；本行未导入，原始记录未改动'],
      [20, 'P-002', '已存在，未重复导入', '诉求编号', '该诉求已在台账中，内容一致，未重复导入'],
      [28, 'T-020', '错误，未导入', '乡镇', '「乡镇」超过 50 个字符'],
      [29, "'=1+2", '错误，未导入', '诉求内容', '「诉求内容」为空，此项必填'],
    ]);
    expect(book['问题行'][1][5]).toBe('ledger no. is empty; it is required');
    const sugg = book['甄别建议'].slice(1).map((r) => [Number(r[0]), r[1], r[2], r[3], r[4]]);
    expect(sugg).toEqual([
      [21, 'T-013', '疑似无效 likely invalid', '', '疑似无效：诉求内容过短，表述不清'],
      [22, 'T-014', '疑似无效 likely invalid', '', '疑似无效：无有效联系电话，且未写明乡镇、村(社区)或地址'],
      [23, 'T-015', '疑似重复 likely duplicate', 'T-001', '疑似重复：与原诉求联系电话相同、内容几乎一致'],
      [24, 'T-016', '疑似重复 likely duplicate', 'T-001', '疑似重复：与原诉求同一村(社区)、3 日内反映、内容几乎一致'],
      [27, 'T-019', '疑似重复 likely duplicate', 'P-003', '疑似重复：与原诉求联系电话相同、内容几乎一致'],
    ]);
    const summary = Object.fromEntries(book['导入结果'].map((r) => [r[0], r[1]]));
    expect(summary).toMatchObject({ '批次 Batch': batch.code, '表头行 Header row': '3', '已导入 Imported': '15', '甄别建议 Screening suggestions': '5', '模板外的列（原样保存）Other columns (kept verbatim)': '备注、登记人' });
    const everything = JSON.stringify(book);
    for (const p of PERSONAL) expect([p, everything.includes(p)]).toEqual([p, false]);
  });

  it('never logs or returns personal data', async () => {
    const status = await county.get(`/complaints/imports/${batch.id}`);
    const text = `${logged.join('\n')}\n${JSON.stringify(status.body)}`;
    for (const p of PERSONAL) expect([p, text.includes(p)]).toEqual([p, false]);
  });

  it('keeps nothing of the upload: no public upload, no temporary file, no staging rows', async () => {
    expect(await count('files')).toBe(0);
    expect(fs.readdirSync(path.join(app.strapi.dirs.static.public, 'uploads'))).toEqual([]);
    expect(tempUploads()).toEqual([]);
    expect(await count('complaint_import_rows')).toBe(0);
  });

  it('imports nothing new when the same file comes again: every row already present, the same errors', async () => {
    const before = { complaints: await count('complaints'), events: await count('complaint_events') };
    const again = await importFile(county, data, 'again.xlsx');
    expect(again).toMatchObject({
      status: 'done', totalRows: 25, importedCount: 0, alreadyPresentCount: 16, conflictCount: 1, inFileDuplicateCount: 2, errorCount: 6, suggestionCount: 0,
      sha256: batch.sha256,
    });
    const status = await county.get(`/complaints/imports/${again.id}`);
    expect(status.body.data.sameFileAs).toEqual([{ id: batch.id, code: batch.code, status: 'done' }]);
    expect({ complaints: await count('complaints'), events: await count('complaint_events') }).toEqual(before);
    const res = await county.get(`/complaints/imports/${again.id}/report`).buffer(true).parse(binary);
    const lines = (await readWorkbook(res.body as Buffer))['问题行'].slice(1);
    const present = lines.filter((r) => r[2].startsWith('已存在'));
    expect(present.map((r) => r[1])).toEqual(['T-001', 'T-002', 'T-003', 'T-004', '2024005', 'T-006', 'T-007', 'T-008', 'P-002', 'T-013', 'T-014', 'T-015', 'T-016', 'T-017', 'T-018', 'T-019']);
    expect(present[0][4]).toBe(`该诉求已在台账中，内容一致（导入批次 ${batch.code}），未重复导入`);
  });
});

describe('CSV files and other layouts', () => {
  const rows = (prefix: string): Cell[][] => [
    ['诉求编号', '反映时间', '来源', '反映人', '联系电话', '乡镇', '村(社区)', '详细地址', '诉求内容'],
    [`${prefix}-1`, '2024/6/1', '走访', '欧阳小明', '０５７１－８８００ ５６７８', '长岭镇', '长岭村', '长岭村1组', '长岭村的路灯坏了，晚上看不见路'],
    [`${prefix}-2`, '2024-06-02 09:15', '热线', '司马光', '+86 139 1234 5678', '新华镇', '新华社区', null, '新华社区电梯频繁故障困人，维保单位不负责任'],
    [],
    [`${prefix}-3`, '45445', '网络征集', null, null, '双河镇', '双河村', null, '双河村土地流转租金未结清，希望协调'],
  ];
  const expectStored = async (code: string, prefix: string) => {
    const stored = await complaintsOf(code);
    expect(stored.map((r) => [r.ledger_no, iso(r.received_at), r.channel, r.complainant_name, r.phone, Boolean(r.traceable), r.content])).toEqual([
      [`${prefix}-1`, '2024-05-31T16:00:00.000Z', 'visit', '欧阳小明', '057188005678', true, '长岭村的路灯坏了，晚上看不见路'],
      [`${prefix}-2`, '2024-06-02T01:15:00.000Z', 'hotline', '司马光', '13912345678', true, '新华社区电梯频繁故障困人，维保单位不负责任'],
      [`${prefix}-3`, '2024-06-01T16:00:00.000Z', 'web', null, null, false, '双河村土地流转租金未结清，希望协调'],
    ]);
  };

  it.each([
    ['UTF-8 with BOM', 'U8B', (t: string) => utf8(t, true)],
    ['UTF-8 without BOM', 'U8N', (t: string) => utf8(t)],
    ['GB18030 (GBK), as Chinese Excel saves it', 'GBK', (t: string) => gb18030(t)],
  ])('reads CSV in %s', async (_name, prefix, encode) => {
    const b = await importFile(county, encode(csvText(rows(prefix))), `${prefix}.csv`);
    expect(b).toMatchObject({ status: 'done', totalRows: 3, importedCount: 3, errorCount: 0 });
    await expectStored(b.code, prefix);
    const raw = json((await knex()('complaints').where('ledger_no', `${prefix}-1`).first('raw_row')).raw_row);
    expect(raw).toEqual({ 诉求编号: `${prefix}-1`, 反映时间: '2024/6/1', 来源: '走访', 反映人: '欧阳小明', 联系电话: '０５７１－８８００ ５６７８', 乡镇: '长岭镇', '村(社区)': '长岭村', 详细地址: '长岭村1组', 诉求内容: '长岭村的路灯坏了，晚上看不见路' });
  });

  it('reads tab-separated UTF-16 text (Excel "Unicode text") with English headers', async () => {
    const r = rows('U16');
    r[0] = ['Ledger No.', 'Received at', 'Channel', 'Name', 'Phone', 'Town', 'Village', 'Address', 'Content'];
    const text = `${r.map((cells) => cells.map((c) => (c === null || c === undefined ? '' : String(c))).join('\t')).join('\r\n')}\r\n`;
    const b = await importFile(county, utf16le(text), 'U16.txt');
    expect(b).toMatchObject({ status: 'done', importedCount: 3 });
    await expectStored(b.code, 'U16');
  });

  it('reads a header split over two rows by merged cells, numbers stored as text, trailing spaces', async () => {
    const data = await xlsxBuffer({
      rows: [
        ['诉求编号', '反映时间', '反映人信息', null, '诉求内容', '乡镇'],
        [null, null, '反映人', '联系电话', null, null],
        ['M-1   ', '2024/7/1', '刘一 ', '13700000001', '清水乡的灌溉水渠堵塞，下游农田无法灌溉', '清水乡 '],
        ['M-2', '2024/7/2', '刘二', '13700000002  ', '太平镇幼儿园学位紧张，孩子无法就近入园', '太平镇'],
      ],
      merges: ['A1:A2', 'B1:B2', 'C1:D1', 'E1:E2', 'F1:F2'],
    });
    const b = await importFile(county, data, 'merged.xlsx');
    expect(b).toMatchObject({ status: 'done', totalRows: 2, importedCount: 2, errorCount: 0 });
    const stored = await complaintsOf(b.code);
    expect(stored.map((r) => [r.ledger_no, r.complainant_name, r.phone, r.town])).toEqual([
      ['M-1', '刘一', '13700000001', '清水乡'],
      ['M-2', '刘二', '13700000002', '太平镇'],
    ]);
    const events = await eventsOf(b.code);
    expect(events.map((e) => json(e.data).row)).toEqual([3, 4]);
  });
});

describe('all or nothing', () => {
  const file = () =>
    xlsxBuffer({
      rows: [
        ['诉求编号', '反映时间', '诉求内容', '村(社区)'],
        ...Array.from({ length: 40 }, (_, i) => [`F-${i + 1}`, '2024/8/1', `第${i + 1}条诉求：花园乡的道路需要修补，编号${i + 1}`, '花园村']),
      ],
    });

  it('leaves nothing of the batch when the database fails midway through the commit', async () => {
    const store = app.strapi.plugin('complaints').service('import-store');
    const original = store.insertEvents;
    let insertedBeforeFailure = -1;
    store.insertEvents = async (trx: any, batchId: number, code: string) => {
      // The complaints of the batch are written (inside the transaction) when this step fails.
      insertedBeforeFailure = Number((await trx('complaints').where('import_batch', code).count({ n: '*' }))[0].n);
      void batchId;
      throw new Error('disk full (injected)');
    };
    const before = { complaints: await count('complaints'), events: await count('complaint_events') };
    let failed: Batch;
    try {
      failed = await importFile(county, await file(), 'fails.xlsx');
    } finally {
      store.insertEvents = original;
    }
    expect(insertedBeforeFailure).toBe(40);
    expect(failed).toMatchObject({ status: 'failed', importedCount: 0 });
    expect(failed.failure).toBe('导入失败，本批次未导入任何诉求 / The import failed and nothing of this batch was imported: disk full (injected)');
    expect(await count('complaints', { import_batch: failed.code })).toBe(0);
    expect(await eventsOf(failed.code)).toEqual([]);
    expect({ complaints: await count('complaints'), events: await count('complaint_events') }).toEqual(before);
    expect(await count('complaint_import_rows')).toBe(0);
    expect(tempUploads()).toEqual([]);

    // Positive control: the same file imports once the database behaves.
    const ok = await importFile(county, await file(), 'fails.xlsx');
    expect(ok).toMatchObject({ status: 'done', importedCount: 40 });
    expect((await eventsOf(ok.code)).length).toBe(40);
  });

  it('answers at once and reports progress while a large file is imported in the background', async () => {
    const big = await xlsxBuffer({
      rows: [
        ['诉求编号', '反映时间', '诉求内容', '乡镇', '村(社区)', '联系电话'],
        ...Array.from({ length: 6000 }, (_, i) => [`B-${i + 1}`, 45400 + (i % 200), `大批量诉求第${i + 1}条：希望解决村里道路、路灯和饮水问题，编号${i * 7919}`, '城关镇', `第${i % 50}村`, `1370${String(i).padStart(7, '0')}`]),
      ],
    });
    const res = await upload(county, big, 'big.xlsx');
    expect(res.status).toBe(202);
    expect(res.body.data.status).not.toBe('done');
    const info = await county.get('/complaints/info');
    expect(info.status).toBe(200);
    const done = await waitForBatch(county, res.body.data.id);
    expect(done).toMatchObject({ status: 'done', importedCount: 6000, progress: 100 });
  });
});

describe('a server that stopped in the middle of an import', () => {
  it('marks the batch failed after 10 minutes without progress and removes its staged rows; a batch that moves is left alone', async () => {
    const store = app.strapi.plugin('complaints').service('import-store');
    const stale = await store.createBatch({ code: 'IMP-STALE-1', fileName: 'stale.xlsx', status: 'parsing', progress: 40, startedAt: new Date() });
    const alive = await store.createBatch({ code: 'IMP-ALIVE-1', fileName: 'alive.xlsx', status: 'parsing', progress: 40, startedAt: new Date() });
    await knex()('import_batches').where('id', stale).update({ updated_at: new Date(Date.now() - 11 * 60_000) });
    await knex()('complaint_import_rows').insert({ batch_id: stale, row_no: 2, status: 'new', ledger_no: 'S-1', received_at: new Date(), channel: 'other', content: '路灯坏了', traceable: false });
    const res = await county.get(`/complaints/imports/${stale}`);
    expect(res.body.data).toMatchObject({
      status: 'failed',
      failure: '导入失败，本批次未导入任何诉求 / The import failed and nothing of this batch was imported: 导入被中断（服务已停止） / the import was interrupted (the server stopped)',
    });
    expect(await count('complaint_import_rows', { batch_id: stale })).toBe(0);
    expect((await county.get(`/complaints/imports/${alive}`)).body.data.status).toBe('parsing');
    await knex()('import_batches').where('id', alive).update({ status: 'failed' });
  });
});

describe('files refused as a whole', () => {
  const good = () => xlsxBuffer({ rows: [['诉求编号', '反映时间', '诉求内容'], [`OK-${Math.random().toString(36).slice(2, 8)}`, '2024/9/1', '双河镇的路灯坏了，晚上出行不便']] });
  const cfg = () => app.strapi.config.get('plugin::complaints') as { import: { maxFileBytes: number } };

  const cases: Array<[string, () => Promise<{ data: Buffer; name: string }>, number, string, RegExp]> = [
    ['a file of the wrong type', async () => ({ data: PNG, name: 'ledger.xlsx' }), 400, 'file_type', /^不支持的文件类型.* \/ Unsupported file type/],
    ['a Word document', async () => ({ data: zipFile([{ name: 'word/document.xml', data: '<w/>' }]), name: 'ledger.docx' }), 400, 'file_type', /Unsupported file type/],
    ['an encrypted workbook', async () => ({ data: compoundFile(['EncryptionInfo', 'EncryptedPackage']), name: 'ledger.xlsx' }), 400, 'file_encrypted', /^文件已加密.* \/ The file is encrypted/],
    ['an Excel 97-2003 workbook', async () => ({ data: compoundFile(['Workbook']), name: 'ledger.xls' }), 400, 'file_xls', /\.xls/],
    ['an empty file', async () => ({ data: Buffer.alloc(0), name: 'ledger.csv' }), 400, 'file_empty', /^文件是空的.* \/ The file is empty/],
    ['a workbook with no rows', async () => ({ data: await xlsxBuffer({ rows: [] }), name: 'empty.xlsx' }), 400, 'file_empty', /The file is empty/],
    ['a sheet with no recognisable header', async () => ({ data: await xlsxBuffer({ rows: [['张三', '2024/9/1', '路灯坏了'], ['李四', '2024/9/2', '水管破了']] }), name: 'noheader.xlsx' }), 400, 'no_header', /^未找到可识别的表头.* \/ No recognisable header row/],
    ['a header without the required columns', async () => ({ data: utf8(csvText([['诉求编号', '反映人'], ['X-1', '张三']])), name: 'missing.csv' }), 400, 'missing_columns', /^表头缺少必需的列：反映时间、诉求内容 \/ The header lacks required columns: received at, content$/],
    ['a header with no rows under it', async () => ({ data: await xlsxBuffer({ rows: [['诉求编号', '反映时间', '诉求内容'], [], []] }), name: 'header-only.xlsx' }), 400, 'no_data', /There are no data rows/],
  ];

  it.each(cases)('refuses %s with a clear message, imports nothing, keeps nothing; the same route takes a good file', async (_name, make, status, code, message) => {
    const before = { batches: await count('import_batches'), complaints: await count('complaints') };
    const { data, name } = await make();
    const res = await upload(county, data, name);
    expect([res.status, res.body.error?.details?.code]).toEqual([status, code]);
    expect(res.body.error.message).toMatch(message);
    expect({ batches: await count('import_batches'), complaints: await count('complaints') }).toEqual(before);
    expect(tempUploads()).toEqual([]);
    // Positive control
    const ok = await importFile(county, await good(), 'good.xlsx');
    expect(ok).toMatchObject({ status: 'done', importedCount: 1 });
  });

  it('refuses a file over the size limit with 413 (configurable), and takes one under it', async () => {
    const data = await good();
    const saved = cfg().import.maxFileBytes;
    cfg().import.maxFileBytes = data.length - 1;
    try {
      const res = await upload(county, data, 'big.xlsx');
      expect([res.status, res.body.error.details.code]).toEqual([413, 'file_too_large']);
      expect(res.body.error.message).toMatch(/^文件超过大小上限 \d+ KB，请拆分后分批导入 \/ The file is larger than the limit of \d+ KB/);
      expect(tempUploads()).toEqual([]);
      cfg().import.maxFileBytes = data.length;
      const ok = await importFile(county, data, 'big.xlsx');
      expect(ok.status).toBe('done');
    } finally {
      cfg().import.maxFileBytes = saved;
    }
  });

  it('refuses an upload without a file, and takes one with a file', async () => {
    const res = await county.post('/complaints/imports').send({});
    expect([res.status, res.body.error.details.code]).toEqual([400, 'file_missing']);
    expect(res.body.error.message).toBe('请选择要导入的台账文件（字段名 file） / Choose a ledger file to import (form field "file")');
    const ok = await importFile(county, await good(), 'good.xlsx');
    expect(ok).toMatchObject({ status: 'done', importedCount: 1 });
  });
});

describe('who may import', () => {
  it('the county office may; a unit operator may not; nobody anonymous', async () => {
    const data = await xlsxBuffer({ rows: [['诉求编号', '反映时间', '诉求内容'], ['W-1', '2024/9/1', '高桥镇的垃圾清运不及时']] });
    const op = await createAdminUser(app.strapi, { roleCode: 'minyi-unit-operator' });
    const opSession = await login(app.strapi, op.email, op.password);
    expect((await upload(opSession, data, 'x.xlsx')).status).toBe(403);
    expect((await opSession.get('/complaints/import-template')).status).toBe(403);
    expect((await app.request().post('/complaints/imports').attach('file', data, 'x.xlsx')).status).toBe(401);
    // The refused uploads are not left in the temporary directory either.
    expect(copiesInTemp(data)).toEqual([]);
    expect(tempUploads()).toEqual([]);
    expect(await count('complaints', { ledger_no: 'W-1' })).toBe(0);
    expect((await upload(county, data, 'x.xlsx')).status).toBe(202);
  });
});

describe('the template', () => {
  it('downloads with the template headers, a channel list and the accepted names', async () => {
    const res = await county.get('/complaints/import-template').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const book = await readWorkbook(res.body as Buffer);
    expect(book['台账']).toEqual([['诉求编号', '反映时间', '来源', '反映人', '联系电话', '乡镇', '村(社区)', '详细地址', '诉求内容']]);
    expect(book['填写说明'][1].slice(0, 2)).toEqual(['诉求编号', '是 yes']);
    // A filled-in template imports.
    const filled = await xlsxBuffer({ rows: [book['台账'][0], ['TPL-1', '2024/10/1', '走访', '王五', '13600000001', '城关镇', '北关社区', '北关1号', '北关社区的下水道堵塞']] });
    expect(await importFile(county, filled, 'filled.xlsx')).toMatchObject({ status: 'done', importedCount: 1 });
  });
});

describe('the command line', () => {
  const cli = (args: string[]) => {
    const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'ledger-import.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, MINYI_SKIP_COMPILE: '1', LOG_LEVEL: 'error' },
      encoding: 'utf8',
      timeout: 120000,
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it('imports a file, prints the summary and writes the report; exits 2 on a refused file', async () => {
    const file = tempFile(
      await xlsxBuffer({ rows: [['诉求编号', '反映时间', '诉求内容', '联系电话'], ['CLI-1', '2024/10/2', '马坪镇的自来水经常停水', '13500000001'], ['CLI-2', 'bad', '马坪镇的路灯坏了', null]] }),
      'cli.xlsx'
    );
    const reportPath = path.join(path.dirname(file), 'report.xlsx');
    const r = cli([file, '--report', reportPath]);
    expect(r.out).toContain('Ledger import 台账导入: done 完成');
    expect(r.out).toMatch(/imported 已导入 +1\n/);
    expect(r.out).toMatch(/rows with errors 错误行 +1\n/);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('13500000001');
    expect(fs.existsSync(file)).toBe(true); // the command line leaves its own file alone
    const report = await readWorkbook(fs.readFileSync(reportPath));
    expect(report['问题行'].slice(1).map((x) => [x[0], x[1], x[3]])).toEqual([['3', 'CLI-2', '反映时间']]);
    const ev = await knex()('complaint_events').where('ledger_no', 'CLI-1').first('actor_kind', 'type');
    expect(ev).toEqual({ actor_kind: 'system', type: 'imported' });

    const refused = cli([tempFile(PNG, 'image.xlsx')]);
    expect(refused.out).toContain('Refused 文件被拒绝: 不支持的文件类型');
    expect(refused.code).toBe(2);
  });
});
