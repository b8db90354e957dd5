/**
 * The Content Manager's answers for a Minyi type with its own `status` field get the stored
 * value back (Strapi's CM says `published` in a list and drops it in an edit view); other types,
 * other paths and failed answers are left alone.
 */
import { createCmStatusField } from '../../../plugins/complaints/server/src/middlewares/cm-status-field';

const BATCH = 'plugin::complaints.import-batch';
const CATEGORY = 'plugin::complaints.category';

const fakeStrapi = (stored: Record<number, string>) => {
  const findMany = jest.fn(async ({ where }: { where: { id: { $in: number[] } } }) => where.id.$in.filter((id) => id in stored).map((id) => ({ id, status: stored[id] })));
  const strapi = {
    contentTypes: { [BATCH]: { attributes: { status: { type: 'enumeration' } } }, [CATEGORY]: { attributes: { name: { type: 'string' } } } },
    db: { query: () => ({ findMany }) },
  } as any;
  return { strapi, findMany };
};

const run = async (strapi: any, ctx: any) => {
  await createCmStatusField(strapi)(ctx, async () => undefined);
  return ctx.body;
};

describe('the Minyi status field on Content Manager answers', () => {
  it('puts the stored status back on a list and on an edit view', async () => {
    const { strapi } = fakeStrapi({ 1: 'done', 2: 'failed' });
    const list = await run(strapi, { method: 'GET', status: 200, path: `/content-manager/collection-types/${BATCH}`, body: { results: [{ id: 1, status: 'published' }, { id: 2, status: 'published' }] } });
    expect(list.results.map((r: any) => r.status)).toEqual(['done', 'failed']);
    const one = await run(strapi, { method: 'GET', status: 200, path: `/content-manager/collection-types/${encodeURIComponent(BATCH)}/abc123`, body: { data: { id: 2, status: undefined } } });
    expect(one.data.status).toBe('failed');
  });

  it('leaves a type without a status field, another path and a failed answer alone', async () => {
    const { strapi, findMany } = fakeStrapi({ 1: 'done' });
    await run(strapi, { method: 'GET', status: 200, path: `/content-manager/collection-types/${CATEGORY}`, body: { results: [{ id: 1, status: 'published' }] } });
    await run(strapi, { method: 'GET', status: 200, path: `/complaints/imports/1`, body: { data: { id: 1, status: 'x' } } });
    await run(strapi, { method: 'GET', status: 403, path: `/content-manager/collection-types/${BATCH}`, body: { error: {} } });
    expect(findMany).not.toHaveBeenCalled();
  });
});
