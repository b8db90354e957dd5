/**
 * What a citizen's SMS reply means (DOMAIN.md, "SMS and the satisfaction survey"). Replies come
 * from phones typed in haste: full-width digits, trailing punctuation, a comment after the answer.
 * Only the first token decides; anything else is `unknown` and changes nothing.
 */
import { toHalfWidth } from './phone';

export type SurveyAnswer = 'satisfied' | 'basically_satisfied' | 'dissatisfied';

export type ReplyMeaning =
  | { kind: 'answer'; answer: SurveyAnswer; comment: string | null }
  | { kind: 'opt_out' }
  | { kind: 'opt_in' }
  | { kind: 'unknown' };

const DIGIT_ANSWERS: Record<string, SurveyAnswer> = { '1': 'satisfied', '2': 'basically_satisfied', '3': 'dissatisfied' };

// Longest first: 基本满意 and 不满意 both end in 满意.
const WORD_ANSWERS: Array<[string, SurveyAnswer]> = [
  ['基本满意', 'basically_satisfied'],
  ['不满意', 'dissatisfied'],
  ['满意', 'satisfied'],
];

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', '退订', 'TD']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);

const SEPARATORS = /^[\s,，.。、;；:：!！?？\-—~～]+/;

export const parseSurveyReply = (raw: unknown): ReplyMeaning => {
  if (typeof raw !== 'string') return { kind: 'unknown' };
  const text = toHalfWidth(raw).replace(/[\u3000\s]+/g, ' ').trim();
  if (!text) return { kind: 'unknown' };
  const upper = text.toUpperCase();
  const firstWord = upper.split(/[\s,，.。!！]+/)[0];
  if (OPT_OUT.has(firstWord) || upper.startsWith('退订')) return { kind: 'opt_out' };
  if (OPT_IN.has(firstWord)) return { kind: 'opt_in' };

  const rest = (s: string): string | null => {
    const c = s.replace(SEPARATORS, '').trim();
    return c ? c.slice(0, 500) : null;
  };
  const digit = DIGIT_ANSWERS[text[0]];
  // "1" or "1 很好", but not "12" or "1.5".
  if (digit && (text.length === 1 || !/[0-9.]/.test(text[1]))) return { kind: 'answer', answer: digit, comment: rest(text.slice(1)) };
  for (const [word, answer] of WORD_ANSWERS) {
    if (text.startsWith(word)) return { kind: 'answer', answer, comment: rest(text.slice(word.length)) };
  }
  return { kind: 'unknown' };
};

/**
 * What a reply that is no answer gets back (where the provider can answer a reply, as Twilio's
 * TwiML does): the options, in Chinese first, then in English. It names no complaint, so it says
 * nothing to someone who is not the citizen.
 */
export const replyOptionsText = (signature: string): string =>
  `【${signature}】未能识别您的回复。评价诉求办理结果请回复：1 满意，2 基本满意，3 不满意；回复 TD 退订。` +
  'Reply 1 satisfied, 2 basically satisfied, 3 dissatisfied; STOP to opt out.';
