/**
 * The workflow routes: parse the request, call one service, send its answer. Scope, state,
 * role and inputs are all checked below (services/access.ts, domain/transitions).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { parsePositiveId } from '../domain/bad-input';
import { isAction } from '../domain/complaint-state';
import { contentDisposition } from '../domain/evidence-file';
import { transitionActionId } from '../permissions/actions';
import { can, getService, mapDomainErrors } from '../utils';
import { batchRequest, transitionRequest } from './requests';

const requireTransitionPermission = (ctx: any, action: string) => {
  if (!can(ctx, transitionActionId(action))) {
    // Unknown actions fall through to the domain, which names them; known ones need the permission.
    if (!isAction(action)) return;
    throw new errors.PolicyError(
      '您的角色没有此操作的权限 / Your role does not have this permission',
      { code: 'forbidden_action', action }
    );
  }
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const addEvidenceTo = async (
    ctx: any,
    target: { documentId?: string; problemGroup?: string }
  ) => {
    const files = ctx.request.files?.files;
    const list = files ? (Array.isArray(files) ? files : [files]) : [];
    const result = await mapDomainErrors(() =>
      getService('evidence', strapi).add(target, ctx.request.body ?? {}, list, ctx.state.user)
    );
    ctx.status = 201;
    ctx.body = { data: result };
  };

  return {
    /** POST /complaints/complaints/:documentId/transitions { action, ...inputs } */
    async transition(ctx: any) {
      const request = await mapDomainErrors(async () => transitionRequest(ctx.request.body));
      requireTransitionPermission(ctx, request.action);
      const [result] = await mapDomainErrors(() =>
        getService('workflow', strapi).transition({ documentIds: [ctx.params.documentId] }, request.action, request.inputs, ctx.state.user)
      );
      ctx.body = { data: result };
    },

    /** POST /complaints/transitions { action, documentIds | group, ...inputs }: all or nothing. */
    async batch(ctx: any) {
      const request = await mapDomainErrors(async () => batchRequest(ctx.request.body));
      requireTransitionPermission(ctx, request.action);
      const target = { documentIds: request.documentIds as string[] | undefined, problemGroup: request.group };
      const results = await mapDomainErrors(() => getService('workflow', strapi).transition(target, request.action, request.inputs, ctx.state.user));
      ctx.body = { data: results, meta: { count: results.length } };
    },

    /** GET /complaints/complaints/:documentId/workflow: what this user sees and may do now. */
    async view(ctx: any) {
      const data = await mapDomainErrors(() => getService('panel', strapi).view(ctx.params.documentId, ctx.state.user, (action) => can(ctx, action)));
      ctx.body = { data };
    },

    /** POST /complaints/complaints/:documentId/evidence (multipart: aspect, text, amount, files) */
    async addEvidence(ctx: any) {
      await addEvidenceTo(ctx, { documentId: ctx.params.documentId });
    },

    /** POST /complaints/problem-groups/:documentId/evidence: one item for every member. */
    async addGroupEvidence(ctx: any) {
      await addEvidenceTo(ctx, { problemGroup: ctx.params.documentId });
    },

    /** GET /complaints/evidence-files/:id: the file, for users who may see its complaint. */
    async evidenceFile(ctx: any) {
      const id = parsePositiveId(ctx.params.id);
      if (id === null) throw new errors.NotFoundError('文件不存在或无权查看 / File not found, or not visible to you', { code: 'not_found' });
      const file = await mapDomainErrors(() =>
        getService('evidence', strapi).openFile(id, ctx.state.user)
      );
      // The type sniffed at upload, never guessed again by the browser; only images and PDF inline.
      ctx.set('Content-Type', file.mime);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Content-Disposition', contentDisposition(file.type, file.name));
      ctx.set('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
      ctx.set('Cache-Control', 'private, no-store');
      ctx.length = file.size;
      ctx.body = file.stream;
    },

    /** GET /complaints/options: minor categories and responsible units, for the panel's forms. */
    async options(ctx: any) {
      ctx.body = { data: await getService('panel', strapi).options() };
    },

    async listGroups(ctx: any) {
      ctx.body = { data: await getService('problem-groups', strapi).listForUser(ctx.state.user) };
    },

    async createGroup(ctx: any) {
      const row = await mapDomainErrors(() =>
        getService('problem-groups', strapi).create(ctx.request.body ?? {}, ctx.state.user)
      );
      ctx.status = 201;
      ctx.body = { data: { documentId: row.documentId, code: row.code } };
    },

    async addGroupMembers(ctx: any) {
      const body = ctx.request.body ?? {};
      const result = await mapDomainErrors(() =>
        getService('problem-groups', strapi).addMembers(
          ctx.params.documentId,
          body.documentIds,
          ctx.state.user
        )
      );
      ctx.body = { data: result };
    },
  };
};
