import { csvCell, escapeFormula } from '../../../plugins/complaints/server/src/domain/spreadsheet-safety';

describe('formula-looking text is escaped with an apostrophe', () => {
  // [value, written]
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+86 138', "'+86 138"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['a=b', 'a=b'],
    [' =1', ' =1'],
    ['', ''],
    [12, 12],
    [null, null],
  ])('%j → %j', (value, written) => {
    expect(escapeFormula(value)).toBe(written);
  });
});

describe('a CSV cell', () => {
  // [value, cell text]
  it.each([
    ['2026-03-01', '2026-03-01'],
    [42, '42'],
    [0, '0'],
    [null, ''],
    [undefined, ''],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['-5', "'-5"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
