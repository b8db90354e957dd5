/**
 * The filter module's parser (domain/filters.ts): each of the 25 filters with one good and one
 * bad value; an unknown filter, a personal field, too many values, an inverted range and the
 * dimensions of the counts, each refused with its message in Chinese and English.
 */
import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';
import { FILTER_NAMES, FILTERS, parseCountsRequest, parseDimensions, parseFilters } from '../../../plugins/complaints/server/src/domain/filters';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const d = e as DomainError;
    return { kind: d.kind, code: d.code, zh: d.zh, en: d.en, filter: d.details.filter };
  }
  return null;
};

/** name, a good raw value and what it parses to, a bad raw value. */
const TABLE: Array<[string, unknown, unknown, unknown]> = [
  ['ledgerNo', 'GZ2026*', { kind: 'prefix', value: 'GZ2026', prefix: true }, 'GZ*2026'],
  ['keyword', ' 路灯 ', { kind: 'text', value: '路灯' }, '   '],
  ['channel', 'hotline,web', { kind: 'enum', values: ['hotline', 'web'] }, 'fax'],
  ['receivedAt', '2026-01-01..2026-03-31', { kind: 'day-range', from: '2026-01-01', to: '2026-03-31' }, '2026-02-30..'],
  ['town', ['城关镇', '东坝镇'], { kind: 'exact', values: ['城关镇', '东坝镇'] }, '城关镇,,东坝镇'],
  ['village', '东街社区', { kind: 'exact', values: ['东街社区'] }, 'x'.repeat(101)],
  ['importBatch', 'IMP-1', { kind: 'exact', values: ['IMP-1'] }, { $eq: 'IMP-1' }],
  ['traceable', 'true', { kind: 'bool', value: true }, 'yes'],
  ['validity', 'valid', { kind: 'enum', values: ['valid'] }, 'screened'],
  ['invalidReason', 'duplicate', { kind: 'enum', values: ['duplicate'] }, 'spam'],
  ['majorCategory', '01', { kind: 'exact', values: ['01'] }, '0101'],
  ['minorCategory', '0101,0201', { kind: 'exact', values: ['0101', '0201'] }, '01'],
  ['level', 'township', { kind: 'enum', values: ['township'] }, 'province'],
  ['leadUnit', '3,4', { kind: 'id', values: [3, 4] }, '0'],
  ['responsibleUnit', '7', { kind: 'id', values: [7] }, '7.5'],
  ['nature', 'common', { kind: 'enum', values: ['common'] }, 'shared'],
  ['problemGroup', '12', { kind: 'id', values: [12] }, '99999999999'],
  ['mode', 'policy_limited', { kind: 'enum', values: ['policy_limited'] }, 'later'],
  ['state', 'assigned,accepted', { kind: 'enum', values: ['assigned', 'accepted'] }, 'open'],
  ['warningLevel', 'red', { kind: 'enum', values: ['red'] }, 'purple'],
  ['deadline', '..2026-06-30', { kind: 'day-range', from: null, to: '2026-06-30' }, '2026/06/30'],
  ['closedAt', '2026-05-04', { kind: 'day-range', from: '2026-05-04', to: '2026-05-04' }, '..'],
  ['satisfaction', 'dissatisfied,unanswered', { kind: 'enum', values: ['dissatisfied', 'unanswered'] }, 'happy'],
  ['reopened', 'false', { kind: 'bool', value: false }, ['true', 'false']],
  ['spotCheck', 'failed', { kind: 'enum', values: ['failed'] }, 'checked'],
];

describe('the 25 filters', () => {
  it('are the issue\'s 25, each in the table once', () => {
    expect(FILTER_NAMES).toHaveLength(25);
    expect(TABLE.map(([n]) => n)).toEqual([...FILTER_NAMES]);
  });

  it.each(TABLE)('%s: a good value parses, a bad one is a 400 naming the filter', (name, good, parsed, bad) => {
    expect(parseFilters({ [name]: good })).toEqual({ [name]: { name, ...(parsed as object) } });
    const r = refusal(() => parseFilters({ [name]: bad }));
    expect(r).toMatchObject({ kind: 'validation', code: 'bad_filter_value', filter: name });
    const label = FILTERS.find((f) => f.name === name)!.label;
    expect(r!.zh).toContain(`「${label.zh}」（${name}）的值无效`);
    expect(r!.en).toContain(`Bad value for filter "${label.en}" (${name})`);
  });

  it('several filters at once; an exact ledger number; values deduplicated', () => {
    expect(parseFilters({ ledgerNo: 'GZ-1', state: 'closed,closed', reopened: 'true' })).toEqual({
      ledgerNo: { name: 'ledgerNo', kind: 'prefix', value: 'GZ-1', prefix: false },
      state: { name: 'state', kind: 'enum', values: ['closed'] },
      reopened: { name: 'reopened', kind: 'bool', value: true },
    });
    expect(parseFilters({})).toEqual({});
  });
});

describe('refusals', () => {
  it('an unknown filter', () => {
    expect(refusal(() => parseFilters({ state: 'closed', colour: 'red' }))).toEqual({
      kind: 'validation', code: 'unknown_filter', zh: '未知的筛选条件：colour', en: 'Unknown filter: colour', filter: 'colour',
    });
  });

  it('a long unknown name is cut short in the message', () => {
    const r = refusal(() => parseFilters({ ['x'.repeat(60)]: '1' }));
    expect([r!.code, r!.en]).toEqual(['unknown_filter', `Unknown filter: ${'x'.repeat(40)}…`]);
  });

  it.each(['phone', 'complainantName', 'address', 'content', 'rawRow'])('a personal field: %s', (name) => {
    expect(refusal(() => parseFilters({ [name]: '1390000' }))).toEqual({
      kind: 'validation', code: 'private_filter', zh: `不能按个人信息筛选：${name}`, en: `Personal fields cannot be filtered on: ${name}`, filter: name,
    });
  });

  it('an inverted range', () => {
    expect(refusal(() => parseFilters({ receivedAt: '2026-03-01..2026-02-28' }))).toEqual({
      kind: 'validation', code: 'inverted_range', zh: '筛选条件「反映时间」（receivedAt）的开始日期晚于结束日期', en: 'Filter "Received" (receivedAt) starts after it ends', filter: 'receivedAt',
    });
    expect(parseFilters({ deadline: '2026-03-01..2026-03-01' }).deadline).toEqual({ name: 'deadline', kind: 'day-range', from: '2026-03-01', to: '2026-03-01' });
  });

  it('too many values: 51 refused, 50 accepted', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1)).join(',');
    expect(refusal(() => parseFilters({ responsibleUnit: ids(51) }))).toEqual({
      kind: 'validation', code: 'too_many_values', zh: '筛选条件「责任单位」（responsibleUnit）最多 50 个值', en: 'Filter "Responsible unit" (responsibleUnit) takes at most 50 values', filter: 'responsibleUnit',
    });
    expect((parseFilters({ responsibleUnit: ids(50) }).responsibleUnit as { values: number[] }).values).toHaveLength(50);
  });

  it('a one-value filter given twice', () => {
    expect(refusal(() => parseFilters({ keyword: ['路灯', '噪音'] }))).toMatchObject({ code: 'bad_filter_value', en: 'Bad value for filter "Keyword" (keyword): takes one value' });
  });

  it('the messages never repeat the value', () => {
    const r = refusal(() => parseFilters({ keyword: '张三家门口'.repeat(30) }));
    expect([r!.code, r!.zh.includes('张三'), r!.en.includes('张三')]).toEqual(['bad_filter_value', false, false]);
  });
});

describe('count dimensions', () => {
  it('one or two known dimensions', () => {
    expect(parseDimensions('unit')).toEqual(['unit']);
    expect(parseDimensions('unit,monthReceived')).toEqual(['unit', 'monthReceived']);
    expect(parseCountsRequest({ by: 'town', state: 'closed' })).toEqual({ by: ['town'], filters: { state: { name: 'state', kind: 'enum', values: ['closed'] } } });
  });

  it.each([
    [undefined, 'missing_dimension', '请指定分组维度（by）', 'Choose what to count by (by)'],
    ['colour', 'unknown_dimension', '未知的分组维度：colour', 'Unknown dimension: colour'],
    ['unit,town,state', 'too_many_dimensions', '最多按 2 个维度分组', 'Count by at most 2 dimensions'],
    ['unit,unit', 'bad_dimension', '分组维度不能重复', 'A dimension appears twice'],
    [['unit', 'town'], 'bad_dimension', '分组维度（by）只能写一次，用逗号分隔', 'Give "by" once, its dimensions separated by commas'],
  ])('by=%j is refused', (by, code, zh, en) => {
    expect(refusal(() => parseCountsRequest({ by }))).toEqual({ kind: 'validation', code, zh, en, filter: 'by' });
  });
});
