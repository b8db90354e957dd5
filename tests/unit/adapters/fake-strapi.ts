/**
 * A Strapi reduced to what the plugin's adapters call: the complaint's real schema, one stored
 * row per query, a transaction that just runs its callback, the plugin's services as jest
 * mocks, and the lifecycle subscriptions kept for the test to call. No database, no boot.
 */
import complaintSchema from '../../../plugins/complaints/server/src/content-types/complaint/schema.json';

export interface FakeStrapi {
  /** What `strapi.db.query(uid).findOne / findMany` return, per uid. */
  rows: Record<string, Array<Record<string, unknown>>>;
  /** The admin request `strapi.requestContext.get()` returns (undefined: no request). */
  request: Record<string, unknown> | undefined;
  services: {
    access: { current: jest.Mock; unitsOf: jest.Mock };
    history: { append: jest.Mock };
    contacts: { isTraceable: jest.Mock };
    roles: { mayHold: jest.Mock };
  };
  /** The arguments of every `strapi.db.query(uid).<method>(...)` call, as [uid, method, args]. */
  queries: Array<[string, string, unknown]>;
  /** The subscriptions made with `strapi.db.lifecycles.subscribe`. */
  subscriptions: Array<{ models: string[] } & Record<string, unknown>>;
  transactions: number;
  strapi: any;
}

export const ACTOR = { id: 7, name: '整治办 测试', role: 'minyi-county-office' };

export const fakeStrapi = (): FakeStrapi => {
  const fake: FakeStrapi = {
    rows: {},
    request: undefined,
    services: {
      access: { current: jest.fn(async () => ACTOR), unitsOf: jest.fn(async () => []) },
      history: { append: jest.fn(async () => undefined) },
      contacts: { isTraceable: jest.fn((phone: unknown) => typeof phone === 'string' && phone.length > 0) },
      roles: { mayHold: jest.fn(async () => true) },
    },
    queries: [],
    subscriptions: [],
    transactions: 0,
    strapi: undefined,
  };
  const query = (uid: string) => {
    const record = (method: string, result: (args: any) => unknown) => async (args: any) => {
      fake.queries.push([uid, method, args]);
      return result(args);
    };
    return {
      findOne: record('findOne', () => fake.rows[uid]?.[0] ?? null),
      findMany: record('findMany', () => fake.rows[uid] ?? []),
      delete: record('delete', () => null),
    };
  };
  fake.strapi = {
    contentType: (uid: string) => (uid === 'plugin::complaints.complaint' ? complaintSchema : { attributes: {} }),
    config: { get: (key: string) => (key === 'plugin::complaints' ? { timeZone: 'Asia/Shanghai' } : undefined) },
    plugin: (name: string) => (name === 'complaints' ? { service: (s: keyof FakeStrapi['services']) => fake.services[s] } : undefined),
    requestContext: { get: () => fake.request },
    db: {
      query,
      transaction: async (fn: (t: { trx: unknown }) => Promise<unknown>) => {
        fake.transactions += 1;
        return fn({ trx: {} });
      },
      lifecycles: { subscribe: (s: { models: string[] } & Record<string, unknown>) => fake.subscriptions.push(s) },
    },
  };
  return fake;
};

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export const refusal = async (fn: () => unknown): Promise<any> => {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal, but the call passed');
};

/** An admin request of a user holding the given role codes. */
export const adminRequest = (codes: string[], extra: Record<string, unknown> = {}) => ({
  path: '/content-manager/collection-types/plugin::complaints.complaint',
  query: {},
  state: { auth: { strategy: { name: 'admin' } }, user: { id: 9, roles: codes.map((code) => ({ code })) } },
  ...extra,
});
