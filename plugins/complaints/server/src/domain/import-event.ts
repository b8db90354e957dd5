/**
 * The first link of each imported complaint's chain: an `imported` event (seq 1) whose data is
 * { importBatch, row } (the batch code and the file's row number; no personal data).
 *
 * A batch's events differ only in ledgerNo and row, so their canonical JSON is a template with
 * two holes; hashing 100,000 of them is then one sha256 each. The result is the same as
 * nextEvent() (history-chain.ts) gives, which the hasher checks on its first use.
 */
import { GENESIS_HASH, canonicalJson, nextEvent, normalizeEvent, sha256Hex, type Actor, type NewEvent } from './history-chain';

export const importedEvent = (importBatch: string, row: number, actor: Actor, at: Date): NewEvent => ({
  type: 'imported',
  actor,
  at,
  fromState: null,
  toState: 'received',
  data: { importBatch, row },
});

export const importedEventHasher = (importBatch: string, actor: Actor, at: Date): ((ledgerNo: string, row: number) => string) => {
  const LEDGER = '\u0001ledger\u0001';
  const ROW = '\u0001row\u0001';
  const template = canonicalJson(
    normalizeEvent({
      ledgerNo: LEDGER,
      seq: 1,
      type: 'imported',
      actorKind: actor.kind,
      actorId: actor.id ?? null,
      actorName: actor.name ?? null,
      actorUnitId: actor.unitId ?? null,
      actorUnitName: actor.unitName ?? null,
      at,
      fromState: null,
      toState: 'received',
      data: { importBatch, row: ROW },
    })
  );
  // Keys are sorted, so "data" (with the row) comes before "ledgerNo"; find both holes.
  const holes = [
    { at: template.indexOf(JSON.stringify(LEDGER)), length: JSON.stringify(LEDGER).length, ledger: true },
    { at: template.indexOf(JSON.stringify(ROW)), length: JSON.stringify(ROW).length, ledger: false },
  ].sort((a, b) => a.at - b.at);
  const [first, second] = holes;
  const head = template.slice(0, first.at);
  const middle = template.slice(first.at + first.length, second.at);
  const suffix = template.slice(second.at + second.length) + GENESIS_HASH;
  let checked = false;
  return (ledgerNo: string, row: number): string => {
    const l = JSON.stringify(ledgerNo);
    const r = JSON.stringify(row);
    const hash = sha256Hex(first.ledger ? head + l + middle + r + suffix : head + r + middle + l + suffix);
    if (!checked) {
      const slow = nextEvent(ledgerNo, 0, null, importedEvent(importBatch, row, actor, at)).hash;
      if (slow !== hash) throw new Error('[complaints] imported event hash template does not match the chain format');
      checked = true;
    }
    return hash;
  };
};
