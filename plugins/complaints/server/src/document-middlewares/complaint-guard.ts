/**
 * Document Service middleware: the first layer of the ledger's integrity guard. It covers the
 * Content API, the Content Manager (bulk actions too) and the plugin's own code.
 *
 * - complaint.update: refuses a change to an original field or to a field only the workflow
 *   may change (400, naming the fields in Chinese and English); strips unchanged ones (the
 *   Content Manager sends the whole document); records the changed processing fields as one
 *   `updated` event in the same transaction.
 * - complaint.update / create: system fields (ids, timestamps) are never written by a request.
 * - complaint.update / create: the public summary is moderated (domain/public-summary.ts): one
 *   holding a phone, an ID card number or an address is refused.
 * - complaint.create: the import's row rules (domain/complaint-row.ts); records the `created`
 *   event (the start of the chain).
 * - complaint.delete / clone: refused. Invalid is a state, not a deletion.
 * - complaint-event: no create, update or delete through the Document Service at all.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { COMPLAINT_UID, EVENT_UID } from '../constants';
import { INITIAL_STATE } from '../domain/complaint-state';
import { DomainError, isDomainError } from '../domain/errors';
import { scalarChanges, relationWriteIsEmpty, type AttributeType } from '../domain/field-changes';
import { ORIGINAL_FIELDS, assertOriginalsUnchanged, deleteForbiddenError } from '../domain/original-fields';
import { WORKFLOW_FIELDS } from '../domain/workflow-fields';
import { getConfig, getService } from '../utils';
import { findSystemFieldChanges, systemFieldsOnCreate, systemFieldsReadonlyError } from '../domain/system-fields';
import { complaintRowErrors } from '../domain/complaint-row';
import { checkPublicSummary } from '../domain/public-summary';
import { CITIZEN_ACTOR } from '../domain/history-chain';
import { isCitizenIntake } from '../utils/citizen-scope';

export const LAYER = 'document-middleware';

const WRITE_ACTIONS = ['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft'];

const refuse = (e: DomainError, extra: Record<string, unknown> = {}) =>
  new errors.ValidationError(e.message, { ...e.details, layer: LAYER, ...extra });

const historyAppendOnly = () =>
  refuse(
    new DomainError('validation', 'history_append_only', '履历只能由台账追加，不能新增、修改或删除', 'History is written only by the ledger; events cannot be created, changed or deleted')
  );

const workflowFieldsError = (fields: string[]) =>
  new DomainError(
    'validation',
    'workflow_fields_readonly',
    `以下字段只能通过办理流程修改：${fields.join(', ')}`,
    `These fields change only through workflow transitions: ${fields.join(', ')}`,
    { fields }
  );

/** Workflow field values a new complaint may carry (their defaults); anything else is refused. */
const CREATE_DEFAULTS: Record<string, unknown[]> = {
  state: [INITIAL_STATE],
  warningLevel: ['none'],
  reopenCount: [0],
  sendBackCount: [0],
  returnCount: [0],
  chainSeq: [0],
  traceable: [false, true],
};

/** The public summary as it is saved (trimmed), or a 400 saying what personal data to remove. */
const moderateSummary = (data: Record<string, unknown>): void => {
  try {
    data.summary = checkPublicSummary(data.summary);
  } catch (e) {
    throw isDomainError(e) ? refuse(e) : e;
  }
};

export const createComplaintGuard = (strapi: Core.Strapi) => {
  const attributeTypes = (): Record<string, AttributeType> => {
    const attrs = (strapi.contentType(COMPLAINT_UID as any) as any).attributes as Record<string, { type: string }>;
    return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, v.type]));
  };

  const onUpdate = async (ctx: any, next: () => Promise<unknown>) => {
    const params = ctx.params ?? {};
    let data: Record<string, unknown> = { ...(params.data ?? {}) };
    const types = attributeTypes();
    const scalarFields = Object.keys(types).filter((k) => !['relation', 'media', 'component', 'dynamiczone'].includes(types[k]));
    // The guard's one indexed read (document_id is indexed).
    const before = (await strapi.db.query(COMPLAINT_UID as any).findOne({
      where: { documentId: params.documentId },
      select: [...new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', ...scalarFields])],
    })) as Record<string, unknown> | null;
    if (!before) return next();

    const system = findSystemFieldChanges(before, data);
    if (system.changed.length > 0) throw refuse(systemFieldsReadonlyError(system.changed));
    for (const f of system.unchanged) delete data[f];

    try {
      data = assertOriginalsUnchanged(before, data);
    } catch (e) {
      throw isDomainError(e) ? refuse(e) : e;
    }

    const workflowChanged: string[] = [];
    for (const f of WORKFLOW_FIELDS) {
      if (!(f in data)) continue;
      if (types[f] === 'relation') {
        if (!relationWriteIsEmpty(data[f])) workflowChanged.push(f);
      } else if (Object.keys(scalarChanges(types, before, { [f]: data[f] })).length > 0) {
        workflowChanged.push(f);
      }
      if (!workflowChanged.includes(f)) delete data[f];
    }
    if (workflowChanged.length > 0) throw refuse(workflowFieldsError(workflowChanged));
    // Only a changed summary: the Content Manager sends the whole document on every save.
    if ('summary' in data && (data.summary ?? null) !== (before.summary ?? null)) moderateSummary(data);

    const changes = scalarChanges(types, before, data);
    ctx.params = { ...params, data };
    return strapi.db.transaction(async () => {
      const result = await next();
      if (Object.keys(changes).length > 0) {
        const actor = await getService('access', strapi).current();
        await getService('history', strapi).append(Number(before.id), {
          type: 'updated',
          actor,
          at: new Date(),
          fromState: String(before.state ?? ''),
          toState: String(before.state ?? ''),
          data: { changes },
        });
      }
      return result;
    });
  };

  const onCreate = async (ctx: any, next: () => Promise<unknown>) => {
    const params = ctx.params ?? {};
    const data: Record<string, unknown> = { ...(params.data ?? {}) };
    const system = systemFieldsOnCreate(data);
    if (system.length > 0) throw refuse(systemFieldsReadonlyError(system));
    const rowError = complaintRowErrors(data, { timeZone: getConfig(strapi).timeZone, now: new Date() });
    if (rowError) throw refuse(rowError);
    const bad: string[] = [];
    for (const f of WORKFLOW_FIELDS) {
      if (!(f in data) || data[f] === null || data[f] === undefined) continue;
      const allowed = CREATE_DEFAULTS[f];
      if (allowed && allowed.includes(data[f])) {
        delete data[f];
        continue;
      }
      if (typeof data[f] === 'object' && relationWriteIsEmpty(data[f])) {
        delete data[f];
        continue;
      }
      bad.push(f);
    }
    if (bad.length > 0) throw refuse(workflowFieldsError(bad));
    if ('summary' in data) moderateSummary(data);
    data.state = INITIAL_STATE;
    data.traceable = getService('contacts', strapi).isTraceable(data.phone);
    ctx.params = { ...params, data };
    return strapi.db.transaction(async () => {
      const result = (await next()) as { id: number; state?: string } | null;
      if (result?.id) {
        const actor = isCitizenIntake() ? CITIZEN_ACTOR : await getService('access', strapi).current();
        await getService('history', strapi).append(Number(result.id), {
          type: 'created',
          actor,
          at: new Date(),
          fromState: null,
          toState: INITIAL_STATE,
          data: { channel: data.channel ?? null, importBatch: data.importBatch ?? null },
        });
      }
      return result;
    });
  };

  return async (ctx: any, next: () => Promise<unknown>) => {
    if (ctx.uid === EVENT_UID && WRITE_ACTIONS.includes(ctx.action)) throw historyAppendOnly();
    if (ctx.uid !== COMPLAINT_UID) return next();
    switch (ctx.action) {
      case 'update':
        return onUpdate(ctx, next);
      case 'create':
        return onCreate(ctx, next);
      case 'delete':
        throw refuse(deleteForbiddenError());
      case 'clone':
        throw refuse(
          new DomainError('validation', 'complaint_clone_forbidden', '诉求不能复制：每条诉求只有一个原始记录', 'Complaints cannot be duplicated: each demand has one original record')
        );
      default:
        return next();
    }
  };
};

export { ORIGINAL_FIELDS };
