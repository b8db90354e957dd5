/**
 * Saved views 保存的视图 of My work: a name and the page's address query (the queue and the
 * filter module's filters), kept per admin user on the server, so that a view follows its user
 * from one browser or machine to another. A view is checked when it is saved, by the filter
 * module's own parser: one that would be refused when opened is refused when saved.
 */
import { DomainError } from './errors';
import { parseFilters } from './filters';
import { QUEUE_KEYS } from './queues';

export interface SavedView {
  name: string;
  search: string;
}

export const SAVED_VIEWS_MAX = 20;
export const VIEW_NAME_MAX = 40;
export const VIEW_SEARCH_MAX = 2000;
/** The query parameters of My work that are not filters. */
const PAGE_PARAMETERS = ['queue', 'page'] as const;

const bad = (code: string, zh: string, en: string, extra: Record<string, unknown> = {}) => new DomainError('validation', code, zh, en, extra);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** One view's address query, checked: known parameters once each, a known queue, filters the filter module accepts. */
const checkSearch = (search: string, index: number): string => {
  if (search.length > VIEW_SEARCH_MAX) throw bad('view_too_long', `第 ${index + 1} 个视图的筛选条件过长（最多 ${VIEW_SEARCH_MAX} 个字符）`, `View ${index + 1}: its filters are too long (at most ${VIEW_SEARCH_MAX} characters)`, { view: index });
  const params = new URLSearchParams(search);
  const query: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in query) throw bad('view_repeated_parameter', `第 ${index + 1} 个视图重复了某个参数`, `View ${index + 1} repeats a parameter`, { view: index });
    query[key] = value;
  }
  if (query.queue !== undefined && !(QUEUE_KEYS as readonly string[]).includes(query.queue)) {
    throw bad('view_unknown_queue', `第 ${index + 1} 个视图的队列不存在`, `View ${index + 1} names a queue that does not exist`, { view: index });
  }
  if (query.page !== undefined && !/^[1-9]\d{0,5}$/.test(query.page)) throw bad('view_bad_page', `第 ${index + 1} 个视图的页码无效`, `View ${index + 1} has a bad page number`, { view: index });
  // The filters, as the queue's route will read them (an unknown, private or bad one is refused with its own message).
  parseFilters(query, PAGE_PARAMETERS);
  return params.toString();
};

/** The views of a save request `{ views: [{ name, search }] }`, checked and normalised; a DomainError (400) otherwise. */
export const parseSavedViews = (body: unknown): SavedView[] => {
  const views = body && typeof body === 'object' && !Array.isArray(body) ? (body as { views?: unknown }).views : undefined;
  if (!Array.isArray(views)) throw bad('views_missing', '请求体须为 { views: [{ name, search }] }', 'The body must be { views: [{ name, search }] }');
  if (views.length > SAVED_VIEWS_MAX) throw bad('too_many_views', `最多保存 ${SAVED_VIEWS_MAX} 个视图`, `At most ${SAVED_VIEWS_MAX} views can be saved`);
  const names = new Set<string>();
  return views.map((v, index): SavedView => {
    if (!v || typeof v !== 'object' || typeof (v as SavedView).name !== 'string' || typeof (v as SavedView).search !== 'string') {
      throw bad('view_malformed', `第 ${index + 1} 个视图须有名称（name）和筛选条件（search）两个文字字段`, `View ${index + 1} must have a name and a search, both text`, { view: index });
    }
    const name = (v as SavedView).name.trim();
    if (!name || [...name].length > VIEW_NAME_MAX || CONTROL.test(name)) {
      throw bad('view_bad_name', `第 ${index + 1} 个视图的名称须为 1 至 ${VIEW_NAME_MAX} 个字符，且不含控制字符`, `View ${index + 1}: a name is 1 to ${VIEW_NAME_MAX} characters, with no control character`, { view: index });
    }
    if (names.has(name)) throw bad('view_repeated_name', `第 ${index + 1} 个视图与前面的视图同名`, `View ${index + 1} has the name of an earlier view`, { view: index });
    names.add(name);
    return { name, search: checkSearch((v as SavedView).search, index) };
  });
};

/** Views as they were stored (a store written by an older version may hold anything): the well-formed ones. */
export const storedViews = (value: unknown): SavedView[] =>
  Array.isArray(value) ? value.filter((v): v is SavedView => Boolean(v) && typeof v.name === 'string' && typeof v.search === 'string') : [];
