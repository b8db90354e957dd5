import { redact, withoutSurveyToken } from '../../../plugins/complaints/server/src/domain/redact';

/** [what, log line, expected line]: expected values written by hand. */
const CASES: Array<[string, string, string]> = [
  ['a bare mobile', '回访 13812345678 未接通', '回访 [phone] 未接通'],
  ['+86 with spaces', 'tel +86 138 1234 5678.', 'tel [phone].'],
  ['0086 and dashes', 'phone=0086-138-1234-5678', 'phone=[phone]'],
  ['86 glued to the number', 'x 8613812345678 y', 'x [phone] y'],
  ['full-width digits', '电话１３８１２３４５６７８', '电话[phone]'],
  ['percent-encoded plus in a URL', 'GET /x?phone=%2B8613812345678 200', 'GET /x?phone=[phone] 200'],
  ['inside JSON', '{"phone":"19912340001"}', '{"phone":"[phone]"}'],
  ['a landline with area code', '座机 0571-88001234 或 (010)12345678', '座机 [phone] 或 [phone]'],
  ['a landline without dash', 'call 057188001234 now', 'call [phone] now'],
  ['an 18-character ID card', '身份证 11010519491231002X 已核', '身份证 [id-card] 已核'],
  ['an ID card in lower x', 'id=11010519491231002x', 'id=[id-card]'],
  ['JSON name field', '{"complainantName":"张三","town":"城关镇"}', '{"complainantName":"[name]","town":"城关镇"}'],
  ['escaped JSON name field', 'body {\\"complainant_name\\":\\"李四\\"}', 'body {\\"complainant_name\\":\\"[name]\\"}'],
  ['inspected object', "{ complainantName: '王五', channel: 'visit' }", "{ complainantName: '[name]', channel: 'visit' }"],
  ['name query parameter', 'GET /complaints/x?name=%E5%BC%A0%E4%B8%89&page=1 200', 'GET /complaints/x?name=[name]&page=1 200'],
  ['complainant query parameter', 'GET /p?a=1&complainant=zhang 200', 'GET /p?a=1&complainant=[name] 200'],
  ['CM filter on the name, encoded', 'GET /c?filters%5BcomplainantName%5D%5B%24eq%5D=%E5%BC%A0 200', 'GET /c?filters%5BcomplainantName%5D%5B%24eq%5D=[name] 200'],
  ['SQL literals in a knex message', "insert into \"complaints\" (\"complainant_name\", \"town\") values ('赵六', '东坝镇') - duplicate key", "insert into \"complaints\" (\"complainant_name\", \"town\") values ('[value]', '[value]') - duplicate key"],
  ['a hash is left alone', 'hash a13812345678b0c1 ok', 'hash a13812345678b0c1 ok'],
  ['a 13-digit timestamp is left alone', 'at 1733140000000 ms', 'at 1733140000000 ms'],
  ['a short number is left alone', 'GET /complaints/imports/12345 404 (3 ms)', 'GET /complaints/imports/12345 404 (3 ms)'],
  ['a staff line without personal data', 'info: [complaints] warning run: 12 changed', 'info: [complaints] warning run: 12 changed'],
  ['a survey link token', 'GET /survey/JZuJ9JgiG7HuzIBM2m8F2iCcw9PjFzdr (8 ms) 200', 'GET /survey/[token] (8 ms) 200'],
  ['a survey token in upper case', 'GET /SURVEY/JZuJ9JgiG7HuzIBM2m8F2iCcw9PjFzdr (8 ms) 200', 'GET /SURVEY/[token] (8 ms) 200'],
  ['a survey token, mixed case, trailing slash', 'GET /Survey/JZuJ9JgiG7Hu/ 200', 'GET /Survey/[token]/ 200'],
  ['a survey token, letters percent-encoded', 'GET /%73urvey/JZuJ9JgiG7Hu 404', 'GET /%73urvey/[token] 404'],
  ['a survey token after an encoded slash', 'GET /x%2Fsurvey%2FJZuJ9JgiG7Hu 404', 'GET /x%2Fsurvey%2F[token] 404'],
  ['a survey link in an SMS body', '请评价 https://minyi.example.cn/survey/JZuJ9JgiG7Hu?x=1', '请评价 https://minyi.example.cn/survey/[token]?x=1'],
  ['an Aliyun push secret in upper case', 'POST /WEBHOOKS/Aliyun/s3cr3tS3cr3tS3cr3t/report 403', 'POST /WEBHOOKS/Aliyun/[secret]/report 403'],
  ['a word that only contains survey is left alone', 'GET /surveys 200', 'GET /surveys 200'],
  ['an empty line', '', ''],
];

describe('redact', () => {
  it.each(CASES)('%s', (_what, line, expected) => {
    expect(redact(line)).toBe(expected);
  });
});

describe('withoutSurveyToken', () => {
  it.each([
    ['请评价：https://m.example.cn/survey/AbC-d_9，谢谢', '请评价：https://m.example.cn/survey/[token]，谢谢'],
    ['http://localhost:1337/survey/AbC?x=1', 'http://localhost:1337/survey/[token]?x=1'],
    ['no link at all 13812345678', 'no link at all 13812345678'],
  ])('%s', (text, expected) => {
    expect(withoutSurveyToken(text)).toBe(expected);
  });
});
