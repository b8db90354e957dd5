/**
 * The SMS provider chosen and configured from the environment (config/plugins.ts): a chosen
 * provider missing a setting stops the start with one line naming the variable, and no secret or
 * stack trace; the same provider with every setting starts. Each case boots the real app in its
 * own process, on its own SQLite file.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ROOT } from '../helpers/strapi';

const boot = (env: Record<string, string>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-sms-boot-'));
  const script = `require('@strapi/strapi').createStrapi({ appDir: ${JSON.stringify(ROOT)}, distDir: ${JSON.stringify(path.join(ROOT, 'dist'))} }).load().then(() => { console.log('BOOTED'); process.exit(0); })`;
  const res = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', NODE_ENV: 'test', MINYI_DEMO: 'false', MINYI_JOBS_ENABLED: 'false', DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'data.db'), ...env },
    encoding: 'utf8',
    timeout: 90000,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return { code: res.status, out: `${res.stdout}\n${res.stderr}` };
};

const ALIYUN: Record<string, string> = {
  MINYI_SMS_PROVIDER: 'aliyun',
  ALIYUN_ACCESS_KEY_ID: 'LTAI5tBootTestKey',
  ALIYUN_ACCESS_KEY_SECRET: 'boot-test-access-key-secret-9d1e',
  ALIYUN_SMS_SIGN_NAME: '民意服务站',
  ALIYUN_SMS_TEMPLATE_REGISTERED_NOTICE: 'SMS_300000001',
  ALIYUN_SMS_TEMPLATE_ACCEPTED_NOTICE: 'SMS_300000002',
  ALIYUN_SMS_TEMPLATE_CLOSED_SURVEY_REPLY: 'SMS_300000004',
  ALIYUN_SMS_TEMPLATE_SURVEY_REMINDER_REPLY: 'SMS_300000006',
  ALIYUN_SMS_UPLINK: 'true',
  ALIYUN_SMS_WEBHOOK_SECRET: 'boot-test-webhook-secret-0123456789abcdef',
};

const cannotStart = (out: string) => out.split('\n').filter((l) => l.includes('Minyi cannot start'));

describe('SMS provider from the environment', () => {
  it.each([
    ['aliyun without ALIYUN_ACCESS_KEY_ID', { ...ALIYUN, ALIYUN_ACCESS_KEY_ID: '' }, 'Minyi cannot start: SMS provider misconfigured 短信服务配置有误: ALIYUN_ACCESS_KEY_ID is missing'],
    ['aliyun with uplink but no webhook secret', { ...ALIYUN, ALIYUN_SMS_WEBHOOK_SECRET: '' }, 'Minyi cannot start: SMS provider misconfigured 短信服务配置有误: ALIYUN_SMS_WEBHOOK_SECRET is missing: the uplink push (ALIYUN_SMS_UPLINK) needs it'],
    [
      'aliyun with links but no link-survey template code',
      { ...ALIYUN, ALIYUN_SMS_LINKS: 'true' },
      'Minyi cannot start: SMS provider misconfigured 短信服务配置有误: ALIYUN_SMS_TEMPLATE_CLOSED_SURVEY_LINK is missing (the approved template code of closed_survey.link)',
    ],
    ['twilio without TWILIO_AUTH_TOKEN', { MINYI_SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`, TWILIO_FROM: '+15005550006' }, 'Minyi cannot start: SMS provider misconfigured 短信服务配置有误: TWILIO_AUTH_TOKEN is missing'],
  ])('%s: one line naming the variable, no secret, no stack', (_what, env, line) => {
    const r = boot(env);
    expect(r.code).toBe(1);
    expect(cannotStart(r.out)).toEqual([line]);
    expect(r.out).not.toContain('boot-test-access-key-secret-9d1e');
    expect(r.out).not.toContain('boot-test-webhook-secret');
    expect(r.out).not.toMatch(/^\s+at /m);
  });

  it('an unknown provider name is refused by the configuration check', () => {
    const r = boot({ MINYI_SMS_PROVIDER: 'pigeon' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('sms.provider "pigeon" is not console, twilio or aliyun');
    expect(r.out).not.toContain('BOOTED');
  });

  it('positive control: aliyun with every setting starts (building the client calls no network)', () => {
    const r = boot(ALIYUN);
    expect([r.code, r.out.includes('BOOTED'), cannotStart(r.out)]).toEqual([0, true, []]);
  });
});
