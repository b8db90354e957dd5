/**
 * The database lifecycle backstop, subscribed on a fake Strapi and called as the query engine
 * calls it: each refusal names its error class, code and both messages; the same query that
 * should pass resolves (and strips an unchanged original, which the trigger would refuse).
 * The permission guard removes a stored permission a role may not hold, and only that one.
 */
import { errors } from '@strapi/utils';
import { subscribeLedgerBackstop } from '../../../plugins/complaints/server/src/lifecycles/ledger-backstop';
import { subscribePermissionGuard } from '../../../plugins/complaints/server/src/lifecycles/permission-guard';
import { asLedgerWriter } from '../../../plugins/complaints/server/src/utils/ledger-writer';
import { fakeStrapi, refusal, type FakeStrapi } from './fake-strapi';

const COMPLAINT = 'plugin::complaints.complaint';
const EVENT = 'plugin::complaints.complaint-event';
const MEASURE = 'plugin::complaints.measure';

let fake: FakeStrapi;
/** The subscribed handler of `hook` for `uid`. */
const hook = (uid: string, name: string) => {
  const s = fake.subscriptions.find((sub) => sub.models.includes(uid) && typeof sub[name] === 'function');
  if (!s) throw new Error(`no ${name} subscribed for ${uid}`);
  return s[name] as (event: unknown) => Promise<void>;
};

beforeEach(() => {
  fake = fakeStrapi();
  fake.rows[COMPLAINT] = [{ id: 41, content: '路灯不亮', town: '城关镇' }];
  subscribeLedgerBackstop(fake.strapi);
});

describe('complaints through the query engine', () => {
  it.each(['beforeUpdate', 'beforeUpdateMany'])('%s refuses a changed original (400, zh / en)', async (name) => {
    const e = await refusal(() => hook(COMPLAINT, name)({ params: { where: { id: 41 }, data: { content: '改过的内容' } } }));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'original_fields_frozen', fields: ['content'], layer: 'db-lifecycle' });
    expect(e.message).toBe(
      '原始台账字段不可修改：content。如需更正，请添加更正记录 / Original ledger fields cannot be changed: content. Add a correction instead'
    );
    expect(fake.queries).toEqual([[COMPLAINT, 'findMany', { where: { id: 41 }, select: ['id', 'content'] }]]);
  });

  it.each(['beforeUpdate', 'beforeUpdateMany'])('positive control: %s of a processing field passes, an unchanged original stripped', async (name) => {
    const data: Record<string, unknown> = { content: '路灯不亮', summary: '城关镇路灯维修' };
    await expect(hook(COMPLAINT, name)({ params: { where: { id: 41 }, data } })).resolves.toBeUndefined();
    expect(data).toEqual({ summary: '城关镇路灯维修' });
  });

  it('positive control: an update without an original field reads nothing', async () => {
    await expect(hook(COMPLAINT, 'beforeUpdate')({ params: { where: { id: 41 }, data: { summary: 'x' } } })).resolves.toBeUndefined();
    expect(fake.queries).toEqual([]);
  });

  it.each(['beforeDelete', 'beforeDeleteMany'])('%s is refused (400, zh / en), even inside a Minyi service', async (name) => {
    const e = await refusal(() => asLedgerWriter(() => hook(COMPLAINT, name)({ params: { where: { id: 41 } } })));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'complaint_delete_forbidden', layer: 'db-lifecycle' });
    expect(e.message).toBe('诉求不能删除；无效诉求请甄别为「无效」 / Complaints are never deleted; screen an invalid one out instead');
  });
});

describe('ledger records through the query engine', () => {
  const MESSAGE_CREATE =
    '台账记录（措施、佐证、验收、回访、短信、更正、导入批次、摘要、任务记录）只能由办理流程写入，不能新增或复制 / Ledger records (measures, evidence, sign-offs, surveys, SMS, corrections, import batches, digests, job runs) are written only by the workflow; they cannot be created or cloned here';

  it.each([
    ['beforeCreate', 'create'],
    ['beforeCreateMany', 'create'],
    ['beforeUpdate', 'update'],
    ['beforeUpdateMany', 'update'],
    ['beforeDelete', 'delete'],
    ['beforeDeleteMany', 'delete'],
  ])('%s of a measure from outside Minyi is refused (403)', async (name, action) => {
    const e = await refusal(() => hook(MEASURE, name)({ params: {} }));
    expect(e).toBeInstanceOf(errors.ForbiddenError);
    expect(e.details).toEqual({ code: 'ledger_record_read_only', action, layer: 'db-lifecycle' });
    if (action === 'create') expect(e.message).toBe(MESSAGE_CREATE);
  });

  it.each(['beforeCreate', 'beforeUpdate', 'beforeDelete'])('positive control: %s of a measure inside a Minyi service passes', async (name) => {
    await expect(asLedgerWriter(() => hook(MEASURE, name)({ params: {} }))).resolves.toBeUndefined();
  });

  it('an event is created only inside a Minyi service', async () => {
    const e = await refusal(() => hook(EVENT, 'beforeCreate')({ params: {} }));
    expect(e).toBeInstanceOf(errors.ForbiddenError);
    expect(e.details).toEqual({ code: 'ledger_record_read_only', action: 'create', layer: 'db-lifecycle' });
    expect(e.message).toBe(MESSAGE_CREATE);
    await expect(asLedgerWriter(() => hook(EVENT, 'beforeCreate')({ params: {} }))).resolves.toBeUndefined();
  });

  it.each(['beforeUpdate', 'beforeUpdateMany', 'beforeDelete', 'beforeDeleteMany'])('%s of an event is refused, even inside a Minyi service', async (name) => {
    const e = await refusal(() => asLedgerWriter(() => hook(EVENT, name)({ params: {} })));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'history_append_only', layer: 'db-lifecycle' });
    expect(e.message).toBe('履历只能追加，不能修改或删除 / History is append-only: events cannot be changed or deleted');
  });
});

describe('the permission guard', () => {
  beforeEach(() => {
    fake = fakeStrapi();
    subscribePermissionGuard(fake.strapi);
  });
  const stored = (roleField: unknown) => ({
    result: { id: 501, action: 'plugin::content-manager.explorer.delete', subject: COMPLAINT },
    params: { data: { role: roleField } },
  });

  it('removes a permission the role may not hold', async () => {
    fake.services.roles.mayHold.mockResolvedValueOnce(false);
    await hook('admin::permission', 'afterCreate')(stored({ connect: [{ id: 3 }] }));
    expect(fake.services.roles.mayHold).toHaveBeenCalledWith({ action: 'plugin::content-manager.explorer.delete', subject: COMPLAINT }, 3);
    expect(fake.queries).toEqual([['admin::permission', 'delete', { where: { id: 501 } }]]);
  });

  it('positive control: a permission the role may hold is kept', async () => {
    fake.services.roles.mayHold.mockResolvedValueOnce(true);
    await hook('admin::permission', 'afterCreate')(stored(3));
    expect(fake.services.roles.mayHold).toHaveBeenCalledWith({ action: 'plugin::content-manager.explorer.delete', subject: COMPLAINT }, 3);
    expect(fake.queries).toEqual([]);
  });
});
