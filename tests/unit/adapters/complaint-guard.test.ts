/**
 * The complaint guard (Document Service middleware) called as Strapi calls it, with a fake
 * context, `next` and Strapi: each refusal names its error class, code and both messages and
 * never reaches `next`; the same call with an allowed write passes and returns what `next` did.
 */
import { errors } from '@strapi/utils';
import { createComplaintGuard } from '../../../plugins/complaints/server/src/document-middlewares/complaint-guard';
import { ACTOR, fakeStrapi, refusal, type FakeStrapi } from './fake-strapi';

const COMPLAINT = 'plugin::complaints.complaint';
const EVENT = 'plugin::complaints.complaint-event';

const STORED = {
  id: 41,
  documentId: 'doc41',
  createdAt: '2026-05-06T02:31:00.000Z',
  updatedAt: '2026-05-06T02:31:00.000Z',
  publishedAt: '2026-05-06T02:31:00.000Z',
  ledgerNo: 'A-1',
  receivedAt: '2026-05-06T02:30:00.000Z',
  channel: 'visit',
  content: '路灯不亮',
  town: '城关镇',
  phone: '19900001234',
  state: 'classified',
  summary: null,
  warningLevel: 'none',
};

let fake: FakeStrapi;
let guard: ReturnType<typeof createComplaintGuard>;
let next: jest.Mock;

beforeEach(() => {
  fake = fakeStrapi();
  fake.rows[COMPLAINT] = [STORED];
  guard = createComplaintGuard(fake.strapi);
  next = jest.fn(async () => ({ id: 41, documentId: 'doc41' }));
});

const update = (data: Record<string, unknown>) => ({ uid: COMPLAINT, action: 'update', params: { documentId: 'doc41', data } });

describe('complaint update', () => {
  it('refuses a change to an original field, naming it (400, zh / en)', async () => {
    const e = await refusal(() => guard(update({ content: '改过的内容' }), next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'original_fields_frozen', fields: ['content'], layer: 'document-middleware' });
    expect(e.message).toBe(
      '原始台账字段不可修改：content。如需更正，请添加更正记录 / Original ledger fields cannot be changed: content. Add a correction instead'
    );
    expect(next).not.toHaveBeenCalled();
    expect(fake.services.history.append).not.toHaveBeenCalled();
  });

  it('positive control: the whole document sent back with a changed summary passes, originals stripped, one `updated` event', async () => {
    const ctx = update({ content: '路灯不亮', town: '城关镇', summary: '城关镇路灯维修' });
    await expect(guard(ctx, next)).resolves.toEqual({ id: 41, documentId: 'doc41' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(ctx.params.data).toEqual({ summary: '城关镇路灯维修' });
    expect(fake.transactions).toBe(1);
    expect(fake.services.history.append).toHaveBeenCalledTimes(1);
    expect(fake.services.history.append.mock.calls[0][0]).toBe(41);
    expect(fake.services.history.append.mock.calls[0][1]).toMatchObject({
      type: 'updated',
      actor: ACTOR,
      fromState: 'classified',
      toState: 'classified',
      data: { changes: { summary: { from: null, to: '城关镇路灯维修' } } },
    });
  });

  it('refuses a field only the workflow may change', async () => {
    const e = await refusal(() => guard(update({ state: 'closed' }), next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'workflow_fields_readonly', fields: ['state'], layer: 'document-middleware' });
    expect(e.message).toBe('以下字段只能通过办理流程修改：state / These fields change only through workflow transitions: state');
    expect(next).not.toHaveBeenCalled();
  });

  it('positive control: a workflow field sent back unchanged is stripped and the write passes, with no event', async () => {
    const ctx = update({ state: 'classified', warningLevel: 'none' });
    await expect(guard(ctx, next)).resolves.toEqual({ id: 41, documentId: 'doc41' });
    expect(ctx.params.data).toEqual({});
    expect(next).toHaveBeenCalledTimes(1);
    expect(fake.services.history.append).not.toHaveBeenCalled();
  });

  it('refuses a changed system field', async () => {
    const e = await refusal(() => guard(update({ createdAt: '2020-01-01T00:00:00.000Z' }), next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'system_fields_readonly', fields: ['createdAt'], layer: 'document-middleware' });
    expect(e.message).toBe('以下系统字段不可修改：createdAt / These system fields cannot be written: createdAt');
    expect(next).not.toHaveBeenCalled();
  });

  it('positive control: system fields sent back unchanged pass and are stripped', async () => {
    const ctx = update({ id: 41, documentId: 'doc41', createdAt: STORED.createdAt });
    await expect(guard(ctx, next)).resolves.toEqual({ id: 41, documentId: 'doc41' });
    expect(ctx.params.data).toEqual({});
  });

  it('leaves an update of a document that does not exist to Strapi', async () => {
    fake.rows[COMPLAINT] = [];
    await expect(guard(update({ content: 'x' }), next)).resolves.toEqual({ id: 41, documentId: 'doc41' });
    expect(next).toHaveBeenCalledTimes(1);
  });
});

describe('complaint create', () => {
  const ROW = { ledgerNo: 'A-2', receivedAt: '2026-05-06T02:30:00.000Z', channel: 'visit', content: '路灯不亮', town: '城关镇', phone: '19900001234' };
  const create = (data: Record<string, unknown>) => ({ uid: COMPLAINT, action: 'create', params: { data } });

  it('refuses a workflow field other than its default', async () => {
    const e = await refusal(() => guard(create({ ...ROW, state: 'closed' }), next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'workflow_fields_readonly', fields: ['state'], layer: 'document-middleware' });
    expect(e.message).toBe('以下字段只能通过办理流程修改：state / These fields change only through workflow transitions: state');
    expect(next).not.toHaveBeenCalled();
  });

  it('refuses a row the import would refuse, naming the field', async () => {
    const e = await refusal(() => guard(create({ ...ROW, content: '   ' }), next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toMatchObject({ code: 'invalid_complaint', fields: ['content'], layer: 'document-middleware' });
    expect(e.message).toMatch(/^诉求无法登记：.+ \/ The complaint cannot be recorded: .+/);
    expect(next).not.toHaveBeenCalled();
  });

  it('refuses a system field', async () => {
    const e = await refusal(() => guard(create({ ...ROW, documentId: 'mine' }), next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'system_fields_readonly', fields: ['documentId'], layer: 'document-middleware' });
    expect(next).not.toHaveBeenCalled();
  });

  it('positive control: a good row passes as `received`, traceable, with its `created` event', async () => {
    const ctx = create({ ...ROW, state: 'received', warningLevel: 'none' });
    await expect(guard(ctx, next)).resolves.toEqual({ id: 41, documentId: 'doc41' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(ctx.params.data).toEqual({ ...ROW, state: 'received', traceable: true });
    expect(fake.services.history.append).toHaveBeenCalledTimes(1);
    expect(fake.services.history.append.mock.calls[0][0]).toBe(41);
    expect(fake.services.history.append.mock.calls[0][1]).toMatchObject({
      type: 'created',
      actor: ACTOR,
      fromState: null,
      toState: 'received',
      data: { channel: 'visit', importBatch: null },
    });
  });
});

describe('complaint delete and clone', () => {
  it('refuses a delete (400, zh / en)', async () => {
    const e = await refusal(() => guard({ uid: COMPLAINT, action: 'delete', params: { documentId: 'doc41' } }, next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'complaint_delete_forbidden', layer: 'document-middleware' });
    expect(e.message).toBe('诉求不能删除；无效诉求请甄别为「无效」 / Complaints are never deleted; screen an invalid one out instead');
    expect(next).not.toHaveBeenCalled();
  });

  it('refuses a clone (400, zh / en)', async () => {
    const e = await refusal(() => guard({ uid: COMPLAINT, action: 'clone', params: { documentId: 'doc41' } }, next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'complaint_clone_forbidden', layer: 'document-middleware' });
    expect(e.message).toBe('诉求不能复制：每条诉求只有一个原始记录 / Complaints cannot be duplicated: each demand has one original record');
    expect(next).not.toHaveBeenCalled();
  });

  it('positive control: a read of the same complaint passes untouched', async () => {
    const ctx = { uid: COMPLAINT, action: 'findOne', params: { documentId: 'doc41' } };
    await expect(guard(ctx, next)).resolves.toEqual({ id: 41, documentId: 'doc41' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(fake.queries).toEqual([]);
  });
});

describe('history events', () => {
  it.each(['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft'])('refuses %s of an event (400, zh / en)', async (action) => {
    const e = await refusal(() => guard({ uid: EVENT, action, params: { data: {} } }, next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'history_append_only', layer: 'document-middleware' });
    expect(e.message).toBe('履历只能由台账追加，不能新增、修改或删除 / History is written only by the ledger; events cannot be created, changed or deleted');
    expect(next).not.toHaveBeenCalled();
  });

  it('positive control: events are read', async () => {
    next.mockResolvedValueOnce([]);
    await expect(guard({ uid: EVENT, action: 'findMany', params: {} }, next)).resolves.toEqual([]);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('leaves other types alone', async () => {
    await expect(guard({ uid: 'plugin::complaints.category', action: 'delete', params: {} }, next)).resolves.toEqual({ id: 41, documentId: 'doc41' });
  });
});
