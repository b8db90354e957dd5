/**
 * A logged-in users-permissions user (role "Authenticated"). Public registration is closed, so
 * the user is made through the plugin's service, as an administrator would, and logs in through
 * the public login route.
 */
import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import supertest from 'supertest';

export const contentApiUser = async (strapi: Core.Strapi): Promise<{ username: string; jwt: string }> => {
  const username = `citizen${randomBytes(3).toString('hex')}`;
  const password = 'Citizen-pass-1';
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  await (strapi.plugin('users-permissions').service('user') as any).add({
    username, email: `${username}@test.minyi`, password, provider: 'local', confirmed: true, blocked: false, role: role.id,
  });
  const res = await supertest(strapi.server.httpServer).post('/api/auth/local').send({ identifier: username, password });
  if (res.status !== 200 || !res.body.jwt) throw new Error(`content API login failed: ${res.status}`);
  return { username, jwt: res.body.jwt as string };
};
