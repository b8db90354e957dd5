import { nextEvent } from '../../../plugins/complaints/server/src/domain/history-chain';
import { importedEvent, importedEventHasher } from '../../../plugins/complaints/server/src/domain/import-event';
import { escapeFormula } from '../../../plugins/complaints/server/src/domain/spreadsheet-safety';

describe('hashes of imported events', () => {
  const at = new Date('2026-11-27T08:00:00.123Z');
  const actors = [
    { kind: 'system' as const, name: 'system' },
    { kind: 'admin' as const, id: 7, name: '整治办 "王"', unitId: 3, unitName: '县整治办' },
  ];
  const ledgerNos = ['MY2024-001', 'A"1\\2', '路灯／东街', '2024000007', '\u2028x'];
  it.each(actors)('are the chain format of history-chain.ts for %p', (actor) => {
    const hash = importedEventHasher('IMP-20261127-160000-ab12', actor, at);
    for (const [i, ledgerNo] of ledgerNos.entries()) {
      const row = 4 + i * 1000;
      expect(hash(ledgerNo, row)).toBe(nextEvent(ledgerNo, 0, null, importedEvent('IMP-20261127-160000-ab12', row, actor, at)).hash);
    }
  });
});

describe('formula injection in files Minyi writes', () => {
  const table: Array<[unknown, unknown]> = [
    ['=1+1', "'=1+1"],
    ['+8613800000000', "'+8613800000000"],
    ['-3', "'-3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['东街 = 西街', '东街 = 西街'],
    [42, 42],
    [null, null],
  ];
  it.each(table)('%p → %p', (value, expected) => {
    expect(escapeFormula(value)).toBe(expected);
  });
});
