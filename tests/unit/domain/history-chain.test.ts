import {
  GENESIS_HASH,
  canonicalJson,
  canonicalTemplate,
  fillTemplate,
  headsDigest,
  nextEvent,
  verifyChain,
  type HashedEvent,
} from '../../../plugins/complaints/server/src/domain/history-chain';

/*
 * Expected hashes were computed outside the code under test, with coreutils:
 *   printf '%s%s' "$CANONICAL_JSON" "$PREV_HASH" | sha256sum
 */
const H1 = 'eb692d1a4c09dfaeb749f36f60ac127109523b7df022fd2444621c46cd813fae';
const H2 = 'a7b618bce1aa7b63bdb935b10c6a5cfd5e136e98cc9691d20d243c5d15ce9efd';

const first = (): HashedEvent =>
  nextEvent('A-1', 0, null, {
    type: 'created',
    actor: { kind: 'system', name: 'system' },
    at: new Date('2026-01-02T03:04:05Z'),
    toState: 'received',
  });

const second = (prev: HashedEvent): HashedEvent =>
  nextEvent('A-1', prev.seq, prev.hash, {
    type: 'classify',
    actor: { kind: 'admin', id: 7, name: '王五', unitId: 3, unitName: '城关镇人民政府' },
    at: new Date('2026-01-03T00:00:00Z'),
    fromState: 'received',
    toState: 'classified',
    data: { summary: { from: null, to: '路灯' } },
  });

describe('history chain', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"z":1}]},"b":1}');
  });

  it('hashes the first event over the genesis hash', () => {
    const e1 = first();
    expect(e1.seq).toBe(1);
    expect(e1.prevHash).toBe(GENESIS_HASH);
    expect(e1.hash).toBe(H1);
  });

  it('chains the second event to the first', () => {
    const e2 = second(first());
    expect(e2.seq).toBe(2);
    expect(e2.prevHash).toBe(H1);
    expect(e2.hash).toBe(H2);
  });

  const chain = () => {
    const e1 = first();
    return [e1, second(e1)] as Array<HashedEvent & Record<string, unknown>>;
  };

  it('verifies an intact chain against its head', () => {
    expect(verifyChain('A-1', chain(), { seq: 2, hash: H2 })).toEqual({ ok: true, events: 2, lastHash: H2 });
  });

  const breaks: Array<[string, (c: Array<Record<string, unknown>>) => unknown[], { seq: number; hash: string }, string, number]> = [
    ['an edited payload', (c) => [c[0], { ...c[1], data: { summary: { from: null, to: '路灯坏了' } } }], { seq: 2, hash: H2 }, 'hash_mismatch', 2],
    ['an edited actor', (c) => [{ ...c[0], actorName: 'someone' }, c[1]], { seq: 2, hash: H2 }, 'hash_mismatch', 1],
    ['a removed first event', (c) => [c[1]], { seq: 2, hash: H2 }, 'seq_gap', 2],
    ['a removed newest event (head says 2)', (c) => [c[0]], { seq: 2, hash: H2 }, 'head_mismatch', 1],
    ['a rewritten hash with a consistent next link missing', (c) => [{ ...c[0], hash: 'f'.repeat(64) }, c[1]], { seq: 2, hash: H2 }, 'hash_mismatch', 1],
  ];

  it.each(breaks)('reports %s', (_name, mutate, head, kind, seq) => {
    const verdict = verifyChain('A-1', mutate(chain()) as Array<Record<string, unknown>>, head);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBreak).toMatchObject({ kind, seq });
  });

  it('digests heads line by line', () => {
    // printf 'A-1:2:abc\nB-2:1:def\n' | sha256sum
    expect(headsDigest([{ ledgerNo: 'A-1', seq: 2, hash: 'abc' }, { ledgerNo: 'B-2', seq: 1, hash: 'def' }])).toEqual({
      hash: '38457dc6ec2bca07c43eb29f418bef805a8e52eb2b025f77555de7c5fdbfc4d6',
      count: 2,
    });
  });
});

describe('canonical text as a template with slots', () => {
  const event = {
    ledgerNo: '@@L@@', seq: 7001, type: 't', actorKind: 'system' as const, actorId: null, actorName: 'system', actorUnitId: null,
    actorUnitName: null, at: '2026-01-02T03:04:05.000Z', fromState: '@@S@@', toState: '@@S@@', data: { n: 7002 },
  };
  const parts = canonicalTemplate(event, { ledgerNo: '@@L@@', seq: 7001, state: '@@S@@', n: 7002 });

  it('splits the text around each slot, a slot used twice appearing twice', () => {
    expect(parts).toEqual([
      '{"actorId":null,"actorKind":"system","actorName":"system","actorUnitId":null,"actorUnitName":null,"at":"2026-01-02T03:04:05.000Z","data":{"n":',
      { slot: 'n' },
      '},"fromState":',
      { slot: 'state' },
      ',"ledgerNo":',
      { slot: 'ledgerNo' },
      ',"seq":',
      { slot: 'seq' },
      ',"toState":',
      { slot: 'state' },
      ',"type":"t"}',
    ]);
  });

  // [values, the filled text's variable tail], written out by hand.
  const table: Array<[Record<string, unknown>, string]> = [
    [{ n: 3, state: 'rectifying', ledgerNo: 'WB1', seq: 2 }, '"data":{"n":3},"fromState":"rectifying","ledgerNo":"WB1","seq":2,"toState":"rectifying"'],
    [{ n: null, state: 'assigned', ledgerNo: 'A"\\b', seq: 1 }, '"data":{"n":null},"fromState":"assigned","ledgerNo":"A\\"\\\\b","seq":1,"toState":"assigned"'],
    [{ n: -1, state: 'x', ledgerNo: '甲\n乙', seq: 10 }, '"data":{"n":-1},"fromState":"x","ledgerNo":"甲\\n乙","seq":10,"toState":"x"'],
  ];
  it.each(table)('fills %j', (values, tail) => {
    const text = fillTemplate(parts, values);
    expect(text).toContain(tail);
    const { n, state, ledgerNo, seq } = values;
    expect(text).toBe(canonicalJson({ ...event, ledgerNo, seq, fromState: state, toState: state, data: { n } }));
  });

  it('refuses a sentinel that does not occur in the text', () => {
    expect(() => canonicalTemplate(event, { missing: '@@M@@' })).toThrow('sentinel does not occur');
  });
});
