/**
 * The public page's HTML (公开页面), rendered on the server from the same answers as
 * /api/minyi/*: the results page (`/`), the intake form (`/submit`) and tracking (`/track`).
 * Chinese by default, English with `?lang=en` (the toggle is a link, so it works without
 * script). No inline script or style: the stylesheet and the forms' script are files under
 * /assets/minyi/. Charts are inline SVG with a text equivalent. Every value is escaped.
 */
import { escapeHtml } from '../domain/survey-page';
import { CONTENT_MAX, CONTENT_MIN, HONEYPOT_FIELD } from '../domain/intake';
import { STATE_GROUP_LABELS, STATE_GROUPS, type PublicResult } from '../domain/public-data';
import type { PublicRates, PublicSummary } from '../services/public-results';
import type { Rate } from '../domain/rates';

export type Lang = 'zh' | 'en';

export interface PageContext {
  lang: Lang;
  countyName: string;
  countyNameEn: string;
  logoPath: string;
  /** Cache-busting version of the asset files. */
  assetVersion: string;
}

const e = escapeHtml;
const pick = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

const withLang = (path: string, lang: Lang, params: Record<string, string | number | null> = {}): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== '') q.set(k, String(v));
  if (lang === 'en') q.set('lang', 'en');
  const s = q.toString();
  return s ? `${path}?${s}` : path;
};

const percent = (r: Rate | null | undefined): string => (r && r.rate !== null ? `${(r.rate * 100).toFixed(1)}%` : '—');
const fraction = (r: Rate | null | undefined): string => (r ? `${r.numerator} / ${r.denominator}` : '—');

const SAT_LABEL: Record<string, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};
const MODE_LABEL: Record<string, { zh: string; en: string }> = {
  immediate: { zh: '立即整改', en: 'Immediate' },
  deadline: { zh: '限期整改', en: 'By a deadline' },
  phased: { zh: '分期整改', en: 'In phases' },
  policy_limited: { zh: '政策限制', en: 'Limited by policy' },
};

type Active = 'home' | 'submit' | 'track';

const layout = (c: PageContext, active: Active, title: string, body: string, opts: { script?: boolean; path: string; params?: Record<string, string | number | null> }): string => {
  const L = c.lang;
  const county = pick(L, c.countyName, c.countyNameEn);
  const nav = ([['home', '/', '公开结果', 'Results'], ['submit', '/submit', '反映诉求', 'Submit a demand'], ['track', '/track', '查询进度', 'Track a demand']] as const)
    .map(([key, path, zh, en]) => `<a href="${e(withLang(path, L))}"${key === active ? ' aria-current="page"' : ''}>${pick(L, zh, en)}</a>`)
    .join('');
  const other: Lang = L === 'en' ? 'zh' : 'en';
  const toggle = `<a class="lang" href="${e(withLang(opts.path, other, opts.params ?? {}))}" lang="${other === 'en' ? 'en' : 'zh-Hans'}" hreflang="${other === 'en' ? 'en' : 'zh-Hans'}">${other === 'en' ? 'English' : '中文'}</a>`;
  const logo = c.logoPath ? `<img src="${e(c.logoPath)}" alt="">` : '';
  return (
    `<!DOCTYPE html><html lang="${L === 'en' ? 'en' : 'zh-Hans'}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">' +
    `<title>${e(title)} · ${e(county)}</title><link rel="stylesheet" href="/assets/minyi/app.css?v=${e(c.assetVersion)}">` +
    (opts.script ? `<script src="/assets/minyi/app.js?v=${e(c.assetVersion)}" defer></script>` : '') +
    '</head><body>' +
    `<a class="skip" href="#main">${pick(L, '跳到正文', 'Skip to content')}</a>` +
    `<header class="site"><div class="bar"><a class="brand" href="${e(withLang('/', L))}">${logo}<span>${e(county)}</span></a>` +
    `<nav class="site" aria-label="${pick(L, '主导航', 'Main')}">${nav}${toggle}</nav></div></header>` +
    `<main id="main">${body}</main>` +
    `<footer class="site"><p>${pick(L, '公开信息不包含任何个人信息：不公开姓名、电话、地址和诉求原文。', 'Public information holds no personal data: no names, phones, addresses or the citizens\' own words.')}</p></footer>` +
    '</body></html>'
  );
};

const rateCard = (L: Lang, key: string, zh: string, en: string, r: Rate) =>
  `<div class="card"><span class="sub">${pick(L, zh, en)}</span><span class="n" data-figure="rates.${key}">${percent(r)}</span>` +
  `<span class="sub" data-figure="rates.${key}.fraction">${fraction(r)}</span>` +
  `<svg class="chart" viewBox="0 0 100 6" aria-hidden="true" focusable="false"><rect width="100" height="6" rx="2" fill="#e4e7eb"></rect><rect width="${r.rate === null ? 0 : Math.round(r.rate * 100)}" height="6" rx="2" fill="#a3161f"></rect></svg></div>`;

const countCard = (L: Lang, key: string, zh: string, en: string, n: number) =>
  `<div class="card"><span class="sub">${pick(L, zh, en)}</span><span class="n" data-figure="${key}">${n}</span></div>`;

/** A bar chart of the monthly counts (inline SVG); the table after it carries the same numbers. */
const trendChart = (L: Lang, trend: PublicSummary['trend']): string => {
  const months = trend.slice(-12);
  if (!months.length) return `<p>${pick(L, '暂无数据', 'No data yet')}</p>`;
  const max = Math.max(1, ...months.map((m) => m.complaints));
  const w = 600;
  const h = 180;
  const bw = w / months.length;
  const bars = months
    .map((m, i) => {
      const bh = Math.round((m.complaints / max) * (h - 40));
      const x = Math.round(i * bw + bw * 0.15);
      return `<rect x="${x}" y="${h - 20 - bh}" width="${Math.round(bw * 0.7)}" height="${bh}" fill="#a3161f"></rect>` +
        `<text x="${Math.round(i * bw + bw / 2)}" y="${h - 24 - bh}" text-anchor="middle">${m.complaints}</text>` +
        `<text x="${Math.round(i * bw + bw / 2)}" y="${h - 5}" text-anchor="middle">${e(m.month.slice(2))}</text>`;
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="trend-title"><title id="trend-title">${pick(L, '每月诉求数（最近 12 个月）', 'Demands per month (last 12 months)')}</title>${bars}</svg>`;
};

const ratesCells = (r: PublicRates | null) =>
  r ? `<td class="num">${percent(r.resolution)}</td><td class="num">${percent(r.satisfaction)}</td>` : '<td class="num">—</td><td class="num">—</td>';

export interface HomeData {
  summary: PublicSummary;
  results: { data: PublicResult[]; meta: { page: number; pageSize: number; total: number } };
  ranking: { month: string; units: Array<{ rank: number | null; name: string; rates: PublicRates }> };
  query: { category: string | null; town: string | null; month: string | null; page: number };
  categories: Array<{ code: string; name: string }>;
  towns: string[];
}

export const renderHome = (c: PageContext, d: HomeData): string => {
  const L = c.lang;
  const s = d.summary;
  const t = s.totals;
  const label = (x: { zh: string; en: string }) => pick(L, x.zh, x.en);
  const option = (value: string, text: string, selected: boolean) => `<option value="${e(value)}"${selected ? ' selected' : ''}>${e(text)}</option>`;
  const filters =
    `<form class="filters panel" method="get" action="/"><div><label for="f-category">${pick(L, '诉求类别', 'Category')}</label><select id="f-category" name="category">` +
    option('', pick(L, '全部', 'All'), !d.query.category) +
    d.categories.map((k) => option(k.code, `${k.code} ${k.name}`, d.query.category === k.code)).join('') +
    `</select></div><div><label for="f-town">${pick(L, '乡镇', 'Town')}</label><select id="f-town" name="town">` +
    option('', pick(L, '全部', 'All'), !d.query.town) +
    d.towns.map((x) => option(x, x, d.query.town === x)).join('') +
    `</select></div><div><label for="f-month">${pick(L, '受理月份', 'Month received')}</label><input id="f-month" name="month" type="month" value="${e(d.query.month ?? '')}"></div>` +
    (L === 'en' ? '<input type="hidden" name="lang" value="en">' : '') +
    `<div><button type="submit">${pick(L, '筛选', 'Filter')}</button></div></form>`;
  const groups = STATE_GROUPS.map((g) => `<tr><th scope="row">${label(STATE_GROUP_LABELS[g])}</th><td class="num" data-figure="byStateGroup.${g}">${t.byStateGroup[g]}</td></tr>`).join('');
  const byCategory = s.byCategory
    .map((r) => `<tr><th scope="row">${e(r.name ?? pick(L, '未分类', 'Not classified'))}</th><td class="num">${r.complaints}</td>${ratesCells(r.rates)}</tr>`)
    .join('');
  const byTown = s.byTown.map((r) => `<tr><th scope="row">${e(r.town ?? '—')}</th><td class="num">${r.complaints}</td>${ratesCells(r.rates)}</tr>`).join('');
  const trendRows = s.trend.slice(-12).map((m) => `<tr><th scope="row">${e(m.month)}</th><td class="num">${m.complaints}</td>${ratesCells(m.rates)}</tr>`).join('');
  const ranked = d.ranking.units.filter((u) => u.rank !== null).slice(0, 10);
  const ranking = ranked.length
    ? `<div class="table-wrap"><table><caption class="hint">${e(d.ranking.month)}</caption><thead><tr><th scope="col">${pick(L, '名次', 'Rank')}</th><th scope="col">${pick(L, '责任单位', 'Unit')}</th><th scope="col" class="num">${pick(L, '响应率', 'Response')}</th><th scope="col" class="num">${pick(L, '解决率', 'Resolution')}</th><th scope="col" class="num">${pick(L, '满意率', 'Satisfaction')}</th></tr></thead><tbody>` +
      ranked.map((u) => `<tr><td>${u.rank}</td><th scope="row">${e(u.name)}</th><td class="num">${percent(u.rates.response)}</td><td class="num">${percent(u.rates.resolution)}</td><td class="num">${percent(u.rates.satisfaction)}</td></tr>`).join('') +
      '</tbody></table></div>'
    : `<p>${pick(L, `${d.ranking.month} 暂无排名`, `No ranking for ${d.ranking.month} yet`)}</p>`;
  const results = d.results.data.length
    ? '<ul class="results">' +
      d.results.data
        .map((r) => {
          const cat = [r.majorCategory?.name, r.minorCategory?.name].filter(Boolean).join(' · ');
          const sat = r.satisfaction ? label(SAT_LABEL[r.satisfaction]) : pick(L, '未评价', 'Not answered');
          const mode = r.measure.mode ? label(MODE_LABEL[r.measure.mode] ?? { zh: r.measure.mode, en: r.measure.mode }) : null;
          return `<li data-ledger="${e(r.ledgerNo)}"><strong>${e(r.ledgerNo)}</strong> <span class="meta">${e(cat || '—')} · ${e(r.town ?? '—')}</span>` +
            `<dl><dt>${pick(L, '受理月份', 'Received')}</dt><dd>${e(r.monthReceived ?? '—')}</dd><dt>${pick(L, '办结日期', 'Closed on')}</dt><dd>${e(r.closedOn ?? '—')}</dd>` +
            (r.summary ? `<dt>${pick(L, '诉求摘要', 'Summary')}</dt><dd>${e(r.summary)}</dd>` : '') +
            (mode || r.measure.text ? `<dt>${pick(L, '整改措施', 'Measure')}</dt><dd>${e([mode, r.measure.text].filter(Boolean).join('：'))}</dd>` : '') +
            `<dt>${pick(L, '满意度', 'Satisfaction')}</dt><dd>${e(sat)}</dd></dl></li>`;
        })
        .join('') +
      '</ul>'
    : `<p>${pick(L, '暂无办结的诉求', 'No closed demands yet')}</p>`;
  const pages = Math.max(1, Math.ceil(d.results.meta.total / d.results.meta.pageSize));
  const params = { category: d.query.category, town: d.query.town, month: d.query.month };
  const pager =
    `<nav class="pager" aria-label="${pick(L, '分页', 'Pages')}">` +
    (d.query.page > 1 ? `<a href="${e(withLang('/', L, { ...params, page: d.query.page - 1 }))}#results" rel="prev">${pick(L, '上一页', 'Previous')}</a>` : '') +
    `<span>${pick(L, `第 ${d.query.page} / ${pages} 页，共 ${d.results.meta.total} 条`, `Page ${d.query.page} of ${pages}, ${d.results.meta.total} in all`)}</span>` +
    (d.query.page < pages ? `<a href="${e(withLang('/', L, { ...params, page: d.query.page + 1 }))}#results" rel="next">${pick(L, '下一页', 'Next')}</a>` : '') +
    '</nav>';
  const tableHead = (first: string) =>
    `<thead><tr><th scope="col">${first}</th><th scope="col" class="num">${pick(L, '诉求数', 'Demands')}</th><th scope="col" class="num">${pick(L, '解决率', 'Resolution')}</th><th scope="col" class="num">${pick(L, '满意率', 'Satisfaction')}</th></tr></thead>`;
  const body =
    `<h1>${pick(L, '诉求办理公开结果', 'Public results of citizens\' demands')}</h1>` +
    filters +
    '<section aria-labelledby="h-totals"><h2 id="h-totals">' + pick(L, '总体情况', 'Overview') + '</h2><div class="cards">' +
    countCard(L, 'totals.complaints', '诉求总数', 'Demands', t.complaints) +
    countCard(L, 'totals.valid', '有效诉求', 'Valid', t.valid) +
    countCard(L, 'totals.closed', '已办结', 'Closed', t.closed) +
    rateCard(L, 'response', '响应率', 'Response rate', t.rates.response) +
    rateCard(L, 'resolution', '解决率', 'Resolution rate', t.rates.resolution) +
    rateCard(L, 'satisfaction', '满意率', 'Satisfaction rate', t.rates.satisfaction) +
    `</div><div class="table-wrap panel"><table><caption class="hint">${pick(L, '按办理状态', 'By state')}</caption><tbody>${groups}</tbody></table></div></section>` +
    `<section aria-labelledby="h-trend"><h2 id="h-trend">${pick(L, '月度趋势', 'Monthly trend')}</h2><div class="panel">${trendChart(L, s.trend)}</div>` +
    `<div class="table-wrap panel"><table>${tableHead(pick(L, '月份', 'Month'))}<tbody>${trendRows}</tbody></table></div></section>` +
    `<div class="two"><section aria-labelledby="h-cat"><h2 id="h-cat">${pick(L, '按类别', 'By category')}</h2><div class="table-wrap panel"><table>${tableHead(pick(L, '大类', 'Category'))}<tbody>${byCategory}</tbody></table></div></section>` +
    `<section aria-labelledby="h-town"><h2 id="h-town">${pick(L, '按乡镇', 'By town')}</h2><div class="table-wrap panel"><table>${tableHead(pick(L, '乡镇', 'Town'))}<tbody>${byTown}</tbody></table></div></section></div>` +
    `<section aria-labelledby="h-rank"><h2 id="h-rank">${pick(L, '责任单位月度排名', 'Monthly ranking of units')}</h2><div class="panel">${ranking}</div></section>` +
    `<section aria-labelledby="h-results" id="results"><h2 id="h-results">${pick(L, '办结诉求', 'Closed demands')}</h2>${results}${pager}</section>`;
  return layout(c, 'home', pick(L, '公开结果', 'Results'), body, { path: '/', params: { ...params, page: d.query.page > 1 ? d.query.page : null } });
};

/** A page that says the filters were not understood (400): the message is the domain's, in the page's language. */
export const renderBadQuery = (c: PageContext, message: { zh: string; en: string }): string =>
  layout(c, 'home', pick(c.lang, '筛选条件有误', 'Bad filter'), `<h1>${pick(c.lang, '筛选条件有误', 'Bad filter')}</h1><p class="notice" role="alert">${e(pick(c.lang, message.zh, message.en))}</p><p><a class="back" href="${e(withLang('/', c.lang))}">${pick(c.lang, '返回公开结果', 'Back to the results')}</a></p>`, { path: '/' });

export const renderSubmit = (c: PageContext, towns: string[]): string => {
  const L = c.lang;
  const body =
    `<h1>${pick(L, '反映诉求（问题征集）', 'Submit a demand')}</h1>` +
    `<p>${pick(L, '请写下您遇到的问题。提交后您会得到诉求编号和查询码，凭它们可以查询办理进度。', 'Tell us the problem you face. You will get a ledger number and a tracking code to follow its handling.')}</p>` +
    `<form id="intake" class="panel" method="post" action="/api/minyi/requests" novalidate data-lang="${L}">` +
    `<label for="i-content">${pick(L, '诉求内容', 'Your demand')} <span class="hint">${pick(L, `（${CONTENT_MIN}–${CONTENT_MAX} 字，必填）`, `(${CONTENT_MIN}–${CONTENT_MAX} characters, required)`)}</span></label>` +
    `<textarea id="i-content" name="content" required minlength="${CONTENT_MIN}" maxlength="${CONTENT_MAX}" aria-describedby="i-content-hint"></textarea>` +
    `<p id="i-content-hint" class="hint">${pick(L, '请不要写身份证号等敏感信息。内容只提供给办理单位，不会公开。', 'Please leave out ID numbers and other sensitive data. Only the units handling it read your words; they are never published.')}</p>` +
    `<label for="i-town">${pick(L, '乡镇', 'Town')} <span class="hint">${pick(L, '（必填）', '(required)')}</span></label><select id="i-town" name="town" required><option value="">${pick(L, '请选择', 'Choose')}</option>` +
    towns.map((t) => `<option value="${e(t)}">${e(t)}</option>`).join('') +
    '</select>' +
    `<label for="i-village">${pick(L, '村（社区）', 'Village or community')} <span class="hint">${pick(L, '（必填）', '(required)')}</span></label><input id="i-village" name="village" required maxlength="100" autocomplete="off">` +
    `<label for="i-name">${pick(L, '姓名', 'Name')} <span class="hint">${pick(L, '（可选）', '(optional)')}</span></label><input id="i-name" name="name" maxlength="50" autocomplete="name">` +
    `<label for="i-mobile">${pick(L, '手机号码', 'Mobile phone')} <span class="hint">${pick(L, '（可选，用于登记告知短信和回访）', '(optional: for the registration SMS and the survey)')}</span></label><input id="i-mobile" name="mobile" type="tel" inputmode="tel" maxlength="20" autocomplete="tel">` +
    `<div class="hp" aria-hidden="true"><label for="i-website">Website</label><input id="i-website" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>` +
    `<label class="check" for="i-consent"><input id="i-consent" name="consent" type="checkbox" value="true" required> <span>${pick(L, '我同意将所填信息用于办理本诉求；姓名、电话、地址和诉求原文不会公开。', 'I agree that what I give is used to handle this demand; my name, phone, address and words are never published.')}</span></label>` +
    `<button type="submit">${pick(L, '提交', 'Submit')}</button>` +
    '<div id="intake-result" role="status" aria-live="polite"></div></form>';
  return layout(c, 'submit', pick(L, '反映诉求', 'Submit a demand'), body, { script: true, path: '/submit' });
};

export const renderTrack = (c: PageContext): string => {
  const L = c.lang;
  const body =
    `<h1>${pick(L, '查询办理进度', 'Track a demand')}</h1>` +
    `<form id="track" class="panel" method="post" action="/api/minyi/track" novalidate data-lang="${L}">` +
    `<label for="t-ledger">${pick(L, '诉求编号', 'Ledger number')}</label><input id="t-ledger" name="ledgerNo" required maxlength="64" autocomplete="off">` +
    `<label for="t-code">${pick(L, '查询码', 'Tracking code')} <span class="hint">${pick(L, '（提交诉求时获得；或填写下面的手机号码后 4 位）', '(given when you submitted; or give the phone\'s last 4 digits below)')}</span></label><input id="t-code" name="code" maxlength="40" autocomplete="off">` +
    `<label for="t-tail">${pick(L, '手机号码后 4 位', 'Last 4 digits of the phone')}</label><input id="t-tail" name="phoneTail" inputmode="numeric" maxlength="4" autocomplete="off">` +
    `<button type="submit">${pick(L, '查询', 'Track')}</button>` +
    '<div id="track-result" role="status" aria-live="polite"></div></form>';
  return layout(c, 'track', pick(L, '查询进度', 'Track a demand'), body, { script: true, path: '/track' });
};

export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
