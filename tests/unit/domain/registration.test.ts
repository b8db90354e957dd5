import { isDomainError } from '../../../plugins/complaints/server/src/domain/errors';
import { readRegistrationForm, REGISTRATION_CHANNELS, type RegistrationForm } from '../../../plugins/complaints/server/src/domain/registration';

const NOW = new Date('2026-11-27T06:00:00.000Z');
const OPTS = { towns: ['城关镇', '东坝镇'], now: NOW, timeZone: 'Asia/Shanghai' };
const GOOD = { channel: 'hotline', receivedAt: '2026-11-27 09:30', content: '东街社区排水沟堵塞，雨天积水', town: '城关镇', village: '东街社区', complainantName: '王某', phone: '138 1234 5678', address: '东街 12 号' };

const refusal = (body: unknown) => {
  try {
    readRegistrationForm(body, OPTS);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { code: e.code, errors: ((e.details.errors ?? []) as Array<{ field: string; code: string }>).map((x) => [x.field, x.code]), message: e.message };
  }
  return null;
};

describe('a registration form read', () => {
  const table: Array<[string, Record<string, unknown>, Partial<RegistrationForm>]> = [
    ['a phone call with every field', {}, { channel: 'hotline', receivedAt: new Date('2026-11-27T01:30:00.000Z'), content: '东街社区排水沟堵塞，雨天积水', town: '城关镇', village: '东街社区', complainantName: '王某', phone: '13812345678', address: '东街 12 号', traceable: true }],
    ['a landline is traceable', { phone: '0571-8800 1234' }, { phone: '057188001234', traceable: true }],
    ['no phone: not traceable', { phone: '' }, { phone: null, traceable: false }],
    ['no received time: now', { receivedAt: undefined }, { receivedAt: NOW }],
    ['an empty received time: now', { receivedAt: '  ' }, { receivedAt: NOW }],
    ['an ISO time with a zone', { receivedAt: '2026-11-20T08:00:00+08:00' }, { receivedAt: new Date('2026-11-20T00:00:00.000Z') }],
    ['a letter without name, village or address', { channel: 'letter', complainantName: null, village: '', address: undefined }, { channel: 'letter', complainantName: null, village: null, address: null }],
    ['text trimmed, full-width spaces too', { content: '\u3000 路灯损坏，夜间出行不便 ', town: ' 东坝镇 ' }, { content: '路灯损坏，夜间出行不便', town: '东坝镇' }],
    ['a content of 20,000 characters, the limit of the import', { content: '诉'.repeat(20_000) }, { content: '诉'.repeat(20_000) }],
    ['a one-character content (the import requires content, not a length)', { content: '水' }, { content: '水' }],
  ];
  it.each(table)('%s', (_name, patch, expected) => {
    const form = readRegistrationForm({ ...GOOD, ...patch }, OPTS);
    expect(form).toMatchObject(expected);
  });

  it('offers every channel but the online intake', () => {
    expect(REGISTRATION_CHANNELS).toEqual(['visit', 'hotline', 'letter', 'sms', 'meeting', 'other']);
  });
});

describe('a registration form refused', () => {
  const table: Array<[string, unknown, Array<[string, string]>]> = [
    ['no content', { ...GOOD, content: undefined }, [['content', 'required']]],
    ['blank content', { ...GOOD, content: ' \u3000 ' }, [['content', 'required']]],
    ['content past 20,000 characters', { ...GOOD, content: '诉'.repeat(20_001) }, [['content', 'too_long']]],
    ['content as a list', { ...GOOD, content: ['路灯损坏'] }, [['content', 'not_text']]],
    ['the online channel', { ...GOOD, channel: 'web' }, [['channel', 'unknown_channel']]],
    ['no channel', { ...GOOD, channel: undefined }, [['channel', 'unknown_channel']]],
    ['a channel label instead of its code', { ...GOOD, channel: '电话' }, [['channel', 'unknown_channel']]],
    ['a received time an hour ahead', { ...GOOD, receivedAt: '2026-11-27T07:00:00.000Z' }, [['receivedAt', 'date_in_future']]],
    ['a received time past tomorrow', { ...GOOD, receivedAt: '2026-12-01' }, [['receivedAt', 'date_out_of_range']]],
    ['a received time before 1990', { ...GOOD, receivedAt: '1989-12-01' }, [['receivedAt', 'date_out_of_range']]],
    ['an impossible day', { ...GOOD, receivedAt: '2026-02-30' }, [['receivedAt', 'date_invalid']]],
    ['a received time as a number', { ...GOOD, receivedAt: 20261127 }, [['receivedAt', 'not_text']]],
    ['a town not of the county', { ...GOOD, town: '西山镇' }, [['town', 'unknown_town']]],
    ['no town', { ...GOOD, town: '' }, [['town', 'unknown_town']]],
    ['a phone of 5 digits', { ...GOOD, phone: '12345' }, [['phone', 'bad_phone']]],
    ['a phone with letters', { ...GOOD, phone: '138abc45678' }, [['phone', 'bad_phone']]],
    ['a name past 100 characters', { ...GOOD, complainantName: '王'.repeat(101) }, [['complainantName', 'too_long']]],
    ['a village past 100 characters', { ...GOOD, village: '村'.repeat(101) }, [['village', 'too_long']]],
    ['an address past 255 characters', { ...GOOD, address: '路'.repeat(256) }, [['address', 'too_long']]],
    ['several bad fields, each named, in the form order', { ...GOOD, phone: '1', town: '西山镇', content: '' }, [['content', 'required'], ['town', 'unknown_town'], ['phone', 'bad_phone']]],
  ];
  it.each(table)('%s', (_name, body, errors) => {
    expect(refusal(body)).toMatchObject({ code: 'invalid_registration', errors });
  });

  it.each([[null], [[GOOD]], ['content'], [42]])('a body that is not a form (%p)', (body) => {
    expect(refusal(body)).toMatchObject({ code: 'invalid_body', errors: [] });
  });

  it('names the field in Chinese and English and repeats nothing typed', () => {
    const r = refusal({ ...GOOD, phone: '99887', town: '张三家门口' });
    expect(r?.message).toBe(
      '诉求无法登记：「乡镇」请从本县乡镇列表中选择；「联系电话」格式不对：请填写 11 位手机号码或带区号的固定电话，或留空 / ' +
        "The demand cannot be registered: Choose the town from the county's list; The phone is not valid: give an 11-digit mobile number or a landline with its area code, or leave it empty"
    );
  });

  it('positive control: the same form with a good phone and town is read', () => {
    expect(refusal({ ...GOOD, phone: '13812345678', town: '东坝镇' })).toBeNull();
  });
});
