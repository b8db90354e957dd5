/**
 * Problem groups (共性问题小类): a unit's subdivision of common complaints under a minor
 * category. Codes are generated per category (`0703-001`). A measure, review, evidence or
 * sign-off on the group applies to every member (the batch transition route with
 * `problemGroup`), one event per member.
 */
import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { parsePositiveId } from '../domain/bad-input';
import { DomainError } from '../domain/errors';
import { actsForUnit, groupCode, GROUPED_NATURE, mayGroup, membershipRefusal, seesEveryGroup } from '../domain/problem-group';
import { maySee } from '../domain/workflow';
import { getService, inTransaction } from '../utils';
import { groupOutOfReach, outOfReach, type AdminUserLike } from './access';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Creates a group for the operator's unit. */
  async create(input: { categoryCode?: unknown; name?: unknown; description?: unknown; unitId?: unknown }, user: AdminUserLike) {
    const access = getService('access', strapi);
    const ctx = await access.context(user);
    if (!mayGroup(ctx)) {
      throw new DomainError('forbidden', 'forbidden', '只有责任单位操作员可以创建共性问题小类', 'Only a unit operator may create problem groups');
    }
    const given = input.unitId !== undefined && input.unitId !== null && input.unitId !== '';
    const requested = given ? parsePositiveId(input.unitId) : null;
    if (given && requested === null) throw new DomainError('validation', 'invalid_input', '单位（unitId）须为单位编号', 'unitId must be a unit id', { field: 'unitId' });
    const unitId = requested ?? (ctx.unitIds.length === 1 ? ctx.unitIds[0] : null);
    if (!unitId) throw new DomainError('validation', 'missing_input', '请选择单位（unitId）', 'Choose the unit (unitId)', { field: 'unitId' });
    if (!actsForUnit(ctx, unitId)) throw new DomainError('forbidden', 'forbidden', '不能为其他单位创建共性问题小类', 'You may not create groups for another unit');
    const categoryCode = typeof input.categoryCode === 'string' ? input.categoryCode.trim() : '';
    const knex = strapi.db.connection;
    const cat = (await knex(TABLE.category).where('code', categoryCode).first('id', 'tier')) as any;
    if (!cat || cat.tier !== 'minor') throw new DomainError('validation', 'invalid_input', '请选择诉求小类（四位代码）', 'Choose a minor category (4-digit code)', { field: 'categoryCode' });
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length < 2) throw new DomainError('validation', 'missing_input', '请填写共性问题名称', 'A name is required', { field: 'name' });
    if (name.length > 200) throw new DomainError('validation', 'invalid_input', '共性问题名称最多 200 字', 'The name has at most 200 characters', { field: 'name' });
    const description = typeof input.description === 'string' ? input.description.trim() : null;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const n = Number((await knex(TABLE.problemGroup).where('category_code', categoryCode).count({ n: '*' }))[0].n) + 1 + attempt;
      try {
        return (await strapi.db.query(UID.problemGroup as any).create({
          data: { code: groupCode(categoryCode, n), name, description, category: cat.id, categoryCode, unit: unitId, unitId },
        })) as { id: number; documentId: string; code: string };
      } catch (e) {
        const err = e as { code?: string; message?: string };
        if (!/unique|UNIQUE|23505/.test(`${err.code} ${err.message}`)) throw e;
      }
    }
    throw new DomainError('conflict', 'group_code', '生成编号冲突，请重试', 'Could not allocate a group code; try again');
  },

  /** Moves accepted complaints of the group's unit and category into the group (nature: common). */
  async addMembers(groupDocumentId: string, documentIds: string[], user: AdminUserLike) {
    const access = getService('access', strapi);
    const ctx = await access.context(user);
    const actor = await access.actor(user);
    const knex = strapi.db.connection;
    const group = (await knex(TABLE.problemGroup).where('document_id', groupDocumentId).first('id', 'code', 'unit_id', 'category_code')) as any;
    if (!group || !actsForUnit(ctx, Number(group.unit_id))) throw groupOutOfReach();
    if (!mayGroup(ctx)) throw new DomainError('forbidden', 'forbidden', '只有责任单位操作员可以归类', 'Only a unit operator may group complaints');
    const targetIds = await access.targets({ documentIds: Array.isArray(documentIds) ? documentIds : [] });
    const now = new Date();
    return inTransaction(strapi, async (trx) => {
      const views = await access.views(trx, targetIds, true);
      if (views.some((v) => !maySee(v, ctx))) throw outOfReach(views.length);
      const member = { unitId: Number(group.unit_id), categoryCode: group.category_code as string };
      for (const v of views) {
        const refusal = membershipRefusal(v, member);
        if (refusal) throw refusal;
      }
      const ids = views.map((v) => v.id);
      await trx(TABLE.complaint).whereIn('id', ids).update({ problem_group_id: group.id, nature: GROUPED_NATURE, updated_at: now });
      const bulk = getService('bulk', strapi);
      await bulk.unlink(UID.complaint, 'problemGroup', ids);
      await bulk.link(UID.complaint, 'problemGroup', ids.map((id): [number, number] => [id, Number(group.id)]));
      await getService('history', strapi).appendMany(
        views.map((v) => ({
          complaintId: v.id,
          event: { type: 'grouped', actor, at: now, fromState: v.state, toState: v.state, data: { problemGroupId: Number(group.id), code: group.code, changes: { nature: { from: v.nature, to: GROUPED_NATURE } } } },
        }))
      );
      return { group: group.code as string, added: ids.length };
    });
  },

  async listForUser(user: AdminUserLike) {
    const ctx = await getService('access', strapi).context(user);
    const q = strapi.db.connection(TABLE.problemGroup).select('document_id as documentId', 'code', 'name', 'category_code as categoryCode', 'unit_id as unitId').orderBy('code');
    if (!seesEveryGroup(ctx)) q.whereIn('unit_id', ctx.unitIds.length ? ctx.unitIds : [-1]);
    return q;
  },
});
