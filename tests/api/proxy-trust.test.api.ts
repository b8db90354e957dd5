/**
 * Behind a TLS-terminating proxy (MINYI_TRUST_PROXY=true), a request the proxy marks
 * `X-Forwarded-Proto: https` gets the survey page's cookie marked Secure; a plain request does not.
 * The default (no trust: the headers are forgeable) is covered in survey-page.test.api.ts.
 */
import supertest from 'supertest';
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

process.env.MINYI_TRUST_PROXY = 'true';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));
afterAll(() => {
  delete process.env.MINYI_TRUST_PROXY;
});

const knex = () => app.strapi.db.connection;

const openSurvey = async (phone: string): Promise<string> => {
  const c = await w.complaint({ phone, content: '路灯不亮已有一周，请尽快维修' });
  await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: new Date('2026-11-30T02:00:00Z'), category_code: '0101' });
  const [s] = await app.strapi.plugin('complaints').service('surveys').openFor([c.id]);
  return s.token as string;
};

describe('a trusted proxy', () => {
  it('is configured from the environment', () => {
    expect(app.strapi.config.get('server.proxy')).toEqual({ koa: true, maxIpsCount: 1 });
  });

  it('a request forwarded as HTTPS gets a Secure cookie; a plain one does not', async () => {
    const token = await openSurvey('13933338801');
    const viaProxy = await supertest(app.strapi.server.httpServer).get(`/survey/${token}`).set('X-Forwarded-Proto', 'https');
    expect(viaProxy.status).toBe(200);
    expect(String(viaProxy.headers['set-cookie'])).toMatch(/^minyi_survey_csrf=[A-Za-z0-9_-]{43}; path=\/; samesite=strict; secure; httponly$/);

    const plain = await supertest(app.strapi.server.httpServer).get(`/survey/${token}`);
    expect(plain.status).toBe(200);
    expect(String(plain.headers['set-cookie'])).toMatch(/^minyi_survey_csrf=[A-Za-z0-9_-]{43}; path=\/; samesite=strict; httponly$/);
  });
});
