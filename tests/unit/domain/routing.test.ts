/** Where a classified demand goes: the routing table's default unit and the lead unit (domain/routing.ts, terms.ts). */
import { leadUnitOf, majorCodeOf, routeUnit, uncoveredMinorCategories } from '../../../plugins/complaints/server/src/domain/routing';
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

describe('minor categories the routing table does not cover', () => {
  const categories = [
    { code: '01', tier: 'major' },
    { code: '0101', tier: 'minor' },
    { code: '0102', tier: 'minor' },
    { code: '09', tier: 'major' },
    { code: '0901', tier: 'minor' },
  ];
  const towns = ['城关镇', '东坝镇'];
  const perTown = [
    { categoryCode: '0101', town: '城关镇' },
    { categoryCode: '0101', town: '东坝镇' },
  ];
  it.each([
    ['no rules: every minor, in every town (majors are never routed)', [], towns, [{ code: '0101', towns }, { code: '0102', towns }, { code: '0901', towns }]],
    ['a rule per town covers its minor', perTown, towns, [{ code: '0102', towns }, { code: '0901', towns }]],
    ['an every-town rule (null) covers its minor', [{ categoryCode: '0102', town: null }], towns, [{ code: '0101', towns }, { code: '0901', towns }]],
    ['an every-town rule (empty) covers its minor', [{ categoryCode: '0901', town: '' }], towns, [{ code: '0101', towns }, { code: '0102', towns }]],
    ['one town missing: that town is named', [{ categoryCode: '0101', town: '东坝镇' }, { categoryCode: '0102', town: null }, { categoryCode: '0901', town: null }], towns, [{ code: '0101', towns: ['城关镇'] }]],
    ['a rule for a town not of the county covers nothing', [{ categoryCode: '0101', town: '西山镇' }, { categoryCode: '0102', town: null }, { categoryCode: '0901', town: null }], towns, [{ code: '0101', towns }]],
    ['every minor covered: none', [...perTown, { categoryCode: '0102', town: null }, { categoryCode: '0901', town: null }], towns, []],
    ['a rule for a major covers none of its minors', [...perTown, { categoryCode: '09', town: null }, { categoryCode: '0102', town: null }], towns, [{ code: '0901', towns }]],
    ['no towns given: nothing to route, nothing uncovered', perTown, [], []],
  ] as const)('%s', (_name, rules, t, expected) => {
    expect(uncoveredMinorCategories(categories, rules, t)).toEqual(expected);
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
