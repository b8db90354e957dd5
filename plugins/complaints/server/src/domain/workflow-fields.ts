/**
 * Complaint fields only the workflow changes (办理字段): state, classification, assignment,
 * measure, deadlines, sign-off, warning, counters and the chain head. No form and no request
 * writes them; the Content Manager shows them read-only and the document guard refuses a change.
 * What remains editable of a complaint besides them and the originals is its public summary and
 * the screening note.
 */
export const WORKFLOW_FIELDS = [
  'state', 'traceable', 'invalidReason', 'duplicateOf', 'suggestion', 'suggestionRef', 'category', 'categoryCode',
  'majorCategoryCode', 'level', 'responsibleUnit', 'responsibleUnitId', 'leadUnit', 'leadUnitId', 'problemGroup',
  'problemGroupId', 'nature', 'mode', 'assignedAt', 'responseDeadline', 'acceptedAt', 'deadline', 'completedAt',
  'closedAt', 'signStep', 'warningLevel', 'warningChangedAt', 'reopenCount', 'sendBackCount', 'returnCount',
  'satisfaction', 'chainSeq', 'chainHash',
] as const;
