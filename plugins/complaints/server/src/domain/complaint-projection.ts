/**
 * What a role sees of a complaint, wherever it appears: its own list and edit view, relations
 * embedded in other types (measures, evidence, sign-offs, surveys, corrections), the relations
 * endpoint, homepage widgets, the plugin's views. One rule, from DOMAIN.md's roles table:
 *
 * - Roles that call citizens (county office, unit operator) and Super Admin: full phones.
 * - Every other role (lead unit, unit head, county leader, any role that is not Minyi's):
 *   phones masked (138****1234), no raw row (it holds the phone as imported), and a corrected
 *   phone's new value masked too.
 * - Names, addresses and content stay visible to staff roles: reviewing and signing need them.
 *
 * A field a role cannot see cannot be sorted or filtered on either: ordering by it tells its value.
 */
import { DomainError } from './errors';
import { maskName, maskPhone } from './masking';
import { actorContextOf, seesEveryComplaint, seesFullPhone } from './actor';

export { SUPER_ADMIN_ROLE_CODE } from './actor';

/** Fields hidden (or masked) for roles that see phones masked. */
export const MASKED_ROLE_HIDDEN_FIELDS = ['phone', 'rawRow'] as const;

export const seesFullPhones = (roleCodes: readonly string[]): boolean => seesFullPhone(actorContextOf(null, roleCodes, []));

/** Roles whose reading is not limited to a unit: the county office, the county leader, Super Admin. */
export const seesWholeCounty = (roleCodes: readonly string[]): boolean => seesEveryComplaint(actorContextOf(null, roleCodes, []));

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * Applies the projection to every object of a response tree (a complaint, a survey or SMS with
 * a phone, a correction of a phone). Returns a new tree; the input is not changed.
 */
export const projectForRole = <T>(value: T, fullPhones: boolean, depth = 0): T => {
  if (fullPhones || depth > 12) return value;
  if (Array.isArray(value)) return value.map((v) => projectForRole(v, fullPhones, depth + 1)) as unknown as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'rawRow') continue;
    if (k === 'phone' && (typeof v === 'string' || typeof v === 'number')) out[k] = maskPhone(String(v));
    else out[k] = projectForRole(v, fullPhones, depth + 1);
  }
  // A correction of a phone holds the corrected number in `value`.
  if (out.field === 'phone' && typeof out.value === 'string') out.value = maskPhone(out.value);
  if (out.field === 'rawRow' && 'value' in out) out.value = null;
  return out as T;
};

/** Attribute names a query sorts or filters on, at any depth (relation paths included). */
export const queriedFieldNames = (query: { sort?: unknown; filters?: unknown; orderBy?: unknown }): string[] => {
  const names = new Set<string>();
  const fromSort = (s: unknown): void => {
    if (typeof s === 'string') for (const part of s.split(',')) for (const seg of part.split(':')[0].split('.')) names.add(seg.trim());
    else if (Array.isArray(s)) s.forEach(fromSort);
    else if (isPlainObject(s)) for (const [k, v] of Object.entries(s)) { names.add(k); fromSort(v); }
  };
  const fromFilters = (f: unknown, depth = 0): void => {
    if (depth > 20) return;
    if (Array.isArray(f)) f.forEach((x) => fromFilters(x, depth + 1));
    else if (isPlainObject(f)) for (const [k, v] of Object.entries(f)) { if (!k.startsWith('$')) names.add(k); fromFilters(v, depth + 1); }
  };
  fromSort(query.sort);
  fromSort(query.orderBy);
  fromFilters(query.filters);
  return [...names];
};

/** The hidden fields a query would sort or filter on, for a role that sees phones masked. */
export const hiddenFieldsQueried = (
  query: { sort?: unknown; filters?: unknown; _q?: unknown },
  fullPhones: boolean,
  opts: { searchesPhone?: boolean } = { searchesPhone: true }
): string[] => {
  if (fullPhones) return [];
  const hidden = queriedFieldNames(query).filter((n) => (MASKED_ROLE_HIDDEN_FIELDS as readonly string[]).includes(n));
  // A free-text search on a type with a phone runs over the phone column too: four digits in a
  // row is a phone search. (Category codes such as 0101 live on types without one.)
  if (opts.searchesPhone !== false && typeof query._q === 'string' && /\d{4}/.test(query._q)) hidden.push('phone');
  return [...new Set(hidden)];
};

export const hiddenFieldQueryError = (fields: readonly string[]) =>
  new DomainError(
    'validation',
    'hidden_field_query',
    `不能按您无权查看的字段排序、筛选或搜索：${fields.join(', ')}（搜索请勿输入连续 4 位以上数字，诉求编号请用筛选条件）`,
    `You cannot sort, filter or search on fields you cannot see: ${fields.join(', ')} (a search may not contain 4 or more digits in a row; filter on the ledger number instead)`,
    { fields: [...fields] }
  );

/**
 * The citizen's contact as the workflow panel shows it: roles that call citizens see the name
 * and phones in full; every other role sees them masked (the panel is where a complaint is
 * worked on, and a reviewer or signer needs neither).
 */
export const panelContact = (
  c: { complainantName: string | null; phone: string | null; contactPhone: string | null },
  fullPhones: boolean
): { complainantName: string | null; phone: string | null; contactPhone: string | null } =>
  fullPhones ? { ...c } : { complainantName: maskName(c.complainantName), phone: maskPhone(c.phone), contactPhone: maskPhone(c.contactPhone) };

/**
 * A correction's new value as the history panel shows it: in full to those who may correct
 * (they typed it), otherwise a corrected phone masked and any other value hidden.
 */
export const correctionValueShown = (c: { field: string; value: string | null }, seesValues: boolean): string | null =>
  seesValues ? c.value : c.field === 'phone' ? maskPhone(c.value) : '***';
