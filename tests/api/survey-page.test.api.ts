/**
 * The public survey page over HTTP, as a citizen's browser sees it: the link opens a small page
 * (zh first, en second) with the ledger number, the category and the closing date only; the form
 * records the answer once and thanks; an unknown, wrong, expired, superseded or answered token
 * gets its own page and status and changes nothing. The form needs its per-page token and the
 * SameSite=Strict cookie that goes with it. Headers: CSP with a nonce, no-store, nosniff, no
 * referrer. The request log shows no token.
 */
import supertest from 'supertest';
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';
import { csrfOf } from '../helpers/public-routes';

process.env.LOG_LEVEL = 'http';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started), { captureLog: true });
afterAll(() => {
  process.env.LOG_LEVEL = 'warn';
});

const knex = () => app.strapi.db.connection;
const surveys = () => app.strapi.plugin('complaints').service('surveys');
const browser = () => supertest.agent(app.strapi.server.httpServer);
const CLOSED_AT = new Date('2026-11-30T17:30:00Z'); // 2026-12-01 01:30 in Beijing

/** A complaint of category 0101 (老旧小区改造), closed, with its link survey open; returns the token. */
const linkSurvey = async (phone: string, opts: { now?: Date; ledgerNo?: string } = {}) => {
  const c = await w.complaint({ phone, content: '小区外墙脱落存在安全隐患，请尽快处理', ledgerNo: opts.ledgerNo });
  await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: CLOSED_AT, category_code: '0101' });
  const [s] = await surveys().openFor([c.id], opts.now);
  expect(s.way).toBe('link');
  return { complaint: c, surveyId: s.surveyId as number, token: s.token as string };
};
const surveyRow = (id: number) => knex()('surveys').where('id', id).first('status', 'answer', 'answered_via', 'comment');
const snapshot = async () => {
  const n = async (t: string) => Number((await knex()(t).count({ n: '*' }))[0].n);
  return {
    counts: { sms: await n('sms_messages'), surveys: await n('surveys'), events: await n('complaint_events') },
    surveys: await knex()('surveys').orderBy('id').select('id', 'status', 'answer', 'comment'),
  };
};
/** The page's visible text, tags removed. */
const text = (html: string) => html.replace(/<(style|title)[\s\S]*?<\/\1>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const expectPageHeaders = (res: supertest.Response) => {
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  const csp = String(res.headers['content-security-policy']);
  const nonce = /style-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  expect(csp.startsWith("default-src 'none'; ")).toBe(true);
  expect(nonce).toBeTruthy();
  // The one inline style carries this response's nonce; nothing else loads.
  expect(res.text).toContain(`<style nonce="${nonce}">`);
  expect(res.text).not.toMatch(/<script|<link|<img|https?:\/\//);
  expect([res.headers['cache-control'], res.headers['x-content-type-options'], res.headers['referrer-policy']]).toEqual(['no-store', 'nosniff', 'no-referrer']);
};

describe('answering through the link', () => {
  it('shows the ledger number, category and closing date only; the answer is recorded once, with a thank-you page', async () => {
    const { complaint, surveyId, token } = await linkSurvey('13933330001');
    const b = browser();
    const page = await b.get(`/survey/${token}`);
    expect(page.status).toBe(200);
    expectPageHeaders(page);
    const shown = text(page.text);
    expect(shown.indexOf('满意度回访')).toBeLessThan(shown.indexOf('Satisfaction survey'));
    expect(shown).toContain(`诉求编号 Ledger no. ${complaint.ledgerNo}`);
    expect(shown).toContain('诉求类别 Category 老旧小区改造');
    expect(shown).toContain('办结日期 Closed on 2026-12-01');
    for (const answer of ['满意 Satisfied', '基本满意 Basically satisfied', '不满意 Dissatisfied']) expect(shown).toContain(answer);
    // No citizen data: not the phone, the name, the content or the village.
    for (const secret of ['13933330001', '测试丙', '外墙脱落', '东街社区']) expect([secret, page.text.includes(secret)]).toEqual([secret, false]);
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/^minyi_survey_csrf=[A-Za-z0-9_-]{43}; path=\/; samesite=strict; httponly$/);

    const answered = await b.post(`/survey/${token}`).type('form').send({ csrf: csrfOf(page.text), answer: 'basically_satisfied', comment: '  修得还行，希望加快进度 ' });
    expect(answered.status).toBe(200);
    expectPageHeaders(answered);
    expect(text(answered.text)).toBe('感谢您的评价 您的评价已记录。感谢您对我们工作的支持。 Thank you Your answer has been recorded. Thank you for helping us improve.');
    expect(await surveyRow(surveyId)).toEqual({ status: 'answered', answer: 'basically_satisfied', answered_via: 'link', comment: '修得还行，希望加快进度' });

    // A second answer, from the same page, is refused with its own page; nothing changes.
    const before = await snapshot();
    const again = await b.post(`/survey/${token}`).type('form').send({ csrf: csrfOf(page.text), answer: 'dissatisfied' });
    expect([again.status, text(again.text)]).toEqual([409, '已评价 此回访已经评价过，每次回访只能评价一次。 Already answered This survey has already been answered; each survey takes one answer.']);
    const reopened = await b.get(`/survey/${token}`);
    expect([reopened.status, text(reopened.text).startsWith('已评价')]).toEqual([409, true]);
    expect(await snapshot()).toEqual(before);
  });

  it('a dissatisfied answer without a comment is recorded and asks the lead unit for a reopen', async () => {
    const { surveyId, token } = await linkSurvey('13933330002');
    const b = browser();
    const page = await b.get(`/survey/${token}`);
    const res = await b.post(`/survey/${token}`).type('form').send({ csrf: csrfOf(page.text), answer: 'dissatisfied' });
    expect(res.status).toBe(200);
    expect(await surveyRow(surveyId)).toEqual({ status: 'answered', answer: 'dissatisfied', answered_via: 'link', comment: null });
    expect((await knex()('surveys').where('id', surveyId).first('reopen_request')).reopen_request).toBe('pending');
  });
});

describe('a link that takes no answer', () => {
  const UNKNOWN = '找不到此回访链接。请核对短信中的链接是否完整。';

  it('an unknown token and a wrong one get the same 404 page, for GET and POST, and nothing changes', async () => {
    const { surveyId, token } = await linkSurvey('13933330011');
    const wrong = `${token.slice(0, -2)}${token.endsWith('xx') ? 'yy' : 'xx'}`;
    const before = await snapshot();
    const pages: string[] = [];
    for (const t of [wrong, 'A'.repeat(32), 'short', 'a.b', '%E6%BB%A1%E6%84%8F']) {
      const get = await browser().get(`/survey/${t}`);
      const post = await browser().post(`/survey/${t}`).type('form').send({ answer: 'satisfied', csrf: 'x' });
      expect([t, get.status, post.status]).toEqual([t, 404, 404]);
      expectPageHeaders(get);
      expect(text(get.text)).toContain(UNKNOWN);
      pages.push(text(get.text), text(post.text));
    }
    expect(new Set(pages).size).toBe(1);
    expect(await snapshot()).toEqual(before);
    expect((await surveyRow(surveyId)).status).toBe('open');
  });

  it('an expired token gets 410 and changes nothing', async () => {
    // Opened eight days ago: past the seven days a survey takes answers.
    const { surveyId, token } = await linkSurvey('13933330012', { now: new Date(Date.now() - 8 * 86_400_000) });
    const before = await snapshot();
    const get = await browser().get(`/survey/${token}`);
    expect([get.status, text(get.text)]).toEqual([410, '回访已结束 此回访已过期，不再接受评价。 Survey closed This survey has expired and no longer takes answers.']);
    const post = await browser().post(`/survey/${token}`).type('form').send({ answer: 'satisfied', csrf: 'x' });
    expect(post.status).toBe(410);
    expect(await snapshot()).toEqual(before);
    expect((await surveyRow(surveyId)).status).toBe('open');
  });

  it('a superseded token gets 410 with its own page; the newer link works', async () => {
    const older = await linkSurvey('13933330013');
    const b = browser();
    const stalePage = await b.get(`/survey/${older.token}`);
    expect(stalePage.status).toBe(200);
    const newer = await linkSurvey('13933330013');
    const before = await snapshot();
    const get = await b.get(`/survey/${older.token}`);
    expect([get.status, text(get.text)]).toEqual([410, '回访已更新 此回访已被新的回访取代，请使用最新短信中的链接。 Survey replaced A newer survey has replaced this one. Please use the link in the latest message.']);
    // Even from the page opened before it was replaced.
    const post = await b.post(`/survey/${older.token}`).type('form').send({ csrf: csrfOf(stalePage.text), answer: 'satisfied' });
    expect(post.status).toBe(410);
    expect(await snapshot()).toEqual(before);
    expect((await browser().get(`/survey/${newer.token}`)).status).toBe(200);
  });
});

describe('the form', () => {
  it('refuses a post without the page token or its cookie (another site posting the form): 403, nothing changes', async () => {
    const { surveyId, token } = await linkSurvey('13933330021');
    const b = browser();
    const page = await b.get(`/survey/${token}`);
    const csrf = csrfOf(page.text);
    const other = await linkSurvey('13933330022');
    const otherPage = await b.get(`/survey/${other.token}`);
    const before = await snapshot();
    const refused: Array<[string, supertest.Test]> = [
      ['no cookie (a cross-site post does not carry a SameSite=Strict cookie)', browser().post(`/survey/${token}`).type('form').send({ csrf, answer: 'satisfied' })],
      ['no page token', b.post(`/survey/${token}`).type('form').send({ answer: 'satisfied' })],
      ['a made-up page token', b.post(`/survey/${token}`).type('form').send({ csrf: 'A'.repeat(43), answer: 'satisfied' })],
      ["another survey's page token", b.post(`/survey/${token}`).type('form').send({ csrf: csrfOf(otherPage.text), answer: 'satisfied' })],
      ['the page token with a forged cookie', browser().post(`/survey/${token}`).set('Cookie', `minyi_survey_csrf=${'B'.repeat(43)}`).type('form').send({ csrf, answer: 'satisfied' })],
    ];
    for (const [what, call] of refused) {
      const res = await call;
      expect([what, res.status, text(res.text)]).toEqual([what, 403, '页面已失效 请重新打开短信中的链接后再提交。 Page expired Please open the link from the message again and submit from there.']);
    }
    expect(await snapshot()).toEqual(before);
    expect((await surveyRow(surveyId)).status).toBe('open');
    // Positive control: the same post from the page's own browser.
    expect((await b.post(`/survey/${token}`).type('form').send({ csrf, answer: 'satisfied' })).status).toBe(200);
    expect((await surveyRow(surveyId)).answer).toBe('satisfied');
  });

  it('a post without one of the three answers, or with an overlong comment, shows the form again with 400', async () => {
    const { surveyId, token } = await linkSurvey('13933330031');
    const b = browser();
    const csrf = csrfOf((await b.get(`/survey/${token}`)).text);
    const before = await snapshot();
    for (const body of [{ csrf }, { csrf, answer: 'very_satisfied' }, { csrf, answer: '满意' }, { csrf, answer: 'satisfied', comment: '好'.repeat(1001) }, { csrf, 'answer[]': 'satisfied' }]) {
      const res = await b.post(`/survey/${token}`).type('form').send(body);
      expect([Object.keys(body).join(','), res.status]).toEqual([Object.keys(body).join(','), 400]);
      expect(text(res.text)).toContain('请选择一项评价；意见不超过 1000 字。');
      expect(csrfOf(res.text)).toBe(csrf);
    }
    expect(await snapshot()).toEqual(before);
    expect((await b.post(`/survey/${token}`).type('form').send({ csrf, answer: 'satisfied', comment: '好'.repeat(1000) })).status).toBe(200);
    expect((await surveyRow(surveyId)).comment).toBe('好'.repeat(1000));
  });

  it('escapes what it shows: a ledger number with markup is text', async () => {
    const { token } = await linkSurvey('13933330041', { ledgerNo: 'MY-<b>1</b>&"' });
    const res = await browser().get(`/survey/${token}`);
    expect(res.text).toContain('MY-&lt;b&gt;1&lt;/b&gt;&amp;&quot;');
    expect(res.text).not.toContain('<b>1</b>');
  });

  it('does not trust a forwarded protocol by default: X-Forwarded-Proto from anyone marks nothing Secure', async () => {
    const { token } = await linkSurvey('13933330051');
    const res = await browser().get(`/survey/${token}`).set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(200);
    expect(app.strapi.config.get('server.proxy')).toEqual({ koa: false, maxIpsCount: 1 });
    expect(String(res.headers['set-cookie'])).toMatch(/^minyi_survey_csrf=[A-Za-z0-9_-]{43}; path=\/; samesite=strict; httponly$/);
  });
});

describe('the log', () => {
  it('odd spellings of the link (case, trailing slash, encoded characters) never put the token in the log', async () => {
    const { token } = await linkSurvey('13933330061');
    const spellings = [`/SURVEY/${token}`, `/Survey/${token}/`, `/survey/${token}/`, `/survey/${token}?x=1`, `/%73urvey/${token}`, `//survey/${token}`, `/survey/${token}%20`];
    const statuses: number[] = [];
    for (const url of spellings) statuses.push((await browser().get(url)).status);
    // Each spelling answers something (the page or a refusal); none of them writes the token.
    expect(statuses.every((st) => [200, 301, 302, 400, 404, 405].includes(st))).toBe(true);
    expect(app.logLines.filter((l) => l.includes(token))).toEqual([]);
    // The positive control: the canonical link is logged, redacted.
    expect(app.logLines.some((l) => /GET \/survey\/\[token\] \(\d+ ms\) 200/.test(l))).toBe(true);
  });

  it('logs the survey requests without their token', () => {
    const lines = app.logLines;
    expect(lines.some((l) => /GET \/survey\/\[token\] \(\d+ ms\) 200/.test(l))).toBe(true);
    expect(lines.some((l) => /POST \/survey\/\[token\] \(\d+ ms\) 409/.test(l))).toBe(true);
    expect(lines.filter((l) => /\/survey\/(?!\[token\])/.test(l))).toEqual([]);
  });
});
