/**
 * The survey table keeps only a token's SHA-256; the outbox must not undo that. A message keeps
 * its survey link while it may still be sent (queued, sending), and forgets the link's token once
 * it has left: a leaked database then holds no way to answer a survey the citizen was sent.
 */
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const sms = () => app.strapi.plugin('complaints').service('sms');
const surveys = () => app.strapi.plugin('complaints').service('surveys');
const NOW = new Date('2026-12-01T02:00:00Z'); // 10:00 in Beijing, outside quiet hours
const params = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

it('a sent closed notice keeps its text without the token; the citizen’s link still answers the survey', async () => {
  const c = await w.complaint({ phone: '13900008801', content: '小区门口路灯不亮已一周' });
  await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: NOW, category_code: '0101' });
  const [s] = await surveys().openFor([c.id], NOW);
  const row = () => knex()('sms_messages').where('idempotency_key', `survey:${s.surveyId}`).first('status', 'body');
  // While it waits, the message carries the link it must deliver.
  const queued = await row();
  expect(queued.status).toBe('queued');
  expect(queued.body).toContain(`/survey/${s.token}`);

  await sms().pump({ now: new Date(NOW.getTime() + 60_000) });
  const sent = await row();
  expect(sent.status).toBe('sent');
  expect(sent.body).not.toContain(s.token);
  expect(sent.body).toContain('/survey/[token]');
  expect(sent.body).toContain(c.ledgerNo);
  expect(await surveys().answerByToken(s.token, 'satisfied', null, new Date(NOW.getTime() + 120_000))).toBe('answered');
});

it('template parameters (Aliyun) lose the token too, and keep every other value', async () => {
  const c = await w.complaint({ phone: '13900008802' });
  const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
  await sms().queue([{ complaintId: c.id, phone: '13900008802', template: 'closed_survey', templateKey: 'closed_survey.link', params: { ledgerNo: 'LX-1', surveyUrl: `https://m.example.cn/survey/${TOKEN}` }, body: `请评价：https://m.example.cn/survey/${TOKEN}，谢谢`, idempotencyKey: 'forget-1' }], NOW);
  await sms().pump({ now: new Date(NOW.getTime() + 60_000) });
  const m = await knex()('sms_messages').where('idempotency_key', 'forget-1').first('status', 'body', 'template_params');
  expect(m.status).toBe('sent');
  expect(m.body).toBe('请评价：https://m.example.cn/survey/[token]，谢谢');
  expect(params(m.template_params)).toEqual({ ledgerNo: 'LX-1', surveyUrl: 'https://m.example.cn/survey/[token]' });
});
