import { badIdFilter, inputRefusalFor, parsePositiveId, urlHasNul, valueHasNul } from '../../../plugins/complaints/server/src/domain/bad-input';

describe('parsePositiveId', () => {
  it.each([
    ['1', 1], ['2147483647', 2147483647], [42, 42],
    ['0', null], ['-1', null], ['01', null], ['1.5', null], ['1e3', null], ['2147483648', null], ['99999999999999999999', null],
    [1e30, null], [Infinity, null], [NaN, null], ['abc', null], ['', null], [null, null], [[1], null], [{}, null],
  ] as Array<[unknown, number | null]>)('%p → %p', (input, expected) => {
    expect(parsePositiveId(input)).toBe(expected);
  });
});

describe('NUL bytes', () => {
  it.each([
    ['/complaints/x%00', true], ['/a?b=%00', true], ['/a?b=%0a', false], ['/a\u0000b', true], ['/complaints/abc?x=1', false], ['/a?b=%2500', false],
  ])('url %p → %p', (url, expected) => expect(urlHasNul(url)).toBe(expected));
  it.each([
    [{ a: 'x\u0000' }, true], [{ ['k\u0000']: 1 }, true], [[['a', ['b\u0000']]], true], [{ a: 'x', b: [1, null, true] }, false], ['plain', false], [undefined, false],
  ] as Array<[unknown, boolean]>)('value %p → %p', (value, expected) => expect(valueHasNul(value)).toBe(expected));
});

describe('badIdFilter', () => {
  it.each([
    [{ id: { $eq: 'abc' } }, true], [{ id: 'abc' }, true], [{ id: { $eq: '99999999999999999999' } }, true], [{ id: { $in: ['1', 'x'] } }, true],
    [{ $and: [{ category: { id: { $eq: '1.5' } } }] }, true], [{ id: { $null: 'maybe' } }, true],
    [{ id: { $eq: '12' } }, false], [{ id: { $in: ['1', '2'] } }, false], [{ id: { $null: 'true' } }, false], [{ town: { $eq: 'abc' } }, false],
    [{ $or: [{ id: { $lt: '100' } }, { id: 7 }] }, false], [undefined, false],
  ] as Array<[unknown, boolean]>)('%j → %p', (filters, expected) => expect(badIdFilter(filters)).toBe(expected));
});

describe('inputRefusalFor', () => {
  const syntax = Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400 });
  it.each([
    ['PostgreSQL invalid text representation', { code: '22P02' }, 400, 'invalid_value'],
    ['PostgreSQL numeric out of range', { code: '22003' }, 400, 'invalid_value'],
    ['PostgreSQL datetime overflow', { code: '22008' }, 400, 'invalid_value'],
    ['SQLite datatype mismatch', { code: 'SQLITE_MISMATCH' }, 400, 'invalid_value'],
    ['Strapi invalid date', { name: 'InvalidDateFormat' }, 400, 'invalid_value'],
    ['co-body malformed JSON', syntax, 400, 'malformed_body'],
    ['raw-body too large', { status: 413, type: 'entity.too.large' }, 413, 'body_too_large'],
    ['formidable bad multipart', { httpCode: 400, code: 1002 }, 400, 'malformed_body'],
  ] as Array<[string, unknown, number, string]>)('%s → %p %p', (_what, error, status, code) => {
    expect(inputRefusalFor(error)).toMatchObject({ status, code });
  });
  it.each([
    ['a unique violation (a conflict, not bad input)', { code: '23505' }],
    ['a lost connection', { code: 'ECONNRESET' }],
    ['a missing table', { code: '42P01' }],
    ['SQLite busy', { code: 'SQLITE_BUSY' }],
    ['a plain TypeError', new TypeError('x is undefined')],
    ['a 500 from formidable', { httpCode: 500 }],
    ['a status 400 on an unrelated error', Object.assign(new Error('x'), { status: 400 })],
    ['nothing', undefined],
  ] as Array<[string, unknown]>)('%s → null', (_what, error) => {
    expect(inputRefusalFor(error)).toBeNull();
  });
});
