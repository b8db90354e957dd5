import { batchSizeFor, insertWidth } from '../../../plugins/complaints/server/src/services/bulk';

describe('insertWidth', () => {
  it.each([
    ['no rows', [], 0],
    ['one row', [{ a: 1, b: 2 }], 2],
    ['a narrow first row and a wide later one', [{ a: 1 }, { a: 1, b: 2, c: 3 }], 3],
    ['rows with disjoint keys', [{ a: 1 }, { b: 2 }, { c: 3, d: 4 }], 4],
    ['an undefined value still binds its column', [{ a: undefined }, { b: 1 }], 2],
  ])('%s', (_name, rows, width) => {
    expect(insertWidth(rows as Array<Record<string, unknown>>)).toBe(width);
  });
});

describe('batchSizeFor keeps every statement under the driver limits', () => {
  it.each([
    // 60,000 / 31 = 1,935 rows: 59,985 parameters
    ['postgres', 31, 1935],
    ['postgres', 1, 5000],
    // SQLite: at most 500 rows a statement (compound SELECT), and 30,000 parameters
    ['sqlite', 31, 500],
    ['sqlite', 100, 300],
  ])('%s, %i columns → %i rows', (client, columns, rows) => {
    expect(batchSizeFor(columns, client)).toBe(rows);
  });
});
