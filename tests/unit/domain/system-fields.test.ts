import { findSystemFieldChanges, systemFieldsOnCreate } from '../../../plugins/complaints/server/src/domain/system-fields';

describe('system fields', () => {
  const stored = { id: 7, documentId: 'abc', createdAt: 1714962600000, updatedAt: '2024-05-06T02:30:00.000Z', publishedAt: null };
  const cases: Array<[string, Record<string, unknown>, string[], string[]]> = [
    ['none in the patch', { summary: 'x' }, [], []],
    ['the same ids and timestamps sent back', { id: '7', documentId: 'abc', createdAt: '2024-05-06T02:30:00.000Z' }, [], ['id', 'documentId', 'createdAt']],
    ['a new documentId', { documentId: 'forged' }, ['documentId'], []],
    ['a new id', { id: 8 }, ['id'], []],
    ['a new createdAt', { createdAt: '2001-01-01T00:00:00.000Z' }, ['createdAt'], []],
    ['an empty value sets nothing', { documentId: null, locale: undefined }, [], ['documentId', 'locale']],
  ];
  it.each(cases)('%s', (_label, patch, changed, unchanged) => {
    expect(findSystemFieldChanges(stored, patch)).toEqual({ changed, unchanged });
  });

  it('may not be given on create', () => {
    expect(systemFieldsOnCreate({ ledgerNo: 'A', documentId: 'x', id: 3, createdAt: null })).toEqual(['id', 'documentId']);
    expect(systemFieldsOnCreate({ ledgerNo: 'A' })).toEqual([]);
  });
});
