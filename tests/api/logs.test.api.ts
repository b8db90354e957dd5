/**
 * The server log: with LOG_LEVEL=http (the default) it records each request and every error,
 * and no line holds a citizen's phone or name, request URLs and a failing query's SQL included.
 * The 500 is a real failure: a table a read route needs is renamed away, then restored.
 */
import { act, withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

process.env.LOG_LEVEL = 'http';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started), { captureLog: true });

afterAll(() => {
  process.env.LOG_LEVEL = 'warn';
});

// Unique literals: no other fixture uses them.
const PHONES = ['13912340001', '13912340002', '13912340003'];
const NAMES = ['欧阳测一', '司马测二'];
const CM = '/content-manager/collection-types/plugin::complaints';

describe('server log', () => {
  it('logs requests and a provoked 500 with its stack, without any fixture phone or name', async () => {
    const knex = app.strapi.db.connection;
    const made = [];
    for (const phone of PHONES.slice(0, 2)) made.push(await w.complaint({ phone }));
    // Named complaints, registered as the county office does.
    for (const [i, name] of NAMES.entries()) {
      await app.strapi.documents('plugin::complaints.complaint').create({
        data: { ledgerNo: `LOG-${i}`, receivedAt: new Date().toISOString(), channel: 'visit', complainantName: name, phone: PHONES[2], town: '城关镇', content: '日志测试诉求' } as any,
      });
    }
    const { county, op1 } = w.users;
    expect((await county.get(`/complaints/complaints/${made[0].documentId}/workflow`)).status).toBe(200);
    expect((await county.get(`${CM}.complaint?filters[phone][$eq]=${PHONES[0]}`)).status).toBe(200);
    expect((await county.get(`${CM}.complaint?filters[complainantName][$eq]=${encodeURIComponent(NAMES[0])}`)).status).toBe(200);
    expect((await county.get(`/complaints/complaints/${PHONES[1]}/workflow?name=${encodeURIComponent(NAMES[1])}`)).status).toBe(404);
    expect((await act(op1, made[1].documentId, 'accept', { nature: 'individual', note: PHONES[1] })).status).toBe(404);
    expect((await county.post(`${CM}.complaint`).send({ ledgerNo: 'LOG-X', complainantName: NAMES[1], phone: PHONES[1], receivedAt: 'not a date' })).status).toBeGreaterThanOrEqual(400);

    await knex.schema.renameTable('complaint_categories', 'complaint_categories_away');
    let failed;
    try {
      failed = await county.get(`${CM}.category?filters[name][$eq]=${PHONES[2]}`);
    } finally {
      await knex.schema.renameTable('complaint_categories_away', 'complaint_categories');
    }
    expect([failed.status, failed.body.error.message]).toEqual([500, 'Internal Server Error']);
    expect((await county.get('/complaints/options')).status).toBe(200);

    const lines = app.logLines;
    const errorLine = lines.find((l) => /error/.test(l) && /complaint_categories/.test(l));
    expect(errorLine).toBeDefined();
    // The stack came with it. knex writes SQLite's bound values into the message (replaced
    // here); PostgreSQL's message keeps placeholders.
    expect(errorLine).toMatch(/\n\s+at /);
    expect(errorLine).toContain(app.db === 'sqlite' ? "`t0`.`name` = '[value]'" : '"t0"."name" = $1');
    // Requests are logged (the positive control for the redaction below): URLs with the phone and name replaced.
    expect(lines.some((l) => l.includes('GET /content-manager/collection-types/plugin::complaints.complaint?filters[phone][$eq]=[phone]'))).toBe(true);
    expect(lines.some((l) => l.includes('[name]'))).toBe(true);
    expect(lines.some((l) => /GET \/complaints\/complaints\/\[phone\]\/workflow\?name=\[name\] \(\d+ ms\) 404/.test(l))).toBe(true);
    const all = lines.join('\n');
    for (const secret of [...PHONES, ...NAMES, encodeURIComponent(NAMES[0]), encodeURIComponent(NAMES[1])]) expect([secret, all.includes(secret)]).toEqual([secret, false]);
  });
});
