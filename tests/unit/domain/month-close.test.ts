import {
  compareSnapshots, eventMayChangeFigures, parseClosableMonth, parseCorrectionReason, snapshotFromSheetRows, snapshotHash, snapshotText, textPieces, verifyCloses,
  type MonthSnapshot, type SnapshotGroup, type StoredClose,
} from '../../../plugins/complaints/server/src/domain/month-close';
import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';
import { canonicalJson, sha256Hex } from '../../../plugins/complaints/server/src/domain/history-chain';
import { emptyCounts } from '../../../plugins/complaints/server/src/domain/rates';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : `other:${(e as Error).message}`;
  }
  return 'accepted';
};

describe('only a month that has ended may be closed (today is a county day)', () => {
  it.each([
    ['2026-11', '2026-12-01', 'accepted'],
    ['2026-11', '2026-12-31', 'accepted'],
    ['2025-12', '2026-01-01', 'accepted'],
    ['2026-11', '2026-11-30', 'month_not_over'],
    ['2026-12', '2026-12-02', 'month_not_over'],
    ['2027-01', '2026-12-02', 'month_not_over'],
    ['2026-13', '2027-02-01', 'invalid_input'],
    ['2026-1', '2027-02-01', 'invalid_input'],
    [202611, '2027-02-01', 'invalid_input'],
    [undefined, '2027-02-01', 'invalid_input'],
  ])('%s on %s → %s', (month, today, code) => {
    expect(codeOf(() => parseClosableMonth(month, today))).toBe(code);
  });
});

describe('a correction needs a reason of 4 to 500 characters', () => {
  it.each([
    ['漏算了两件迟到的回访', 'accepted'],
    ['  补录回访  ', 'accepted'],
    ['补录', 'invalid_input'],
    ['   ', 'invalid_input'],
    ['x'.repeat(501), 'invalid_input'],
    [42, 'invalid_input'],
    [undefined, 'invalid_input'],
  ])('%j → %s', (reason, code) => {
    expect(codeOf(() => parseCorrectionReason(reason))).toBe(code);
  });

  it('keeps the reason trimmed', () => {
    expect(parseCorrectionReason('  补录回访  ')).toBe('补录回访');
  });
});

describe('the stored text is canonical JSON and the hash its SHA-256', () => {
  it('sorted keys, no whitespace; the hash as sha256sum computes it', () => {
    const s = { version: 1, month: '2026-11', previous: null, format: 'minyi-month-close/1' } as unknown as MonthSnapshot;
    expect(snapshotText(s)).toBe('{"format":"minyi-month-close/1","month":"2026-11","previous":null,"version":1}');
    // printf '%s' '{"format":"minyi-month-close/1","month":"2026-11","previous":null,"version":1}' | sha256sum
    expect(snapshotHash(s)).toBe('bbb79a21dc628e54fcc0ad1a3664f9d949b2b062f2cce094d4e1c90df690e95f');
  });
});

const group = (key: string | null, name: string | null, counts: Partial<ReturnType<typeof emptyCounts>> = {}, answered = 0, satisfied = 0): SnapshotGroup => ({
  key, name, counts: { ...emptyCounts(), ...counts }, satisfaction: { answered, satisfied, basicallySatisfied: 0, dissatisfied: answered - satisfied },
});

const snapshot = (version: number, previous: { version: number; hash: string } | null, reason: string | null): MonthSnapshot => ({
  format: 'minyi-month-close/1',
  month: '2026-11',
  version,
  timeZone: 'Asia/Shanghai',
  asOf: '2026-12-01',
  closedAt: '2026-12-01T02:00:00.000Z',
  closedBy: '县整治办',
  reason,
  previous,
  totals: { counts: { ...emptyCounts(), valid: 3, resolved: 2 }, satisfaction: { answered: 2, satisfied: 1, basicallySatisfied: 0, dissatisfied: 1 } },
  groups: {
    unit: [group('U1', '城关镇', { valid: 2, resolved: 1 }, 1, 1), group('U2', '东坝镇', { valid: 1, resolved: 1 }, 1, 0)],
    leadUnit: [group('L1', '住建局', { valid: 3, resolved: 2 }, 2, 1)],
    category: [group('0101', '路灯', { valid: 3, resolved: 2 }, 2, 1)],
    town: [group('城关镇', '城关镇', { valid: 2, resolved: 1 }, 1, 1), group('东坝镇', '东坝镇', { valid: 1, resolved: 1 }, 1, 0)],
  },
});

const storedOf = (s: MonthSnapshot): StoredClose => {
  const text = canonicalJson(s);
  return { month: s.month, version: s.version, snapshot: text, hash: sha256Hex(text), previousHash: s.previous?.hash ?? null };
};

const chain = (): StoredClose[] => {
  const v1 = storedOf(snapshot(1, null, null));
  const v2 = storedOf(snapshot(2, { version: 1, hash: v1.hash }, '补录两件迟到的回访'));
  return [v1, v2];
};

describe('verifying the stored versions of a month', () => {
  const cases: Array<[string, (rows: StoredClose[]) => StoredClose[], Array<{ version: number; kind: string }>]> = [
    ['intact', (r) => r, []],
    ['intact, read in another order', (r) => [r[1], r[0]], []],
    ['a count changed in the text', (r) => [{ ...r[0], snapshot: r[0].snapshot.replace('"resolved":2', '"resolved":3') }, r[1]], [{ version: 1, kind: 'hash' }]],
    ['a count changed and the hash recomputed: the next version no longer links to it', (r) => {
      const text = r[0].snapshot.replace('"resolved":2', '"resolved":3');
      return [{ ...r[0], snapshot: text, hash: sha256Hex(text) }, r[1]];
    }, [{ version: 2, kind: 'chain' }]],
    ['rewritten with spaces and its hash recomputed', (r) => {
      const text = JSON.stringify(JSON.parse(r[1].snapshot), null, 1);
      return [r[0], { ...r[1], snapshot: text, hash: sha256Hex(text) }];
    }, [{ version: 2, kind: 'not_canonical' }]],
    ['the first version removed', (r) => [r[1]], [{ version: 2, kind: 'gap' }, { version: 2, kind: 'chain' }]],
    ['not JSON', (r) => [{ ...r[0], snapshot: '{"month":' }, r[1]], [{ version: 1, kind: 'not_json' }]],
    ['a record moved to another month', (r) => [{ ...r[0], month: '2026-10' }, r[1]], [{ version: 1, kind: 'header' }]],
    ['the record names another previous hash', (r) => [r[0], { ...r[1], previousHash: '0'.repeat(64) }], [{ version: 2, kind: 'chain' }]],
  ];
  it.each(cases)('%s', (_name, change, expected) => {
    expect(verifyCloses('2026-11', change(chain()))).toEqual(expected);
  });

  it('a correction without a reason is a problem', () => {
    const v1 = storedOf(snapshot(1, null, null));
    const v2 = storedOf(snapshot(2, { version: 1, hash: v1.hash }, null));
    expect(verifyCloses('2026-11', [v1, v2])).toEqual([{ version: 2, kind: 'no_reason' }]);
  });
});

describe('frozen against live: every count that differs, per group', () => {
  it('a late answer and a reopen in one unit, a complaint of a new town', () => {
    const frozen = snapshot(1, null, null);
    const live = snapshot(1, null, null);
    live.totals = { counts: { ...emptyCounts(), valid: 4, resolved: 2, reopened: 1 }, satisfaction: { answered: 3, satisfied: 1, basicallySatisfied: 0, dissatisfied: 2 } };
    live.groups.unit[1] = group('U2', '东坝镇', { valid: 1, resolved: 1, reopened: 1 }, 2, 0);
    live.groups.town.push(group('西河镇', '西河镇', { valid: 1 }));
    // The lead unit and category groups stay as frozen in this fixture: only the listed ones differ.
    expect(compareSnapshots(frozen, live)).toEqual([
      { dimension: 'total', key: null, name: null, field: 'valid', frozen: 3, live: 4 },
      { dimension: 'total', key: null, name: null, field: 'reopened', frozen: 0, live: 1 },
      { dimension: 'total', key: null, name: null, field: 'satisfaction.answered', frozen: 2, live: 3 },
      { dimension: 'total', key: null, name: null, field: 'satisfaction.dissatisfied', frozen: 1, live: 2 },
      { dimension: 'unit', key: 'U2', name: '东坝镇', field: 'reopened', frozen: 0, live: 1 },
      { dimension: 'unit', key: 'U2', name: '东坝镇', field: 'satisfaction.answered', frozen: 1, live: 2 },
      { dimension: 'unit', key: 'U2', name: '东坝镇', field: 'satisfaction.dissatisfied', frozen: 1, live: 2 },
      { dimension: 'town', key: '西河镇', name: '西河镇', field: 'valid', frozen: 0, live: 1 },
    ]);
  });

  it('no difference between a snapshot and itself', () => {
    expect(compareSnapshots(snapshot(1, null, null), snapshot(1, null, null))).toEqual([]);
  });
});

describe('which history events may change a figure', () => {
  it.each([
    ['reopen', true],
    ['survey_answered', true],
    ['confirm_reopen', true],
    ['accept', true],
    ['assign', true],
    ['corrected', true],
    ['warning_changed', false],
    ['survey_opened', false],
    ['survey_reminded', false],
    ['sms_opted_out', false],
    ['evidence_added', false],
    ['reopen_requested', false],
  ])('%s → %s', (type, expected) => {
    expect(eventMayChangeFigures(type)).toBe(expected);
  });
});

describe('the snapshot text in spreadsheet cells: pieces that join to the text, none starting like a formula', () => {
  it.each([
    ['abcdef', 4, ['abcd', 'ef']],
    ['abcdef', 3, ['abc', 'def']],
    ['ab-cd', 2, ['a', 'b-', 'cd']],
    ['ab=+cd', 2, ['a', 'b=+', 'cd']],
    ['a---b', 2, ['a---', 'b']],
    ['', 4, []],
    ['{"a":-1}', 5, ['{"a"', ':-1}']],
  ])('%j in pieces of %i', (text, size, pieces) => {
    expect(textPieces(text, size)).toEqual(pieces);
    expect(textPieces(text, size).join('')).toBe(text);
  });
});

describe('the 封账快照 sheet read back: the stated hash and the joined text', () => {
  it.each([
    ['the sheet as written', [['项目', '内容'], ['月份', '2026-11'], ['SHA-256', 'ab12'], ['快照 1/2', '{"a":'], ['快照 2/2', '-1}']], { hash: 'ab12', text: '{"a":-1}' }],
    ['another sheet (its header)', [['受理编号', '内容'], ['SHA-256', 'ab12']], null],
    ['no hash line', [['项目', '内容'], ['快照 1/1', '{}']], null],
    ['empty', [], null],
  ])('%s', (_name, rows, expected) => {
    expect(snapshotFromSheetRows(rows as Array<[string, string]>)).toEqual(expected);
  });
});
