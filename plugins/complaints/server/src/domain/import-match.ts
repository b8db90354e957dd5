/**
 * A file row whose ledger number (台账编号) is already in the ledger: the same demand imported
 * again (already present: nothing to do, the report names the batch that brought it), or another
 * demand under a taken number (a conflict: the report lists the fields that differ). Compared are
 * the fields a correction may change; the batch and the raw row may differ between two imports
 * of the same demand.
 */
import { CORRECTABLE_FIELDS, findOriginalFieldChanges, type CorrectableField } from './original-fields';

export type ExistingMatch = { kind: 'already_present'; importBatch: string | null } | { kind: 'conflict'; changed: CorrectableField[] };

/** `incoming`: the checked row (or its staged copy); `stored`: the complaint's originals as read from the database. */
export const matchExisting = (incoming: Record<string, unknown>, stored: Record<string, unknown>): ExistingMatch => {
  const row: Record<string, unknown> = {};
  const before: Record<string, unknown> = {};
  for (const f of CORRECTABLE_FIELDS) {
    row[f] = incoming[f] ?? null;
    before[f] = stored[f] ?? null;
  }
  const { changed } = findOriginalFieldChanges(before, row);
  if (changed.length === 0) return { kind: 'already_present', importBatch: (stored.importBatch as string | null | undefined) ?? null };
  return { kind: 'conflict', changed: changed as CorrectableField[] };
};
