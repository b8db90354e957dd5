/** Where a classified demand goes: the routing table's default unit and the lead unit (domain/routing.ts, terms.ts). */
import { leadUnitOf, majorCodeOf, routeUnit } from '../../../plugins/complaints/server/src/domain/routing';
import { missingAspects, requiredAspectsFor } from '../../../plugins/complaints/server/src/domain/terms';

describe('routing table: a rule for the town wins over the rule for every town', () => {
  const rules = [
    { town: null, unitId: 1 },
    { town: '南山镇', unitId: 2 },
    { town: '', unitId: 3 },
  ];
  it.each([
    ['a town with its own rule', rules, '南山镇', 2],
    ['a town without one takes the every-town rule (the first listed)', rules, '城关镇', 1],
    ['a complaint without a town takes the every-town rule', rules, null, 1],
    ['an empty town on a rule means every town', [{ town: '', unitId: 3 }], '东坝镇', 3],
    ['only town rules, another town: no default', [{ town: '南山镇', unitId: 2 }], '城关镇', null],
    ['no rules: no default', [], '南山镇', null],
  ] as const)('%s', (_name, table, town, expected) => {
    expect(routeUnit(table, town)).toBe(expected);
  });
});

describe('lead unit: the minor category\'s own, else its major\'s', () => {
  it.each([
    ['own lead unit', { tier: 'minor', leadUnitId: 5 }, { leadUnitId: 6 }, 5],
    ['falls back to the major', { tier: 'minor', leadUnitId: null }, { leadUnitId: 6 }, 6],
    ['neither has one', { tier: 'minor', leadUnitId: null }, { leadUnitId: null }, null],
    ['no major found', { tier: 'minor', leadUnitId: null }, null, null],
    ['a major category does not fall back', { tier: 'major', leadUnitId: null }, { leadUnitId: 6 }, null],
  ] as const)('%s', (_name, category, major, expected) => {
    expect(leadUnitOf(category, major)).toBe(expected);
  });
  it('the major of 0101 is 01', () => expect(majorCodeOf('0101')).toBe('01'));
});

describe('evidence a mode requires', () => {
  const config = { immediate: [], deadline: ['funds'], phased: ['funds', 'project'], policy_limited: ['policy'] };
  it.each([
    ['deadline', ['funds']],
    ['phased', ['funds', 'project']],
    ['immediate', []],
    [null, []],
    ['unknown', []],
  ] as const)('%s requires %j', (mode, expected) => {
    expect(requiredAspectsFor(mode, config)).toEqual(expected);
  });
  it('missing aspects are those required and not recorded', () => {
    expect(missingAspects(['funds', 'other'], ['funds', 'project'])).toEqual(['project']);
    expect(missingAspects(['project', 'funds'], ['funds', 'project'])).toEqual([]);
  });
});
