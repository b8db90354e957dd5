/**
 * The request bodies of the workflow routes, checked at the edge: the action to take and the
 * complaints to take it on. Each verb's own inputs are checked by the verb's input check
 * (domain/transitions), after the state and the role: a caller who may not act learns nothing
 * about the inputs.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors';

const body = z.record(z.string(), z.unknown()).catch({});
const action = z.string().min(1);

export interface TransitionRequest {
  action: string;
  /** The verb's inputs: every other field of the body. */
  inputs: Record<string, unknown>;
}

export interface BatchRequest extends TransitionRequest {
  documentIds?: unknown[];
  /** A problem group's documentId: every member (`problemGroup` stays an input of accept). */
  group?: string;
}

const missingAction = () => new DomainError('validation', 'missing_input', '缺少操作（action）', 'Missing "action"', { field: 'action' });

export const transitionRequest = (raw: unknown): TransitionRequest => {
  const { action: a, documentIds: _d, group: _g, ...inputs } = body.parse(raw);
  const parsed = action.safeParse(a);
  if (!parsed.success) throw missingAction();
  return { action: parsed.data, inputs };
};

export const batchRequest = (raw: unknown): BatchRequest => {
  const fields = body.parse(raw);
  const { action: a, inputs } = transitionRequest(fields);
  const documentIds = z.array(z.unknown()).safeParse(fields.documentIds);
  const group = z.string().safeParse(fields.group);
  return {
    action: a,
    inputs,
    documentIds: documentIds.success ? documentIds.data : undefined,
    group: group.success && !fields.documentIds ? group.data : undefined,
  };
};
