/**
 * Removing citizens' personal data from a log line. A log line may quote a request URL, a
 * JSON body, an inspected object, a database error (knex puts the SQL with its bound values in
 * the message, PostgreSQL the failing key in `detail`). What can be recognised is replaced:
 * mainland mobiles (also +86, spaces, dashes, full-width digits), landlines with an area code,
 * 18-character ID card numbers, the values of name fields and name query parameters, and the
 * string literals of an SQL statement, the token of a survey link and the secret of a push URL. Over-redacting a log
 * line costs little; leaking a phone does not.
 */

export const REDACTED = {
  phone: '[phone]',
  idCard: '[id-card]',
  name: '[name]',
  literal: '[value]',
  token: '[token]',
  secret: '[secret]',
} as const;

/** Full-width digits, plus, minus, brackets and space, to ASCII (same length, so offsets hold). */
const halfWidth = (s: string): string =>
  s.replace(/[\uFF08\uFF09\uFF0B\uFF0D\uFF10-\uFF19\u3000]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x3000) return ' ';
    return String.fromCharCode(code - 0xfee0);
  });

// A digit group separator as written by hand or in a URL.
const SEP = '(?:[ \\t\\-.]|%20)?';
const NOT_ALNUM_BEFORE = '(?<![0-9A-Za-z])';
const NOT_ALNUM_AFTER = '(?![0-9A-Za-z])';

const MOBILE = new RegExp(
  `${NOT_ALNUM_BEFORE}(?:(?:\\+|%2B|00)${SEP}86${SEP}|(?<![0-9A-Za-z%])86${SEP})?1[3-9]\\d(?:${SEP}\\d){8}${NOT_ALNUM_AFTER}`,
  'gi'
);
const LANDLINE = new RegExp(`${NOT_ALNUM_BEFORE}(?:\\(0\\d{2,3}\\)|0\\d{2,3})${SEP}\\d{3,4}${SEP}\\d{4}${NOT_ALNUM_AFTER}`, 'g');
const ID_CARD = new RegExp(`${NOT_ALNUM_BEFORE}[1-9]\\d{16}[\\dXx]${NOT_ALNUM_AFTER}`, 'g');

/** Field names whose value is a citizen's name, in camelCase and snake_case. */
export const NAME_FIELDS = ['complainantName', 'complainant_name', 'complainant', 'contactName', 'contact_name', 'citizenName', 'citizen_name'];
const FIELD_ALT = NAME_FIELDS.join('|');
// "complainantName":"张三" (JSON, also with escaped quotes inside a string)
const JSON_NAME = new RegExp(`((?:\\\\?")(?:${FIELD_ALT})(?:\\\\?")\\s*:\\s*)(\\\\?")((?:(?!\\2).)*?)(\\2)`, 'g');
// complainantName: '张三' (util.inspect) or complainant_name = '张三'
const INSPECT_NAME = new RegExp(`(\\b(?:${FIELD_ALT})\\b\\s*[:=]\\s*)(['"\`])((?:(?!\\2).)*)(\\2)`, 'g');
// ?name=…, &complainant=…, filters[complainantName][$eq]=… (raw or percent-encoded brackets)
const QUERY_NAME = /([?&;][^=&\s#]*?(?:name|complainant)[^=&\s#]*=)([^&\s#]*)/gi;
const SQL_STATEMENT = /\b(?:insert\s+into|update\s+\S+\s+set|select\s[\s\S]*?\sfrom|delete\s+from)\b/i;
const SQL_LITERAL = /'(?:[^']|'')*'/g;
/** A regex source matching `word` in any letter case, each letter also percent-encoded. */
const anySpelling = (word: string): string =>
  [...word].map((ch) => `(?:${ch}|%${ch.charCodeAt(0).toString(16)}|%${ch.toUpperCase().charCodeAt(0).toString(16)})`).join('');
const SLASH = '(?:/|%2f)';
// The survey link's one-time token, in a request line (/survey/<token>), and the secret in the
// path of Aliyun's pushes (/webhooks/aliyun/<secret>/report). The router matches paths
// case-insensitively, so /SURVEY/<token> opens the page too: every spelling is redacted.
const SURVEY_TOKEN = new RegExp(`(${SLASH}${anySpelling('survey')}${SLASH}+)[^\\s/?#]+`, 'gi');
const WEBHOOK_SECRET = new RegExp(`(${SLASH}${anySpelling('webhooks')}${SLASH}+${anySpelling('aliyun')}${SLASH}+)[^\\s/?#]+`, 'gi');

/** `text` with every recognisable phone, ID card number and name replaced. */
export const redact = (text: string): string => {
  if (!text) return text;
  let s = halfWidth(text);
  if (SQL_STATEMENT.test(s)) s = s.replace(SQL_LITERAL, `'${REDACTED.literal}'`);
  s = s.replace(JSON_NAME, (_m, pre: string, q: string, _v: string, post: string) => `${pre}${q}${REDACTED.name}${post}`);
  s = s.replace(INSPECT_NAME, (_m, pre: string, q: string, _v: string, post: string) => `${pre}${q}${REDACTED.name}${post}`);
  s = s.replace(QUERY_NAME, (_m, key: string, value: string) => (value ? `${key}${REDACTED.name}` : key));
  s = s.replace(SURVEY_TOKEN, `$1${REDACTED.token}`);
  s = s.replace(WEBHOOK_SECRET, `$1${REDACTED.secret}`);
  s = s.replace(ID_CARD, REDACTED.idCard);
  s = s.replace(MOBILE, REDACTED.phone);
  s = s.replace(LANDLINE, REDACTED.phone);
  return s;
};

/** The kinds of personal data `redact` recognises in a text (same patterns), in a stable order. */
export const personalDataKinds = (text: string): Array<'phone' | 'idCard'> => {
  if (!text) return [];
  const s = halfWidth(text);
  const found: Array<'phone' | 'idCard'> = [];
  const test = (re: RegExp) => new RegExp(re.source, re.flags.replace('g', '')).test(s);
  if (test(MOBILE) || test(LANDLINE)) found.push('phone');
  if (test(ID_CARD)) found.push('idCard');
  return found;
};

/**
 * `text` with every survey link's token replaced by `[token]`. A message that has left is kept
 * in the outbox without its link's secret, so the database holds no way to answer a survey once
 * the citizen has the SMS (the survey table stores only the token's SHA-256).
 */
export const withoutSurveyToken = (text: string): string => text.replace(/(\/survey\/)[A-Za-z0-9_-]+/g, `$1${REDACTED.token}`);
