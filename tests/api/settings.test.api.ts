/**
 * Settings 系统设置: the county office and the county leader read the configuration
 * as the county runs it, with the SMS templates and no credential, and the routing table's
 * check, which names each minor category a classification "by the routing table" cannot route
 * and the towns it fails in. Expected values are the configuration's defaults and the test
 * county's categories and towns (tests/helpers/world.ts), worked out by hand.
 *
 * The county office edits the settings that are safe at run time (the warning thresholds and
 * the ranking): the edit is in force at once, for the warning job and the ranking, is kept with
 * who made it, survives into another instance's configuration, and a refused edit changes nothing.
 */
import { addDaysFromToday, driveTo, withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const settings = async () => {
  const r = await w.users.county.get('/complaints/settings');
  expect([r.status, r.body.error]).toEqual([200, undefined]);
  return r.body.data;
};
const rule = (categoryCode: string, town: string | null, unit: number) =>
  app.strapi.db.query('plugin::complaints.routing-rule' as any).create({ data: { categoryCode, town, unit } });

describe('settings', () => {
  it('show the time zone, the warning thresholds, the jobs, the survey, evidence per mode and the SMS provider with its templates', async () => {
    const s = await settings();
    expect([s.timeZone, s.warnings, s.defaultResponseDays, s.survey]).toEqual([
      'Asia/Shanghai',
      { measure: { yellowDays: 20, orangeDays: 10 }, response: { yellowDays: 1, orangeDays: 1 } },
      3,
      { expiryDays: 7, reminderDays: 3 },
    ]);
    expect(s.evidence.requiredAspects.map((r: any) => r.mode)).toEqual(['immediate', 'deadline', 'phased', 'policy_limited']);
    expect([s.sms.signature, s.sms.quietHours, s.sms.perNumberCap]).toEqual(['民意服务站', { start: '21:00', end: '08:00' }, 3]);
    expect(s.sms.templates.map((t: any) => t.key)).toEqual(['registered_notice', 'accepted_notice', 'closed_survey.link', 'closed_survey.reply', 'survey_reminder.link', 'survey_reminder.reply']);
    expect(s.sms.templates[0]).toEqual({ key: 'registered_notice', text: '【{county}】您的诉求已登记，编号{ledgerNo}。我们将尽快处理。', overridden: false });
    // The provider's options (credentials) are never part of it.
    expect(Object.keys(s.sms).sort()).toEqual(['perNumberCap', 'provider', 'quietHours', 'signature', 'templates', 'webhooksConfigured']);
  });

  it('check the routing table: each minor category without a rule, and the towns it fails in', async () => {
    // No rule yet: the test county's three minors fail in both towns.
    expect((await settings()).routing).toEqual({
      rules: 0,
      towns: ['东坝镇', '城关镇'],
      minorCategories: 3,
      uncovered: [
        { code: '0101', name: '老旧小区改造', towns: ['东坝镇', '城关镇'] },
        { code: '0102', name: '物业服务', towns: ['东坝镇', '城关镇'] },
        { code: '0201', name: '农村公路建设', towns: ['东坝镇', '城关镇'] },
      ],
    });
    await rule('0101', null, w.units.l1.id); // every town
    await rule('0102', '城关镇', w.units.t1.id); // one town
    expect((await settings()).routing).toEqual({
      rules: 2,
      towns: ['东坝镇', '城关镇'],
      minorCategories: 3,
      uncovered: [
        { code: '0102', name: '物业服务', towns: ['东坝镇'] },
        { code: '0201', name: '农村公路建设', towns: ['东坝镇', '城关镇'] },
      ],
    });
  });

  it('are read by the county office and the county leader; refused to the unit roles', async () => {
    expect((await w.users.leader.get('/complaints/settings')).status).toBe(200);
    expect((await w.users.county.get('/complaints/settings')).status).toBe(200);
    for (const s of [w.users.op1, w.users.lead1, w.users.head1]) expect((await s.get('/complaints/settings')).status).toBe(403);
  });
});

describe('settings edits at run time', () => {
  const config = () => app.strapi.config.get('plugin::complaints') as any;
  const stored = () => app.strapi.store({ type: 'plugin', name: 'complaints' }).get({ key: 'runtime-settings' });
  const levelOf = async (id: number) => (await app.strapi.db.connection('complaints').where('id', id).first('warning_level')).warning_level;

  it('new measure thresholds are in force for the next warning run, kept with who made them', async () => {
    // 8 days left: orange under the defaults (fewer than 10), yellow under 15 / 5.
    const c = await driveTo(w, 'rectifying', { deadline: addDaysFromToday(8) });
    expect(await levelOf(c.id)).toBe('orange');
    const r = await w.users.county.put('/complaints/settings').send({ warnings: { measure: { yellowDays: 15, orangeDays: 5 } } });
    expect([r.status, r.body.error]).toEqual([200, undefined]);
    expect(r.body.meta.changes).toEqual([
      { path: 'warnings.measure.yellowDays', from: 20, to: 15 },
      { path: 'warnings.measure.orangeDays', from: 10, to: 5 },
    ]);
    expect(r.body.data.warnings).toEqual({ measure: { yellowDays: 15, orangeDays: 5 }, response: { yellowDays: 1, orangeDays: 1 } });
    // What the file says stays shown beside it; the edit names its author.
    expect(r.body.data.editable.configured.warnings.measure).toEqual({ yellowDays: 20, orangeDays: 10 });
    expect(r.body.data.editable.paths).toEqual([
      'warnings.measure.yellowDays', 'warnings.measure.orangeDays', 'warnings.response.yellowDays', 'warnings.response.orangeDays',
      'ranking.weights.response', 'ranking.weights.resolution', 'ranking.weights.satisfaction', 'ranking.listSize',
    ]);
    expect(r.body.data.editable.edits.map((e: any) => [e.by, e.changes.length])).toEqual([['整治办 测试', 2]]);
    expect(config().warnings.measure).toEqual({ yellowDays: 15, orangeDays: 5 });
    await app.strapi.plugin('complaints').service('warnings').run({ now: new Date() });
    expect(await levelOf(c.id)).toBe('yellow');
  });

  it('another instance reads the edit from the store', async () => {
    expect(((await stored()) as any).values.warnings.measure).toEqual({ yellowDays: 15, orangeDays: 5 });
    // An instance that booted on the file's values…
    app.strapi.config.set('plugin::complaints.warnings', { measure: { yellowDays: 20, orangeDays: 10 }, response: { yellowDays: 1, orangeDays: 1 } });
    expect(config().warnings.measure).toEqual({ yellowDays: 20, orangeDays: 10 });
    // …follows the store at its next refresh (each minute, and before each warning run it claims).
    await app.strapi.plugin('complaints').service('settings').refresh();
    expect(config().warnings.measure).toEqual({ yellowDays: 15, orangeDays: 5 });
  });

  it('ranking weights and list size are the ranking\'s next answer', async () => {
    const r = await w.users.county.put('/complaints/settings').send({ ranking: { weights: { satisfaction: 2 }, listSize: 3 } });
    expect([r.status, r.body.meta.changes.map((c: any) => `${c.path} ${c.from}→${c.to}`)]).toEqual([200, ['ranking.weights.satisfaction 1→2', 'ranking.listSize 5→3']]);
    const ranking = await w.users.county.get('/complaints/stats/ranking');
    expect([ranking.status, ranking.body.data.weights, ranking.body.data.listSize]).toEqual([200, { response: 1, resolution: 1, satisfaction: 2 }, 3]);
    expect((await settings()).editable.edits.map((e: any) => e.changes.map((c: any) => c.path))).toEqual([
      ['ranking.weights.satisfaction', 'ranking.listSize'],
      ['warnings.measure.yellowDays', 'warnings.measure.orangeDays'],
    ]);
  });

  it('a refused edit changes nothing; the county leader reads but may not edit; the unit roles neither', async () => {
    const before = [JSON.stringify(config().warnings), JSON.stringify(config().ranking), JSON.stringify(await stored())];
    const bad: Array<[unknown, number, string]> = [
      [{ timeZone: 'Asia/Tokyo' }, 400, 'unknown_setting'],
      [{ warnings: { response: { yellowDays: 0 } } }, 400, 'invalid_thresholds'],
      [{ warnings: { measure: { yellowDays: 15, orangeDays: '5' } } }, 400, 'invalid_input'],
      [{ ranking: { listSize: 0 } }, 400, 'invalid_ranking'],
    ];
    for (const [body, status, code] of bad) {
      const r = await w.users.county.put('/complaints/settings').send(body as object);
      expect([JSON.stringify(body), r.status, r.body.error?.details?.code, typeof r.body.error?.message]).toEqual([JSON.stringify(body), status, code, 'string']);
    }
    for (const s of [w.users.leader, w.users.op1, w.users.lead1, w.users.head1]) {
      expect((await s.put('/complaints/settings').send({ ranking: { listSize: 4 } })).status).toBe(403);
    }
    expect([JSON.stringify(config().warnings), JSON.stringify(config().ranking), JSON.stringify(await stored())]).toEqual(before);
    // Positive control: the same edit by the county office.
    const ok = await w.users.county.put('/complaints/settings').send({ ranking: { listSize: 4 } });
    expect([ok.status, ok.body.data.ranking.listSize, config().ranking.listSize]).toEqual([200, 4, 4]);
  });
});
