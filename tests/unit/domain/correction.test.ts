import { createHash } from 'crypto';
import { correctionHash, validateCorrection } from '../../../plugins/complaints/server/src/domain/correction';
import { CORRECTABLE_FIELDS, ORIGINAL_FIELDS } from '../../../plugins/complaints/server/src/domain/original-fields';

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as { details?: { code?: string }; code?: string }).code ?? null;
  }
};

describe('which fields a correction may change', () => {
  it('is what the citizen said: every original but the ledger number, the batch and the raw row', () => {
    expect([...CORRECTABLE_FIELDS]).toEqual(['receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content']);
    expect(ORIGINAL_FIELDS.filter((f) => !(CORRECTABLE_FIELDS as readonly string[]).includes(f))).toEqual(['ledgerNo', 'importBatch', 'rawRow']);
  });
});

describe('a valid correction', () => {
  // [input, stored { field, value, reason }]
  it.each([
    [{ field: 'phone', value: '+86 199-0000-6666', reason: '电话记错' }, { field: 'phone', value: '19900006666', reason: '电话记错' }],
    [{ field: 'phone', value: '0571-8800 1234', reason: '座机' }, { field: 'phone', value: '057188001234', reason: '座机' }],
    [{ field: 'town', value: '  城关镇 ', reason: ' 笔误 ' }, { field: 'town', value: '城关镇', reason: '笔误' }],
    [{ field: 'channel', value: 'hotline', reason: '来源登记错' }, { field: 'channel', value: 'hotline', reason: '来源登记错' }],
    [{ field: 'channel', value: 'meeting', reason: '来源登记错' }, { field: 'channel', value: 'meeting', reason: '来源登记错' }],
    [{ field: 'receivedAt', value: '2026-02-03T08:00:00+08:00', reason: '时间记错' }, { field: 'receivedAt', value: '2026-02-03T08:00:00+08:00', reason: '时间记错' }],
    [{ field: 'content', value: 1234, reason: '内容' }, { field: 'content', value: '1234', reason: '内容' }],
  ])('%o → %o', (input, stored) => {
    expect(validateCorrection(input)).toEqual(stored);
  });
});

describe('a refused correction', () => {
  // [input, error code]
  it.each([
    [{ field: 'ledgerNo', value: 'X', reason: '改编号' }, 'correction_field'],
    [{ field: 'rawRow', value: 'X', reason: '原始行' }, 'correction_field'],
    [{ field: 'state', value: 'closed', reason: '办结' }, 'correction_field'],
    [{ value: 'X', reason: '没有字段' }, 'correction_field'],
    [{ field: 'town', value: '城关镇', reason: '改' }, 'correction_reason'],
    [{ field: 'town', value: '城关镇' }, 'correction_reason'],
    [{ field: 'town', value: '   ', reason: '笔误' }, 'correction_value'],
    [{ field: 'town', value: null, reason: '笔误' }, 'correction_value'],
    [{ field: 'phone', value: '12', reason: '号码' }, 'correction_phone'],
    [{ field: 'receivedAt', value: 'yesterday', reason: '时间记错' }, 'correction_date'],
    [{ field: 'channel', value: '热线', reason: '来源登记错' }, 'correction_channel'],
    [{ field: 'channel', value: 'wechat', reason: '来源登记错' }, 'correction_channel'],
  ])('%o → %s', (input, code) => {
    expect(codeOf(() => validateCorrection(input))).toBe(code);
  });

  it('names the ledger channels in both languages', () => {
    expect(() => validateCorrection({ field: 'channel', value: 'wechat', reason: '来源登记错' })).toThrow(
      '来源应为 visit/hotline/letter/web/sms/meeting/other / Channel must be one of visit, hotline, letter, web, sms, meeting, other'
    );
  });
});

describe('the hash a correction records in the chain', () => {
  it('is sha256 over the canonical JSON of number, field, value, reason, corrector and time', () => {
    const text = '{"at":"2026-03-01T04:00:00.000Z","byId":7,"field":"town","ledgerNo":"A-1","reason":"笔误","value":"城关镇"}';
    expect(
      correctionHash({ ledgerNo: 'A-1', field: 'town', value: '城关镇', reason: '笔误', byId: 7, at: new Date('2026-03-01T04:00:00.000Z') })
    ).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});
