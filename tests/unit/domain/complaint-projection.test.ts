import {
  hiddenFieldsQueried,
  projectForRole,
  queriedFieldNames,
  seesFullPhones,
  seesWholeCounty,
} from '../../../plugins/complaints/server/src/domain/complaint-projection';

describe('who sees full phones and the whole county', () => {
  const cases: Array<[string[], boolean, boolean]> = [
    [['minyi-county-office'], true, true],
    [['minyi-unit-operator'], true, false],
    [['minyi-lead-unit'], false, false],
    [['minyi-unit-head'], false, false],
    [['minyi-county-leader'], false, true],
    [['strapi-super-admin'], true, true],
    [['strapi-editor'], false, false],
    [[], false, false],
    [['minyi-unit-head', 'minyi-unit-operator'], true, false],
  ];
  it.each(cases)('%j → full phones %s, whole county %s', (codes, full, whole) => {
    expect([seesFullPhones(codes), seesWholeCounty(codes)]).toEqual([full, whole]);
  });
});

describe('projectForRole', () => {
  const tree = {
    results: [
      { ledgerNo: 'A-1', phone: '13912340001', rawRow: { 电话: '13912340001' }, complainantName: '张三', content: '路灯' },
      { text: '措施', complaint: { ledgerNo: 'A-2', phone: '057188001234', rawRow: '{}' } },
      { field: 'phone', value: '13912340009', reason: '登记错误' },
      { field: 'town', value: '东坝镇' },
      { field: 'rawRow', value: '{"电话":"13912340001"}' },
    ],
    pagination: { total: 5 },
  };

  it('masks every phone, drops raw rows, masks corrected phones, keeps the rest (masked role)', () => {
    expect(projectForRole(tree, false)).toEqual({
      results: [
        { ledgerNo: 'A-1', phone: '139****0001', complainantName: '张三', content: '路灯' },
        { text: '措施', complaint: { ledgerNo: 'A-2', phone: '057****1234' } },
        { field: 'phone', value: '139****0009', reason: '登记错误' },
        { field: 'town', value: '东坝镇' },
        { field: 'rawRow', value: null },
      ],
      pagination: { total: 5 },
    });
  });

  it('changes nothing for a role that sees full phones, and never mutates its input', () => {
    const copy = JSON.parse(JSON.stringify(tree));
    expect(projectForRole(tree, true)).toBe(tree);
    projectForRole(tree, false);
    expect(tree).toEqual(copy);
  });

  it('leaves a null phone null', () => {
    expect(projectForRole({ phone: null }, false)).toEqual({ phone: null });
  });
});

describe('queries on hidden fields', () => {
  const cases: Array<[string, Record<string, unknown>, boolean, string[]]> = [
    ['sort string', { sort: 'phone:ASC' }, false, ['phone']],
    ['sort list', { sort: ['ledgerNo:asc', 'complaint.phone:desc'] }, false, ['phone']],
    ['sort object', { sort: { rawRow: 'asc' } }, false, ['rawRow']],
    ['filter', { filters: { phone: { $startsWith: '139' } } }, false, ['phone']],
    ['nested filter', { filters: { $and: [{ complaint: { phone: { $eq: '1' } } }] } }, false, ['phone']],
    ['search with digits', { _q: '1391234' }, false, ['phone']],
    ['search with three digits', { _q: '3号楼' }, false, []],
    ['visible sort', { sort: 'ledgerNo:ASC', filters: { town: { $eq: '城关镇' } } }, false, []],
    ['full-phone role', { sort: 'phone:ASC', _q: '13912340001' }, true, []],
  ];
  it.each(cases)('%s', (_label, query, full, expected) => {
    expect(hiddenFieldsQueried(query, full)).toEqual(expected);
  });

  it('names every sorted and filtered attribute, not operators', () => {
    expect(queriedFieldNames({ sort: 'a:asc,b.c:desc', filters: { $or: [{ d: { $eq: 1 } }, { e: { f: { $in: [1] } } }] } }).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('a digit search on a type without a phone', () => {
  it('is allowed (category codes such as 0101)', () => {
    expect(hiddenFieldsQueried({ _q: '0101' }, false, { searchesPhone: false })).toEqual([]);
    expect(hiddenFieldsQueried({ _q: '0101' }, false, { searchesPhone: true })).toEqual(['phone']);
  });
});
