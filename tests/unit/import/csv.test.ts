import { CsvParser } from '../../../plugins/complaints/server/src/import/csv';

const parse = (text: string, chunk = Infinity): string[][] => {
  const p = new CsvParser();
  const out: string[][] = [];
  for (let i = 0; i < text.length; i += chunk === Infinity ? text.length : chunk) out.push(...p.push(text.slice(i, i + (chunk === Infinity ? text.length : chunk))));
  out.push(...p.end());
  return out;
};

describe('CSV as Excel writes it', () => {
  const text = '诉求编号,诉求内容,备注\r\nA1,"东街路灯坏了，""三个月""了",\r\nA2,"第一行\r\n第二行",=1+1\r\n';
  const expected = [
    ['诉求编号', '诉求内容', '备注'],
    ['A1', '东街路灯坏了，"三个月"了', ''],
    ['A2', '第一行\r\n第二行', '=1+1'],
  ];

  it('reads quoted cells with commas, quotes and line breaks', () => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([1, 2, 3, 7])('gives the same records when fed %i characters at a time', (size) => {
    expect(parse(text, size)).toEqual(expected);
  });

  it('accepts LF and CR line ends and a last line without a line break', () => {
    expect(parse('a,b\nc,d\re,f')).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f']]);
  });

  it('keeps blank lines as blank records (the importer skips them)', () => {
    expect(parse('a,b\n\nc,d\n')).toEqual([['a', 'b'], [''], ['c', 'd']]);
  });

  it('detects a tab or semicolon delimiter from the first line', () => {
    expect(parse('诉求编号\t诉求内容\nA1\t路灯,坏了\n')).toEqual([['诉求编号', '诉求内容'], ['A1', '路灯,坏了']]);
    expect(parse('a;b;c\n1;2,5;3\n')).toEqual([['a', 'b', 'c'], ['1', '2,5', '3']]);
  });

  it('reads an empty quoted cell and a quoted last cell', () => {
    expect(parse('"",x,"y"')).toEqual([['', 'x', 'y']]);
  });
});
