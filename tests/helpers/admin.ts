/** Admin users and logins for API tests, made through Strapi's own services and routes. */
import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import supertest from 'supertest';

export interface AdminSession {
  id: number;
  email: string;
  token: string;
  /** An agent that sends the admin's bearer token. */
  get: (url: string) => supertest.Test;
  post: (url: string) => supertest.Test;
  put: (url: string) => supertest.Test;
  del: (url: string) => supertest.Test;
}

export const newPassword = (): string => `${randomBytes(9).toString('base64url')}Aa1`;

export const createAdminUser = async (
  strapi: Core.Strapi,
  opts: { email?: string; roleCode?: string; superAdmin?: boolean; firstname?: string; lastname?: string; password?: string }
): Promise<{ id: number; email: string; password: string }> => {
  const role = opts.superAdmin
    ? await (strapi.service('admin::role') as any).getSuperAdmin()
    : await strapi.db.query('admin::role').findOne({ where: { code: opts.roleCode } });
  if (!role) throw new Error(`no admin role ${opts.superAdmin ? 'Super Admin' : opts.roleCode}`);
  const email = opts.email ?? `${randomBytes(4).toString('hex')}@test.minyi`;
  const password = opts.password ?? newPassword();
  const user = await (strapi.service('admin::user') as any).create({
    email,
    firstname: opts.firstname ?? 'Test',
    lastname: opts.lastname ?? 'User',
    password,
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  return { id: user.id, email, password };
};

export const login = async (strapi: Core.Strapi, email: string, password: string): Promise<AdminSession & { id: number }> => {
  const http = strapi.server.httpServer;
  const res = await supertest(http).post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token: string = res.body.data.token ?? res.body.data.accessToken;
  const auth = (t: supertest.Test) => t.set('Authorization', `Bearer ${token}`);
  return {
    id: res.body.data.user.id,
    email,
    token,
    get: (url) => auth(supertest(http).get(url)),
    post: (url) => auth(supertest(http).post(url)),
    put: (url) => auth(supertest(http).put(url)),
    del: (url) => auth(supertest(http).delete(url)),
  };
};

export const superAdmin = async (strapi: Core.Strapi): Promise<AdminSession> => {
  const u = await createAdminUser(strapi, { superAdmin: true });
  return login(strapi, u.email, u.password);
};
