/**
 * The public survey page (满意度回访): a small server-rendered HTML page, Chinese first and
 * English second, with no external asset and no script. It shows no personal data: only the
 * ledger number, the category name and the closing date. Every outcome has its own page and
 * status, so a citizen always sees what happened to the link.
 */
import { PAGE_CSS } from './page-style';
import type { SurveyAnswer } from './survey-reply';

export const ANSWERS: Array<{ value: SurveyAnswer; zh: string; en: string }> = [
  { value: 'satisfied', zh: '满意', en: 'Satisfied' },
  { value: 'basically_satisfied', zh: '基本满意', en: 'Basically satisfied' },
  { value: 'dissatisfied', zh: '不满意', en: 'Dissatisfied' },
];

export const MAX_COMMENT = 1000;

export type SurveyNotice = 'thanks' | 'unknown' | 'expired' | 'superseded' | 'answered' | 'forbidden' | 'invalid';

/** The HTTP status of each notice page. */
export const NOTICE_STATUS: Record<SurveyNotice, number> = {
  thanks: 200,
  unknown: 404,
  expired: 410,
  superseded: 410,
  answered: 409,
  forbidden: 403,
  invalid: 400,
};

const NOTICES: Record<SurveyNotice, { zh: [string, string]; en: [string, string] }> = {
  thanks: {
    zh: ['感谢您的评价', '您的评价已记录。感谢您对我们工作的支持。'],
    en: ['Thank you', 'Your answer has been recorded. Thank you for helping us improve.'],
  },
  unknown: {
    zh: ['链接无效', '找不到此回访链接。请核对短信中的链接是否完整。'],
    en: ['Link not found', 'This survey link is not known. Please check that the link from the message is complete.'],
  },
  expired: {
    zh: ['回访已结束', '此回访已过期，不再接受评价。'],
    en: ['Survey closed', 'This survey has expired and no longer takes answers.'],
  },
  superseded: {
    zh: ['回访已更新', '此回访已被新的回访取代，请使用最新短信中的链接。'],
    en: ['Survey replaced', 'A newer survey has replaced this one. Please use the link in the latest message.'],
  },
  answered: {
    zh: ['已评价', '此回访已经评价过，每次回访只能评价一次。'],
    en: ['Already answered', 'This survey has already been answered; each survey takes one answer.'],
  },
  forbidden: {
    zh: ['页面已失效', '请重新打开短信中的链接后再提交。'],
    en: ['Page expired', 'Please open the link from the message again and submit from there.'],
  },
  invalid: {
    zh: ['请选择评价', '请选择一项评价；意见不超过 1000 字。'],
    en: ['Please choose an answer', 'Please choose one answer; the comment may have at most 1000 characters.'],
  },
};

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

// The public pages' stylesheet (page-style.ts), inlined: the survey page loads nothing else.
const STYLE = `${PAGE_CSS}main{max-width:36rem}label{font-weight:400;font-size:1.1rem}`;

const page = (nonce: string, title: string, body: string): string =>
  '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">' +
  `<title>${escapeHtml(title)}</title><style nonce="${escapeHtml(nonce)}">${STYLE}</style></head><body>${body}</body></html>`;

/** A page with one message, zh then en. */
export const renderNotice = (notice: SurveyNotice, nonce: string): string => {
  const n = NOTICES[notice];
  const body = `<main><h1>${n.zh[0]}</h1><p>${n.zh[1]}</p><h1 class="en" lang="en">${n.en[0]}</h1><p class="en" lang="en">${n.en[1]}</p></main>`;
  return page(nonce, `${n.zh[0]} / ${n.en[0]}`, body);
};

export interface SurveyFormView {
  ledgerNo: string;
  categoryName: string | null;
  /** The closing date, county time (YYYY-MM-DD). */
  closedOn: string | null;
  csrf: string;
  invalid?: boolean;
}

/** The survey itself: the complaint's ledger number, category and closing date, three answers, a comment. */
export const renderSurveyForm = (v: SurveyFormView, nonce: string): string => {
  const dash = '—';
  const options = ANSWERS.map(
    (a) => `<label class="choice"><input type="radio" name="answer" value="${a.value}" required> ${a.zh} <span class="en" lang="en">${a.en}</span></label>`
  ).join('');
  const warning = v.invalid ? `<p role="alert"><strong>${NOTICES.invalid.zh[1]}</strong> <span class="en" lang="en">${NOTICES.invalid.en[1]}</span></p>` : '';
  const body =
    '<main><h1>满意度回访</h1><p class="en" lang="en">Satisfaction survey</p>' +
    '<p>您反映的诉求已办结，请对办理结果作出评价。</p><p class="en" lang="en">Your demand has been handled and closed. Please tell us how satisfied you are with the result.</p>' +
    '<dl>' +
    `<dt>诉求编号 <span class="en" lang="en">Ledger no.</span></dt><dd>${escapeHtml(v.ledgerNo)}</dd>` +
    `<dt>诉求类别 <span class="en" lang="en">Category</span></dt><dd>${escapeHtml(v.categoryName ?? dash)}</dd>` +
    `<dt>办结日期 <span class="en" lang="en">Closed on</span></dt><dd>${escapeHtml(v.closedOn ?? dash)}</dd>` +
    '</dl>' +
    warning +
    `<form method="post"><input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">` +
    `<fieldset><legend>您的评价 <span class="en" lang="en">Your answer</span></legend>${options}</fieldset>` +
    `<label for="comment">意见建议（可选） <span class="en" lang="en">Comment (optional)</span></label>` +
    `<textarea id="comment" name="comment" maxlength="${MAX_COMMENT}"></textarea>` +
    '<button type="submit">提交 <span lang="en">Submit</span></button></form></main>';
  return page(nonce, '满意度回访 / Satisfaction survey', body);
};

/** The posted form: one of the three answers and an optional comment of at most MAX_COMMENT characters. */
export const readSurveyForm = (body: unknown): { answer: SurveyAnswer; comment: string | null } | null => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  const answer = ANSWERS.find((a) => a.value === b.answer)?.value;
  if (!answer) return null;
  if (b.comment !== undefined && typeof b.comment !== 'string') return null;
  const comment = typeof b.comment === 'string' ? b.comment.trim() : '';
  if (comment.length > MAX_COMMENT) return null;
  return { answer, comment: comment || null };
};

/** The headers every survey page is sent with: nothing loads but its own inline style. */
export const pageHeaders = (nonce: string): Record<string, string> => ({
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});
