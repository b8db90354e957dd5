import {
  drawSample, parseCheckResult, parseDrawRequest, quota, reopenReason, sampleKey, spotCheckReport, type FrameMember,
} from '../../../plugins/complaints/server/src/domain/spot-check';
import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? `${e.code}:${String(e.details.field ?? '')}` : `other:${(e as Error).message}`;
  }
  return 'accepted';
};

describe('the sample key is SHA-256 of seed, line feed, ledger number (hex)', () => {
  // Computed apart: printf 'alpha\nSPOT-A1' | sha256sum
  it.each([
    ['alpha', 'SPOT-A1', '009c8160d53ce09ef38a8962d0564de09eb4deb125dd9392b88b257f3bb99f6e'],
    ['种子', '诉求-1', '640fa3a780d4369e6ce63a63570083ab830b14c252a486b6039321596825c080'],
  ])('%s / %s', (seed, ledgerNo, key) => {
    expect(sampleKey(seed, ledgerNo)).toBe(key);
  });
});

describe('how many of a unit are drawn: max(minimum, ceil(n × percent ÷ 100)), at most n', () => {
  // [closed, percent, minimum, drawn]
  it.each([
    [0, 10, 1, 0],
    [1, 10, 1, 1],
    [9, 10, 1, 1],
    [10, 10, 1, 1],
    [11, 10, 1, 2],
    [30, 10, 1, 3],
    [29, 10, 1, 3],
    [3, 50, 1, 2],
    [2, 10, 3, 2],
    [100, 10, 20, 20],
    [7, 100, 1, 7],
    [1000, 1, 1, 10],
  ])('%i closed at %i%% with at least %i → %i', (n, percent, min, drawn) => {
    expect(quota(n, percent, min)).toBe(drawn);
  });
});

// The keys by hand (python hashlib): under "alpha" A1 < A2 < A3 and B1 < B2; under "gamma" A2 < A1 < A3 and B2 < B1.
const FRAME: FrameMember[] = [
  { complaintId: 1, ledgerNo: 'SPOT-A1', unitId: 7 },
  { complaintId: 2, ledgerNo: 'SPOT-A2', unitId: 7 },
  { complaintId: 3, ledgerNo: 'SPOT-A3', unitId: 7 },
  { complaintId: 4, ledgerNo: 'SPOT-B1', unitId: 3 },
  { complaintId: 5, ledgerNo: 'SPOT-B2', unitId: 3 },
];

describe('the draw, stratified by unit', () => {
  // [seed, percent, minimum, drawn ledger numbers (units in id order, then rank)]
  it.each([
    ['alpha', 10, 1, ['SPOT-B1', 'SPOT-A1']],
    ['gamma', 10, 1, ['SPOT-B2', 'SPOT-A2']],
    ['alpha', 50, 1, ['SPOT-B1', 'SPOT-A1', 'SPOT-A2']],
    ['gamma', 10, 2, ['SPOT-B2', 'SPOT-B1', 'SPOT-A2', 'SPOT-A1']],
    ['alpha', 100, 1, ['SPOT-B1', 'SPOT-B2', 'SPOT-A1', 'SPOT-A2', 'SPOT-A3']],
  ])('seed %s at %i%%, at least %i', (seed, percent, minPerUnit, drawn) => {
    expect(drawSample(FRAME, { seed, percent, minPerUnit }).members.map((m) => m.ledgerNo)).toEqual(drawn);
  });

  it('the same seed gives the same sample whatever order the frame comes in; every unit has one', () => {
    const a = drawSample(FRAME, { seed: 'alpha', percent: 10, minPerUnit: 1 });
    const b = drawSample([...FRAME].reverse(), { seed: 'alpha', percent: 10, minPerUnit: 1 });
    expect(b).toEqual(a);
    expect(a.units).toEqual([{ unitId: 3, closed: 2, drawn: 1 }, { unitId: 7, closed: 3, drawn: 1 }]);
    expect(a.members.map((m) => [m.ledgerNo, m.rank, m.key])).toEqual([
      ['SPOT-B1', 1, sampleKey('alpha', 'SPOT-B1')],
      ['SPOT-A1', 1, '009c8160d53ce09ef38a8962d0564de09eb4deb125dd9392b88b257f3bb99f6e'],
    ]);
  });

  it('complaints without a unit are a stratum of their own, drawn last; an empty frame draws nothing', () => {
    const d = drawSample([...FRAME, { complaintId: 9, ledgerNo: 'SPOT-N1', unitId: null }], { seed: 'alpha', percent: 10, minPerUnit: 1 });
    expect(d.members.map((m) => m.ledgerNo)).toEqual(['SPOT-B1', 'SPOT-A1', 'SPOT-N1']);
    expect(drawSample([], { seed: 'alpha', percent: 10, minPerUnit: 1 })).toEqual({ members: [], units: [] });
  });
});

describe('the draw request', () => {
  const seed = () => 'generated1';
  it('defaults: 10%, at least 1, a generated seed', () => {
    expect(parseDrawRequest({ month: '2026-11' }, '2026-12', seed)).toEqual({ month: '2026-11', seed: 'generated1', percent: 10, minPerUnit: 1, generatedSeed: true });
    expect(parseDrawRequest({ month: '2026-11', seed: 'abc', percent: '25', minPerUnit: 2 }, '2026-12', seed)).toEqual({ month: '2026-11', seed: 'abc', percent: 25, minPerUnit: 2, generatedSeed: false });
  });

  // [body, refusal code:field]
  it.each([
    [null, 'invalid_body:'],
    [[1], 'invalid_body:'],
    [{}, 'invalid_input:month'],
    [{ month: '2026-13' }, 'invalid_input:month'],
    [{ month: '2026-12' }, 'month_not_over:month'],
    [{ month: '2027-01' }, 'month_not_over:month'],
    [{ month: '2026-11', seed: 'has space' }, 'invalid_input:seed'],
    [{ month: '2026-11', seed: 'x'.repeat(65) }, 'invalid_input:seed'],
    [{ month: '2026-11', seed: 12 }, 'invalid_input:seed'],
    [{ month: '2026-11', percent: 0 }, 'invalid_input:percent'],
    [{ month: '2026-11', percent: 101 }, 'invalid_input:percent'],
    [{ month: '2026-11', percent: '10.5' }, 'invalid_input:percent'],
    [{ month: '2026-11', minPerUnit: 0 }, 'invalid_input:minPerUnit'],
    [{ month: '2026-11', minPerUnit: [1] }, 'invalid_input:minPerUnit'],
  ])('%j → %s', (body, code) => {
    expect(codeOf(() => parseDrawRequest(body, '2026-12', seed))).toBe(code);
  });
});

describe('the inspector result', () => {
  it('pass, and fail with finding and deadline', () => {
    expect(parseCheckResult({ result: 'passed', note: ' 回访属实 ' })).toEqual({ result: 'passed', finding: null, note: '回访属实', deadline: null });
    expect(parseCheckResult({ result: 'failed', finding: 'not_real', deadline: '2027-01-10' })).toEqual({ result: 'failed', finding: 'not_real', note: null, deadline: '2027-01-10' });
    expect(parseCheckResult({ result: 'failed', finding: 'other', note: '现场照片为旧图', deadline: '2027-01-10' }).finding).toBe('other');
  });

  // [body, refusal code:field]
  it.each([
    [{ result: 'ok' }, 'invalid_input:result'],
    [{ result: 'passed', finding: 'not_real' }, 'invalid_input:finding'],
    [{ result: 'failed', deadline: '2027-01-10' }, 'invalid_input:finding'],
    [{ result: 'failed', finding: 'fake', deadline: '2027-01-10' }, 'invalid_input:finding'],
    [{ result: 'failed', finding: 'other', deadline: '2027-01-10' }, 'invalid_input:note'],
    [{ result: 'failed', finding: 'not_real' }, 'invalid_input:deadline'],
    [{ result: 'failed', finding: 'not_real', deadline: 20270110 }, 'invalid_input:deadline'],
    [{ result: 'passed', note: { a: 1 } }, 'invalid_input:note'],
    ['passed', 'invalid_body:'],
  ])('%j → %s', (body, code) => {
    expect(codeOf(() => parseCheckResult(body))).toBe(code);
  });

  it('the reopen reason names the month and the finding', () => {
    expect(reopenReason('2026-11', 'feedback_missing', null)).toBe('2026-11 抽查不合格：反馈不到位');
    expect(reopenReason('2026-11', 'other', '照片为旧图')).toBe('2026-11 抽查不合格：其他。照片为旧图');
  });
});

describe('the monthly report per unit', () => {
  it('drawn, checked, passed, failed and failed by finding; units in id order, no unit last', () => {
    const r = spotCheckReport([
      { unitId: 7, result: 'failed', finding: 'not_real' },
      { unitId: 7, result: 'failed', finding: 'low_satisfaction' },
      { unitId: 7, result: 'pending', finding: null },
      { unitId: 3, result: 'passed', finding: null },
      { unitId: null, result: 'failed', finding: 'other' },
    ]);
    const zero = { not_real: 0, feedback_missing: 0, low_satisfaction: 0, other: 0 };
    expect(r.units).toEqual([
      { unitId: 3, drawn: 1, checked: 1, passed: 1, failed: 0, byFinding: zero },
      { unitId: 7, drawn: 3, checked: 2, passed: 0, failed: 2, byFinding: { ...zero, not_real: 1, low_satisfaction: 1 } },
      { unitId: null, drawn: 1, checked: 1, passed: 0, failed: 1, byFinding: { ...zero, other: 1 } },
    ]);
    expect(r.total).toEqual({ unitId: null, drawn: 5, checked: 4, passed: 1, failed: 3, byFinding: { not_real: 1, feedback_missing: 0, low_satisfaction: 1, other: 1 } });
  });
});
