import { contentDisposition, servedInline } from '../domain/evidence-file';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { TABLE, UID } from '../constants';
import { parsePositiveId } from '../domain/bad-input';
import { toCalendarDay } from '../domain/calendar';
import { isAction, STATE_LABELS } from '../domain/complaint-state';
import { maskName, maskPhone } from '../domain/masking';
import { mayAddEvidence, seesFullPhone } from '../domain/workflow';
import { actionId, transitionActionId } from '../permissions/actions';
import { can, getService, mapDomainErrors } from '../utils';

const requireTransitionPermission = (ctx: any, action: unknown) => {
  if (typeof action !== 'string' || !action) {
    throw new errors.ValidationError('缺少操作（action） / Missing "action"', {
      code: 'missing_input',
      field: 'action',
    });
  }
  if (!can(ctx, transitionActionId(action))) {
    // Unknown actions fall through to the domain, which names them; known ones need the permission.
    if (!isAction(action)) return;
    throw new errors.PolicyError(
      '您的角色没有此操作的权限 / Your role does not have this permission',
      { code: 'forbidden_action', action }
    );
  }
};

const inputsOf = (body: Record<string, unknown>) => {
  const { action: _a, documentIds: _d, group: _g, ...inputs } = body;
  return inputs;
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
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      requireTransitionPermission(ctx, body.action);
      const [result] = await mapDomainErrors(() =>
        getService('workflow', strapi).transition(
          { documentIds: [ctx.params.documentId] },
          String(body.action),
          inputsOf(body),
          ctx.state.user
        )
      );
      ctx.body = { data: result };
    },

    /**
     * POST /complaints/transitions { action, documentIds | group, ...inputs }: all or nothing.
     * `group` is a problem group's documentId (every member); `problemGroup` stays an input of accept.
     */
    async batch(ctx: any) {
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      requireTransitionPermission(ctx, body.action);
      const target = {
        documentIds: Array.isArray(body.documentIds) ? (body.documentIds as string[]) : undefined,
        problemGroup: typeof body.group === 'string' && !body.documentIds ? body.group : undefined,
      };
      const results = await mapDomainErrors(() =>
        getService('workflow', strapi).transition(
          target,
          String(body.action),
          inputsOf(body),
          ctx.state.user
        )
      );
      ctx.body = { data: results, meta: { count: results.length } };
    },

    /** GET /complaints/complaints/:documentId/workflow: what this user sees and may do now. */
    async view(ctx: any) {
      const user = ctx.state.user;
      const {
        view,
        ctx: actor,
        available,
      } = await mapDomainErrors(() =>
        getService('workflow', strapi).viewFor(ctx.params.documentId, user)
      );
      const knex = strapi.db.connection;
      const row = (await knex(TABLE.complaint)
        .where('id', view.id)
        .first(
          'ledger_no',
          'received_at',
          'channel',
          'complainant_name',
          'phone',
          'town',
          'village',
          'summary',
          'content',
          'state',
          'level',
          'category_code',
          'nature',
          'mode',
          'deadline',
          'response_deadline',
          'warning_level',
          'sign_step',
          'reopen_count'
        )) as Record<string, any>;
      const full = seesFullPhone(actor);
      const contact = await getService('contacts', strapi).contactPhone(view.id);
      const unitName = async (id: number | null) =>
        id ? (((await knex(TABLE.unit).where('id', id).first('name')) as any)?.name ?? null) : null;
      const measures = (
        await strapi.db
          .query(UID.measure as any)
          .findMany({ where: { complaintId: view.id }, orderBy: { version: 'asc' } })
      ).map((m: any) => ({
        version: m.version,
        mode: m.mode,
        text: m.text,
        responsiblePerson: m.responsiblePerson,
        deadline: toCalendarDay(m.deadline),
        policyRef: m.policyRef,
        milestones: m.milestones,
        reviewState: m.reviewState,
        reviewComment: m.reviewComment,
        submittedByName: m.submittedByName,
        submittedAt: m.submittedAt,
        reviewedByName: m.reviewedByName,
        reviewedAt: m.reviewedAt,
      }));
      const evidence = (await getService('evidence', strapi).list(view.id)).map((e: any) => ({
        id: e.id,
        aspect: e.aspect,
        text: e.text,
        amount: e.amount,
        uploadedByName: e.uploadedByName,
        uploadedAt: e.uploadedAt,
        files: (e.files ?? []).map((f: any) => ({
          id: f.id,
          name: f.name,
          mime: f.mime,
          size: f.size,
          url: `/complaints/evidence-files/${f.id}`,
          download: !servedInline(f.type),
        })),
      }));
      const signOffs = (
        await strapi.db
          .query(UID.signOff as any)
          .findMany({ where: { complaintId: view.id }, orderBy: { id: 'asc' } })
      ).map((s: any) => ({
        round: s.round,
        step: s.step,
        decision: s.decision,
        reason: s.reason,
        signerName: s.signerName,
        signerUnitName: s.signerUnitName,
        signedAt: s.signedAt,
      }));
      ctx.body = {
        data: {
          complaint: {
            documentId: ctx.params.documentId,
            ledgerNo: row.ledger_no,
            state: row.state,
            stateLabel: STATE_LABELS[row.state as keyof typeof STATE_LABELS],
            receivedAt: row.received_at,
            channel: row.channel,
            complainantName: full ? row.complainant_name : maskName(row.complainant_name),
            phone: full ? row.phone : maskPhone(row.phone),
            contactPhone: full ? contact.phone : maskPhone(contact.phone),
            town: row.town,
            village: row.village,
            summary: row.summary,
            content: row.content,
            level: row.level,
            categoryCode: row.category_code,
            responsibleUnit: await unitName(view.responsibleUnitId),
            leadUnit: await unitName(view.leadUnitId),
            nature: row.nature,
            mode: row.mode,
            deadline: toCalendarDay(row.deadline),
            responseDeadline: toCalendarDay(row.response_deadline),
            warningLevel: row.warning_level,
            signStep: row.sign_step,
            reopenCount: Number(row.reopen_count ?? 0),
          },
          available: available.filter((a) => can(ctx, transitionActionId(a))),
          canUploadEvidence:
            mayAddEvidence(view, actor) && can(ctx, actionId('evidence.upload')),
          measures,
          evidence,
          signOffs,
        },
      };
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
      const knex = strapi.db.connection;
      const categories = await knex(TABLE.category)
        .where('tier', 'minor')
        .orderBy('code')
        .select('code', 'name');
      const units = await knex(TABLE.unit)
        .where('is_responsible', true)
        .orderBy('code')
        .select('id', 'code', 'name');
      ctx.body = { data: { categories, units } };
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
