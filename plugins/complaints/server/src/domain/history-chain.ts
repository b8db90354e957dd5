/**
 * The complaint's history is a hash chain: each event's hash covers the event and the hash of
 * the one before it, so changing or removing any event breaks every later link, and the
 * complaint's stored chain head (last seq and hash) reveals a removed newest event.
 *
 *   hash = sha256(canonicalJson(event) + prevHash)
 *
 * The event is identified by ledgerNo (the county's own number), not by a database id, so a
 * third party can recompute a chain from an export.
 */
import { createHash } from 'crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type ActorKind = 'admin' | 'system' | 'citizen';

export interface Actor {
  kind: ActorKind;
  id?: number | null;
  name?: string | null;
  unitId?: number | null;
  unitName?: string | null;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'system', unitId: null, unitName: null };
export const CITIZEN_ACTOR: Actor = { kind: 'citizen', id: null, name: 'citizen', unitId: null, unitName: null };

/** The hashed content of an event, exactly as stored. */
export interface ChainEvent {
  ledgerNo: string;
  seq: number;
  type: string;
  actorKind: ActorKind;
  actorId: number | null;
  actorName: string | null;
  actorUnitId: number | null;
  actorUnitName: string | null;
  /** UTC instant, ISO 8601 with milliseconds. */
  at: string;
  fromState: string | null;
  toState: string | null;
  data: Record<string, unknown>;
}

export interface HashedEvent extends ChainEvent {
  prevHash: string;
  hash: string;
}

/** JSON with sorted keys and no whitespace; undefined members are dropped, as JSON does. */
export const canonicalJson = (value: unknown): string => {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  // Built by concatenation: the warning run hashes hundreds of thousands of events at a time.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  let out = '{';
  for (const [k, quoted] of sortedKeys(Object.keys(obj))) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (out.length > 1 ? ',' : '') + quoted + canonicalJson(v);
  }
  return `${out}}`;
};

/** Sorted keys with their JSON form, remembered per key list (events come in a few shapes). */
const keyOrders = new Map<string, Array<[string, string]>>();
const sortedKeys = (keys: string[]): Array<[string, string]> => {
  const shape = keys.join('\u0000');
  let order = keyOrders.get(shape);
  if (!order) {
    order = [...keys].sort().map((k): [string, string] => [k, `${JSON.stringify(k)}:`]);
    if (keyOrders.size < 1000) keyOrders.set(shape, order);
  }
  return order;
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const toIso = (value: unknown): string => {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return new Date(Number(value)).toISOString();
    const s = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(value) && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
    const d = new Date(s);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return String(value);
};

const nullable = <T>(v: T | undefined | null): T | null => (v === undefined || v === null || (v as unknown) === '' ? null : v);

/** Brings a stored row (any driver's types) to the exact hashed shape. */
export const normalizeEvent = (row: Record<string, any>): ChainEvent => {
  let data = row.data ?? {};
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      data = { unparsable: data };
    }
  }
  return {
    ledgerNo: String(row.ledgerNo ?? row.ledger_no),
    seq: Number(row.seq),
    type: String(row.type),
    actorKind: (row.actorKind ?? row.actor_kind) as ActorKind,
    actorId: nullable(row.actorId ?? row.actor_id) === null ? null : Number(row.actorId ?? row.actor_id),
    actorName: nullable(row.actorName ?? row.actor_name),
    actorUnitId: nullable(row.actorUnitId ?? row.actor_unit_id) === null ? null : Number(row.actorUnitId ?? row.actor_unit_id),
    actorUnitName: nullable(row.actorUnitName ?? row.actor_unit_name),
    at: toIso(row.at),
    fromState: nullable(row.fromState ?? row.from_state),
    toState: nullable(row.toState ?? row.to_state),
    data: data ?? {},
  };
};

/** The hash of an event already in its normalized shape (normalizeEvent). */
const normalizedHash = (event: ChainEvent, prevHash: string): string => sha256Hex(canonicalJson(event) + prevHash);

export const eventHash = (event: ChainEvent, prevHash: string): string =>
  normalizedHash(normalizeEvent(event as unknown as Record<string, unknown>), prevHash);

export interface NewEvent {
  type: string;
  actor: Actor;
  at: Date;
  fromState?: string | null;
  toState?: string | null;
  data?: Record<string, unknown>;
}

/** Builds the next link of a chain whose head is (headSeq, headHash). */
export const nextEvent = (ledgerNo: string, headSeq: number, headHash: string | null, ev: NewEvent): HashedEvent => {
  const prevHash = headSeq > 0 && headHash ? headHash : GENESIS_HASH;
  const event: ChainEvent = normalizeEvent({
    ledgerNo,
    seq: headSeq + 1,
    type: ev.type,
    actorKind: ev.actor.kind,
    actorId: ev.actor.id ?? null,
    actorName: ev.actor.name ?? null,
    actorUnitId: ev.actor.unitId ?? null,
    actorUnitName: ev.actor.unitName ?? null,
    at: ev.at,
    fromState: ev.fromState ?? null,
    toState: ev.toState ?? null,
    data: ev.data ?? {},
  });
  // `event` is normalized already (normalizeEvent is idempotent), so it is hashed as it is.
  return { ...event, prevHash, hash: normalizedHash(event, prevHash) };
};

/** A part of an event's canonical text: literal text, or a named slot filled per event. */
export type TemplatePart = string | { slot: string };

/**
 * The canonical text of an event as literal parts around named slots, so that the same text can
 * be built elsewhere (in SQL, for a set-based run). `event` carries, in place of each slot's
 * value, a sentinel: a string or an integer that occurs nowhere else in the text (a slot may
 * occur more than once). A slot is filled with the canonical JSON of its value (quotes included for a string, `null` for none).
 */
export const canonicalTemplate = (event: ChainEvent, sentinels: Record<string, string | number>): TemplatePart[] => {
  let parts: TemplatePart[] = [canonicalJson(normalizeEvent(event as unknown as Record<string, unknown>))];
  for (const [slot, sentinel] of Object.entries(sentinels)) {
    const mark = canonicalJson(sentinel);
    const next: TemplatePart[] = [];
    let found = 0;
    for (const part of parts) {
      if (typeof part !== 'string') {
        next.push(part);
        continue;
      }
      const pieces = part.split(mark);
      found += pieces.length - 1;
      pieces.forEach((piece, i) => {
        if (i > 0) next.push({ slot });
        next.push(piece);
      });
    }
    if (found === 0) throw new Error(`[complaints] template slot ${slot}: its sentinel does not occur`);
    parts = next.filter((p) => p !== '');
  }
  return parts;
};

/** Fills a template's slots with values (the reference for other builders of the same text). */
export const fillTemplate = (parts: TemplatePart[], values: Record<string, unknown>): string =>
  parts.map((p) => (typeof p === 'string' ? p : canonicalJson(values[p.slot] ?? null))).join('');

export type ChainBreak =
  | { kind: 'seq_gap'; seq: number; expected: number }
  | { kind: 'prev_hash_mismatch'; seq: number }
  | { kind: 'hash_mismatch'; seq: number }
  | { kind: 'head_mismatch'; seq: number; headSeq: number }
  | { kind: 'ledger_mismatch'; seq: number };

export interface ChainVerdict {
  ok: boolean;
  events: number;
  /** The first broken link, if any. */
  firstBreak?: ChainBreak;
  lastHash: string;
}

/**
 * Recomputes a chain from its stored events (in seq order) and compares it with the stored
 * head. Reports the first broken link.
 */
export const verifyChain = (
  ledgerNo: string,
  rows: Iterable<Record<string, any>>,
  head: { seq: number; hash: string | null }
): ChainVerdict => {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  for (const row of rows) {
    const ev = normalizeEvent(row);
    count += 1;
    const storedHash = String(row.hash);
    const storedPrev = String(row.prevHash ?? row.prev_hash ?? '');
    if (ev.ledgerNo !== ledgerNo) return { ok: false, events: count, firstBreak: { kind: 'ledger_mismatch', seq: ev.seq }, lastHash: prev };
    if (ev.seq !== expectedSeq) {
      return { ok: false, events: count, firstBreak: { kind: 'seq_gap', seq: ev.seq, expected: expectedSeq }, lastHash: prev };
    }
    if (storedPrev !== prev) return { ok: false, events: count, firstBreak: { kind: 'prev_hash_mismatch', seq: ev.seq }, lastHash: prev };
    const h = eventHash(ev, prev);
    if (h !== storedHash) return { ok: false, events: count, firstBreak: { kind: 'hash_mismatch', seq: ev.seq }, lastHash: prev };
    prev = h;
    expectedSeq += 1;
  }
  const lastSeq = expectedSeq - 1;
  if (lastSeq !== Number(head.seq ?? 0) || (lastSeq > 0 && prev !== head.hash)) {
    return { ok: false, events: count, firstBreak: { kind: 'head_mismatch', seq: lastSeq, headSeq: Number(head.seq ?? 0) }, lastHash: prev };
  }
  return { ok: true, events: count, lastHash: prev };
};

/**
 * The daily digest: one hash over every complaint's chain head as of a day, in ledgerNo order.
 * Lines are `ledgerNo:seq:hash\n`. A third party with the published digest and an export of
 * the events can recompute it.
 */
export const headsDigest = (heads: Iterable<{ ledgerNo: string; seq: number; hash: string }>): { hash: string; count: number } => {
  const h = createHash('sha256');
  let count = 0;
  for (const head of heads) {
    h.update(`${head.ledgerNo}:${head.seq}:${head.hash}\n`, 'utf8');
    count += 1;
  }
  return { hash: h.digest('hex'), count };
};
