/**
 * The side panels' read model: one complaint as the workflow panel of the Content Manager shows
 * it to this user (masked for roles that see phones masked), with its measures, evidence and
 * sign-offs, and what the user may do now; its history as the history panel shows it; and the
 * options of the panel's forms.
 */
import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { toCalendarDay } from '../domain/calendar';
import { STATE_LABELS } from '../domain/complaint-state';
import { correctionValueShown, panelContact } from '../domain/complaint-projection';
import { verifyChain } from '../domain/history-chain';
import { redact } from '../domain/redact';
import { servedInline } from '../domain/evidence-file';
import type { TransitionAction } from '../domain/complaint-state';
import { mayAddEvidence, seesFullPhone } from '../domain/workflow';
import { mayJoinAGroup } from '../domain/problem-group';
import { ACTION, actionId, transitionActionId } from '../permissions/actions';
import { getConfig, getService } from '../utils';
import type { AdminUserLike } from './access';

/** A stored time as ISO text (SQLite returns milliseconds, PostgreSQL a Date). */
const isoTime = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(typeof v === 'number' || /^\d+$/.test(String(v)) ? Number(v) : String(v)).toISOString();

const REOPEN_DECISIONS: readonly TransitionAction[] = ['confirm_reopen', 'reject_reopen'];

/** Whether the user's admin permissions hold an action (the RBAC ability of the request). */
export type Can = (action: string) => boolean;

const COMPLAINT_FIELDS = [
  'ledger_no', 'received_at', 'channel', 'complainant_name', 'phone', 'town', 'village', 'summary', 'content', 'state',
  'level', 'category_code', 'nature', 'mode', 'deadline', 'response_deadline', 'warning_level', 'sign_step', 'reopen_count',
  'problem_group_id',
];

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /complaints/complaints/:documentId/workflow */
  async view(documentId: string, user: AdminUserLike, can: Can) {
    const { view, ctx: actor, available } = await getService('workflow', strapi).viewFor(documentId, user);
    const knex = strapi.db.connection;
    const row = (await knex(TABLE.complaint).where('id', view.id).first(COMPLAINT_FIELDS)) as Record<string, any>;
    const contact = await getService('contacts', strapi).contactPhone(view.id);
    const unitIds = [view.responsibleUnitId, view.leadUnitId].filter((id): id is number => id !== null);
    const units = new Map<number, string>(
      unitIds.length ? ((await knex(TABLE.unit).whereIn('id', unitIds).select('id', 'name')) as any[]).map((u) => [Number(u.id), u.name]) : []
    );
    const unitName = (id: number | null) => (id === null ? null : (units.get(id) ?? null));
    const measures = ((await strapi.db.query(UID.measure as any).findMany({ where: { complaintId: view.id }, orderBy: { version: 'asc' } })) as any[]).map((m) => ({
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
    const signOffs = ((await strapi.db.query(UID.signOff as any).findMany({ where: { complaintId: view.id }, orderBy: { id: 'asc' } })) as any[]).map((s) => ({
      round: s.round,
      step: s.step,
      decision: s.decision,
      reason: s.reason,
      signerName: s.signerName,
      signerUnitName: s.signerUnitName,
      signedAt: s.signedAt,
    }));
    // The reopen request of the latest survey, for the lead unit's decision (the citizen's answer
    // and comment are what it decides on; the phone is not shown with them).
    const latestSurvey = (await knex(TABLE.survey)
      .where('complaint_id', view.id)
      .orderBy('round', 'desc')
      .orderBy('id', 'desc')
      .first('round', 'answer', 'answered_via', 'answered_at', 'comment', 'reopen_request')) as Record<string, any> | undefined;
    const reopenRequest = latestSurvey?.reopen_request
      ? {
          state: latestSurvey.reopen_request as 'pending' | 'confirmed' | 'rejected',
          round: Number(latestSurvey.round),
          answer: latestSurvey.answer ?? null,
          answeredVia: latestSurvey.answered_via ?? null,
          answeredAt: isoTime(latestSurvey.answered_at),
          // A number the citizen typed into the comment is hidden from roles that see phones masked.
          comment: latestSurvey.comment ? (seesFullPhone(actor) ? latestSurvey.comment : redact(String(latestSurvey.comment))) : null,
        }
      : null;
    const decidesNow = reopenRequest?.state === 'pending';
    // The complaint's problem group, which one step can act on as a whole (its members counted).
    const group = row.problem_group_id
      ? ((await knex(TABLE.problemGroup).where('id', row.problem_group_id).first('document_id', 'code', 'name')) as Record<string, any> | undefined)
      : undefined;
    const problemGroup = group
      ? {
          documentId: String(group.document_id),
          code: String(group.code),
          name: String(group.name),
          members: Number((await knex(TABLE.complaint).where('problem_group_id', row.problem_group_id).count({ n: '*' }))[0].n),
        }
      : null;
    const category = row.category_code ? ((await knex(TABLE.category).where('code', row.category_code).first('name')) as { name: string } | undefined) : undefined;
    const shown = panelContact({ complainantName: row.complainant_name, phone: row.phone, contactPhone: contact.phone }, seesFullPhone(actor));
    return {
      complaint: {
        documentId,
        ledgerNo: row.ledger_no,
        state: row.state,
        stateLabel: STATE_LABELS[row.state as keyof typeof STATE_LABELS],
        receivedAt: row.received_at,
        channel: row.channel,
        complainantName: shown.complainantName,
        phone: shown.phone,
        contactPhone: shown.contactPhone,
        town: row.town,
        village: row.village,
        summary: row.summary,
        content: row.content,
        level: row.level,
        categoryCode: row.category_code,
        categoryName: category?.name ?? null,
        responsibleUnit: unitName(view.responsibleUnitId),
        leadUnit: unitName(view.leadUnitId),
        nature: row.nature,
        mode: row.mode,
        deadline: toCalendarDay(row.deadline),
        responseDeadline: toCalendarDay(row.response_deadline),
        warningLevel: row.warning_level,
        signStep: row.sign_step,
        reopenCount: Number(row.reopen_count ?? 0),
      },
      // The domain allows these now; the user's admin permissions must hold them too.
      // A reopen request is decided only while one is pending.
      available: available.filter((a: TransitionAction) => can(transitionActionId(a)) && (decidesNow || !REOPEN_DECISIONS.includes(a))),
      reopenRequest,
      problemGroup,
      canUploadEvidence: mayAddEvidence(view, actor) && can(actionId('evidence.upload')),
      // 归入共性问题小类 on the complaint page: the domain's rule, and the permission to group.
      canJoinGroup: mayJoinAGroup({ responsibleUnitId: view.responsibleUnitId, state: view.state, problemGroupId: row.problem_group_id === null || row.problem_group_id === undefined ? null : Number(row.problem_group_id) }, actor) && can(ACTION.groups),
      measures,
      evidence,
      signOffs,
      /** The county's zone, in which the panel shows times. */
      timeZone: getConfig(strapi).timeZone,
    };
  },

  /** GET /complaints/complaints/:documentId/history: the chained events, the chain's verdict, the corrections. */
  async history(documentId: string, user: AdminUserLike, can: Can) {
    // The same scope as the workflow, checked first: another unit's complaint and an unknown one get the same answer.
    const { view } = await getService('access', strapi).visible(documentId, user);
    const complaint = (await strapi.db.query(UID.complaint as any).findOne({
      where: { id: view.id },
      select: ['id', 'ledgerNo', 'chainSeq', 'chainHash'],
    })) as { id: number; ledgerNo: string; chainSeq: number; chainHash: string };
    const events = await getService('history', strapi).list(complaint.id);
    const verdict = verifyChain(complaint.ledgerNo, events as Array<Record<string, unknown>>, { seq: complaint.chainSeq ?? 0, hash: complaint.chainHash });
    const seesValues = can(ACTION.correct);
    const corrections = (await getService('corrections', strapi).list(complaint.id)).map((c: any) => ({ ...c, value: correctionValueShown(c, seesValues) }));
    return {
      ledgerNo: complaint.ledgerNo,
      // Times are shown in the county's zone, wherever the reader is.
      timeZone: getConfig(strapi).timeZone,
      head: { seq: complaint.chainSeq, hash: complaint.chainHash },
      verdict: { ok: verdict.ok, events: verdict.events, firstBreak: verdict.firstBreak ?? null },
      events: events.map((e: any) => ({
        seq: e.seq, type: e.type, actorKind: e.actorKind, actorName: e.actorName, actorUnitName: e.actorUnitName,
        at: e.at, fromState: e.fromState, toState: e.toState, data: e.data, hash: e.hash,
      })),
      corrections,
    };
  },

  /** GET /complaints/options: minor categories and responsible units, for the panel's forms. */
  async options() {
    const knex = strapi.db.connection;
    const categories = await knex(TABLE.category).where('tier', 'minor').orderBy('code').select('code', 'name');
    const units = await knex(TABLE.unit).where('is_responsible', true).orderBy('code').select('id', 'code', 'name');
    // The county's towns, as the registration form offers them (and the registration checks them).
    const towns = await getService('intake', strapi).towns();
    return { categories, units, towns };
  },
});
