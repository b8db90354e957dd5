/**
 * Keyword search in content through the keyword index (services/keyword.ts): complaints with
 * hand-written contents, needles of 1 to 4 characters and longer, LIKE's metacharacters, absent
 * needles, full-width against half-width. Each result is a literal list, and equals a brute-force
 * substring test over the same rows (the positive control). On a table large enough, PostgreSQL
 * plans the search through the GIN index and SQLite through the FTS5 table; a complaint written
 * while the SQLite triggers were gone is indexed when they are made again.
 */
import { keywordCondition } from '../../plugins/complaints/server/src/services/keyword';
import { keywordMatches } from '../../plugins/complaints/server/src/domain/keyword';
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started), { captureLog: true });

const knex = () => app.strapi.db.connection;
const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);

/** Key → content, each written by hand. */
const CONTENTS: Record<string, string> = {
  K01: '小区路灯不亮，晚上出行不便',
  K02: '路边的灯坏了很久',
  K03: '消防栓漏水，消防通道被占用',
  K04: '消防队说防栓漏水', // holds both bigrams of 消防栓, apart
  K05: '低保申请一直没有回复',
  K06: '夜间施工噪音扰民',
  K07: 'ＷＩＦＩ信号差，网速只有１００Ｍ',
  K08: 'wifi密码被改，100M宽带',
  K09: '折扣100%返现是假的',
  K10: '账号user_name无法登录',
  K11: '路径C:\\data\\填报出错',
  K12: '物业费上涨，物业不作为',
  K13: '路\n灯不亮已经三天',
  K14: '村口的路 灯杆倒了',
};
const KEYS = Object.keys(CONTENTS);
const ids: Record<string, number> = {};

const search = async (needle: string, within: number[] = Object.values(ids)): Promise<string[]> => {
  const qb = keywordCondition(knex()('complaints as c').select('c.ledger_no as key').whereIn('c.id', within), 'c.content', needle);
  return (await qb).map((r: any) => String(r.key).replace(/^KW-/, '')).sort();
};
const bruteForce = (needle: string): string[] => KEYS.filter((k) => keywordMatches(CONTENTS[k], needle)).sort();

beforeAll(async () => {
  for (const key of KEYS) ids[key] = (await w.complaint({ ledgerNo: `KW-${key}`, content: CONTENTS[key] })).id;
});

describe('keyword search finds exactly the complaints whose content holds the needle', () => {
  it.each([
    // 1 character
    ['灯', ['K01', 'K02', 'K13', 'K14']],
    ['漏', ['K03', 'K04']],
    ['Ｍ', ['K07', 'K08', 'K10']],
    ['%', ['K09']],
    ['_', ['K10']],
    ['\\', ['K11']],
    // 2 characters
    ['路灯', ['K01', 'K13', 'K14']],
    ['低保', ['K05']],
    ['噪音', ['K06']],
    ['物业', ['K12']],
    ['0%', ['K09']],
    ['r_', ['K10']],
    [':\\', ['K11']],
    // 3 characters
    ['消防栓', ['K03']],
    ['100', ['K07', 'K08', 'K09']],
    ['灯不亮', ['K01', 'K13']],
    ['_na', ['K10']],
    // 4 characters and longer
    ['消防通道', ['K03']],
    ['出行不便', ['K01']],
    ['wifi', ['K07', 'K08']],
    ['ＷｉＦｉ', ['K07', 'K08']],
    ['100m', ['K07', 'K08']],
    ['１００％', ['K09']],
    ['user_name', ['K10']],
    ['c:\\data\\', ['K11']],
    ['路 灯 不 亮', ['K01', 'K13']],
  ])('%j → %j', async (needle, expected) => {
    const found = await search(needle);
    expect(found).toEqual(expected);
    expect(found).toEqual(bruteForce(needle));
  });

  it.each([
    ['鸽哨'],
    ['路不'], // both characters in K01, not side by side
    ['防栓漏水了'],
    ['%%'],
    ['__'],
    ['\\\\'],
    ['100%返现是真的'],
    ['y'],
  ])('%j is in no content', async (needle) => {
    expect(await search(needle)).toEqual([]);
    expect(bruteForce(needle)).toEqual([]);
  });

  it('an empty needle adds no condition', async () => {
    expect(await search('')).toEqual(KEYS);
    expect(await search(' \u3000 ')).toEqual(KEYS);
  });

  it('keeps the keyword out of the log', () => {
    const needles = ['消防栓', '低保', 'user_name'];
    for (const line of app.logLines) for (const n of needles) expect(line).not.toContain(n);
  });
});

describe('on a table large enough', () => {
  const BULK = 30_000;
  const RARE_EVERY = 1000;
  let bulkIds: number[] = [];

  beforeAll(async () => {
    // Set-based, as an import writes: the contents cycle through five phrases, one row in a
    // thousand holds 鸽哨, and none holds a needle of the hand-written rows.
    const phrases = ['楼道照明损坏请求维修', '道路坑洼雨天积水', '垃圾清运不及时', '广场舞音响太响', '公交站台缺少座椅'];
    const body = `CASE g % 5 ${phrases.map((p, i) => `WHEN ${i} THEN '${p}'`).join(' ')} END || CASE WHEN g % ${RARE_EVERY} = 0 THEN '，有人放鸽哨' ELSE '' END`;
    const cols = 'document_id, ledger_no, received_at, channel, content, state, created_at, updated_at, published_at';
    if (app.db === 'postgres') {
      await knex().raw(
        `INSERT INTO complaints (${cols}) SELECT 'kwbulk' || g, 'KWB-' || g, now(), 'visit', ${body}, 'received', now(), now(), now() FROM generate_series(1, ${BULK}) AS g`
      );
      await knex().raw('ANALYZE complaints');
    } else {
      const now = Date.now();
      await knex().raw(
        `WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < ${BULK})
         INSERT INTO complaints (${cols}) SELECT 'kwbulk' || g, 'KWB-' || g, ${now}, 'visit', ${body}, 'received', ${now}, ${now}, ${now} FROM s`
      );
      await knex().raw('ANALYZE');
    }
    bulkIds = (await knex()('complaints').where('ledger_no', 'like', 'KWB-%').select('id')).map((r: any) => Number(r.id));
  });

  it('finds the rare word in the rows that hold it, as a scan does', async () => {
    expect(bulkIds).toHaveLength(BULK);
    const count = async (needle: string) => Number((await keywordCondition(knex()('complaints as c').count({ n: '*' }), 'c.content', needle))[0].n);
    const scan = async (needle: string) => Number((await knex()('complaints').where('content', 'like', `%${needle}%`).count({ n: '*' }))[0].n);
    expect(await count('鸽哨')).toBe(BULK / RARE_EVERY);
    expect(await scan('鸽哨')).toBe(BULK / RARE_EVERY);
    expect(await count('放鸽哨')).toBe(BULK / RARE_EVERY);
    expect(await count('积水')).toBe(BULK / 5);
    expect(await scan('积水')).toBe(BULK / 5);
    expect(await count('消防栓')).toBe(1);
  });

  it('plans the search through the index', async () => {
    const qb = keywordCondition(knex()('complaints as c').select('c.id'), 'c.content', '鸽哨');
    const { sql, bindings } = qb.toSQL().toNative();
    expect(bindings).toEqual(app.db === 'postgres' ? ['鸽哨'] : ['bigrams : "9e3dx54e8"']);
    if (app.db === 'postgres') {
      const plan = rowsOf(await knex().raw(`EXPLAIN ${qb.toQuery()}`)).map((r: any) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('minyi_complaints_keyword_gin');
      expect(plan).not.toContain('Seq Scan on complaints');
      // The 3-character needle: the index, then the substring check on its candidates only.
      const plan3 = rowsOf(await knex().raw(`EXPLAIN ${keywordCondition(knex()('complaints as c').select('c.id'), 'c.content', '放鸽哨').toQuery()}`))
        .map((r: any) => r['QUERY PLAN'])
        .join('\n');
      expect(plan3).toContain('minyi_complaints_keyword_gin');
    } else {
      expect(sql).toContain('MATCH');
      const plan = rowsOf(await knex().raw(`EXPLAIN QUERY PLAN ${qb.toQuery()}`)).map((r: any) => r.detail).join('\n');
      expect(plan).toMatch(/minyi_complaints_keyword VIRTUAL TABLE INDEX/);
    }
  });
});

describe('the index follows every write', () => {
  it('indexes a complaint written by raw SQL', async () => {
    const [row] = await knex()('complaints')
      .insert({ document_id: 'kwraw1', ledger_no: 'KW-R1', received_at: new Date(), channel: 'visit', content: '井盖丢失有危险', state: 'received', created_at: new Date(), updated_at: new Date(), published_at: new Date() })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    expect(await search('井盖', [id])).toEqual(['R1']);
  });

  it('SQLite: indexes a complaint written while the triggers were gone, when they are made again', async () => {
    if (app.db !== 'sqlite') return expect(app.db).toBe('postgres'); // PostgreSQL keeps its expression index itself
    await knex().raw('DROP TRIGGER minyi_complaints_keyword_insert');
    const [row] = await knex()('complaints')
      .insert({ document_id: 'kwraw2', ledger_no: 'KW-R2', received_at: new Date(), channel: 'visit', content: '电梯困人无人处理', state: 'received', created_at: new Date(), updated_at: new Date(), published_at: new Date() })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    expect(await search('电梯', [id])).toEqual([]);
    await app.strapi.plugin('complaints').service('triggers').ensure();
    expect(await search('电梯', [id])).toEqual(['R2']);
    expect((await app.strapi.plugin('complaints').service('triggers').list()).sort()).toEqual(app.strapi.plugin('complaints').service('triggers').expected());
  });

  it('the content stays frozen: changing it is refused and the index still finds the original', async () => {
    const triggers = app.strapi.plugin('complaints').service('triggers');
    // What the database held when the update was tried, for the failure report.
    const before = { row: await knex()('complaints').where('id', ids.K05).first('id', 'content'), triggers: await triggers.list() };
    let refused: unknown = null;
    try {
      await knex()('complaints').where('id', ids.K05).update({ content: '已改' });
    } catch (e) {
      refused = e;
    }
    if (!refused) throw new Error(`the content update was not refused; before it: ${JSON.stringify(before)}; after it: ${JSON.stringify(await knex()('complaints').where('id', ids.K05).first('id', 'content'))}`);
    expect(String((refused as Error).message)).toMatch(/minyi:/);
    expect(await search('低保', [ids.K05])).toEqual(['K05']);
  });
});
