/**
 * The input fields of transitions (domain/transitions/input.ts) and the verb registry: each
 * refusal is a 400 with the field named, in Chinese and English.
 */
import { ACTIONS } from '../../../plugins/complaints/server/src/domain/complaint-state';
import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';
import { VERBS } from '../../../plugins/complaints/server/src/domain/transitions';
import { dayFromToday, oneOf, optionalText, parseFields, requiredText } from '../../../plugins/complaints/server/src/domain/transitions/input';

const fields = {
  reason: oneOf('reason', '无效原因', ['duplicate', 'other'] as const),
  note: optionalText('note', { max: 5 }),
  text: requiredText('text', '整改措施', { min: 4, max: 8 }),
  deadline: dayFromToday('deadline', '整改期限', '2026-12-02'),
};
const good = { reason: 'other', text: 'abcd', deadline: '2026-12-02' };

const refusal = (raw: Record<string, unknown>) => {
  try {
    parseFields(raw, fields);
  } catch (e) {
    const d = e as DomainError;
    return { kind: d.kind, code: d.code, zh: d.zh, en: d.en, field: d.details.field };
  }
  return null;
};

describe('transition input fields', () => {
  it('a good input parses: trimmed, empty optional text is null, unknown keys dropped', () => {
    expect(parseFields({ ...good, text: '  abcd  ', note: '   ', extra: 'x' }, fields)).toEqual({ reason: 'other', note: null, text: 'abcd', deadline: '2026-12-02' });
  });

  const rows: Array<[string, Record<string, unknown>, { code: string; zh: string; en: string; field: string }]> = [
    ['code missing', { ...good, reason: undefined }, { code: 'missing_input', zh: '缺少必填项：无效原因（reason）', en: 'Missing required input: reason', field: 'reason' }],
    ['code empty', { ...good, reason: '' }, { code: 'missing_input', zh: '缺少必填项：无效原因（reason）', en: 'Missing required input: reason', field: 'reason' }],
    ['code unknown', { ...good, reason: 'bored' }, { code: 'invalid_input', zh: '无效原因（reason）应为 duplicate / other 之一', en: 'reason must be one of duplicate, other', field: 'reason' }],
    ['code not text', { ...good, reason: 7 }, { code: 'invalid_input', zh: '无效原因（reason）应为 duplicate / other 之一', en: 'reason must be one of duplicate, other', field: 'reason' }],
    ['optional text not text', { ...good, note: 12 }, { code: 'invalid_input', zh: '「note」应为文本', en: '"note" must be text', field: 'note' }],
    ['optional text too long', { ...good, note: '123456' }, { code: 'invalid_input', zh: '「note」过长（最多 5 字）', en: '"note" is too long (at most 5 characters)', field: 'note' }],
    ['required text only spaces', { ...good, text: '   ' }, { code: 'missing_input', zh: '缺少必填项：整改措施（text）', en: 'Missing required input: text', field: 'text' }],
    ['required text null', { ...good, text: null }, { code: 'missing_input', zh: '缺少必填项：整改措施（text）', en: 'Missing required input: text', field: 'text' }],
    ['required text too short', { ...good, text: ' abc ' }, { code: 'invalid_input', zh: '「text」过短（至少 4 字）', en: '"text" is too short (at least 4 characters)', field: 'text' }],
    ['required text too long', { ...good, text: '123456789' }, { code: 'invalid_input', zh: '「text」过长（最多 8 字）', en: '"text" is too long (at most 8 characters)', field: 'text' }],
    ['day missing', { ...good, deadline: undefined }, { code: 'missing_input', zh: '缺少必填项：整改期限（deadline）', en: 'Missing required input: deadline', field: 'deadline' }],
    ['day not a date', { ...good, deadline: '2026-02-30' }, { code: 'invalid_input', zh: '整改期限（deadline）应为 YYYY-MM-DD 格式的日期', en: 'deadline must be a date as YYYY-MM-DD', field: 'deadline' }],
    ['day a number', { ...good, deadline: 20261203 }, { code: 'invalid_input', zh: '整改期限（deadline）应为 YYYY-MM-DD 格式的日期', en: 'deadline must be a date as YYYY-MM-DD', field: 'deadline' }],
    ['day before today', { ...good, deadline: '2026-12-01' }, { code: 'invalid_input', zh: '整改期限不能早于今天（2026-12-02）', en: 'deadline cannot be before today (2026-12-02)', field: 'deadline' }],
    ['the first bad field is reported', { reason: 'bored', text: '', deadline: 'x' }, { code: 'invalid_input', zh: '无效原因（reason）应为 duplicate / other 之一', en: 'reason must be one of duplicate, other', field: 'reason' }],
  ];
  it.each(rows)('%s', (_name, raw, expected) => {
    expect(refusal(raw)).toEqual({ kind: 'validation', ...expected });
  });
});

describe('the verb registry', () => {
  it('has one verb per action of the state machine, under its own name', () => {
    expect(Object.keys(VERBS).sort()).toEqual([...ACTIONS].sort());
    for (const action of ACTIONS) expect(VERBS[action].action).toBe(action);
  });
});
