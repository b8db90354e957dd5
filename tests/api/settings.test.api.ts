/**
 * Settings 系统设置 (read-only): the county office and the county leader read the configuration
 * as the county runs it, with the SMS templates and no credential, and the routing table's
 * check, which names each minor category a classification "by the routing table" cannot route
 * and the towns it fails in. Expected values are the configuration's defaults and the test
 * county's categories and towns (tests/helpers/world.ts), worked out by hand.
 */
import { withWorld, type World } from '../helpers/world';
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
