/**
 * Every measure, evidence item and sign-off is written together with the history event that
 * records it: a measure version by its submit/resubmit event, an evidence item by its
 * `evidence_added` event (which names its id), a sign-off by its `sign` / `reject_signoff`
 * event (step and round). A record without its event was written past the workflow: forged.
 * Counted as multisets, so a second row copying a recorded one is caught too.
 */
export interface RecordEvent {
  complaintId: number;
  type: string;
  data: Record<string, unknown> | null;
}
export interface MeasureRecord { id: number; complaintId: number; version: number }
export interface EvidenceRecord { id: number; complaintId: number }
export interface SignOffRecord { id: number; complaintId: number; round: number; step: string; decision: string }

export type UnrecordedKind = 'measure' | 'evidence' | 'signOff';
export interface UnrecordedRecord { kind: UnrecordedKind; id: number; complaintId: number }

const measureKey = (complaintId: number, version: unknown) => `m:${complaintId}:${Number(version)}`;
const evidenceKey = (complaintId: number, id: unknown) => `e:${complaintId}:${Number(id)}`;
const signKey = (complaintId: number, round: unknown, step: unknown, decision: string) => `s:${complaintId}:${Number(round)}:${String(step)}:${decision}`;

export const eventRecordKey = (e: RecordEvent): string | null => {
  const d = e.data ?? {};
  switch (e.type) {
    case 'submit_measure':
    case 'resubmit_measure':
      return measureKey(e.complaintId, d.version);
    case 'evidence_added':
      return d.evidenceId === null || d.evidenceId === undefined ? null : evidenceKey(e.complaintId, d.evidenceId);
    case 'sign':
      return signKey(e.complaintId, d.round, d.step, 'signed');
    case 'reject_signoff':
      return signKey(e.complaintId, d.round, d.step, 'rejected');
    default:
      return null;
  }
};

export const findUnrecordedRecords = (
  events: readonly RecordEvent[],
  records: { measures: readonly MeasureRecord[]; evidence: readonly EvidenceRecord[]; signOffs: readonly SignOffRecord[] }
): UnrecordedRecord[] => {
  const available = new Map<string, number>();
  for (const e of events) {
    const k = eventRecordKey(e);
    if (k) available.set(k, (available.get(k) ?? 0) + 1);
  }
  const out: UnrecordedRecord[] = [];
  const take = (key: string, r: UnrecordedRecord) => {
    const n = available.get(key) ?? 0;
    if (n > 0) available.set(key, n - 1);
    else out.push(r);
  };
  for (const m of [...records.measures].sort((a, b) => a.id - b.id)) take(measureKey(m.complaintId, m.version), { kind: 'measure', id: m.id, complaintId: m.complaintId });
  for (const e of [...records.evidence].sort((a, b) => a.id - b.id)) take(evidenceKey(e.complaintId, e.id), { kind: 'evidence', id: e.id, complaintId: e.complaintId });
  for (const s of [...records.signOffs].sort((a, b) => a.id - b.id)) take(signKey(s.complaintId, s.round, s.step, s.decision), { kind: 'signOff', id: s.id, complaintId: s.complaintId });
  return out;
};
