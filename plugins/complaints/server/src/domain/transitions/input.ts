/**
 * The fields of transition inputs, as zod schemas with the workflow's own bilingual errors.
 * A verb declares its fields in the order they are checked; `parseFields` returns typed
 * values or throws the first field's DomainError (400, with `details.field`).
 */
import { z } from 'zod';
import { daysBetween, isCalendarDay } from '../calendar';
import { DomainError } from '../errors';

type Issue = z.core.$ZodIssue;

export interface Field<T> {
  schema: z.ZodType<T>;
  /** The DomainError for the first issue zod found in this field. */
  error(issue: Issue): DomainError;
}

export const invalid = (code: string, zh: string, en: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError('validation', code, zh, en, details);

export const missing = (key: string, zhName: string): DomainError =>
  invalid('missing_input', `缺少必填项：${zhName}（${key}）`, `Missing required input: ${key}`, { field: key });

/** No value: absent, null, or only spaces. */
const absent = (issue: Issue): boolean => !('input' in issue) || issue.input === undefined;

/** Strings are trimmed; an empty one, like null, is no value. Anything else is kept, to be refused. */
const trimmed = (raw: unknown): unknown => (typeof raw === 'string' ? raw.trim() || undefined : raw === null ? undefined : raw);

const textErrors = (key: string, max?: number, min?: number) => (issue: Issue): DomainError => {
  if (issue.code === 'too_big') return invalid('invalid_input', `「${key}」过长（最多 ${max} 字）`, `"${key}" is too long (at most ${max} characters)`, { field: key });
  if (issue.code === 'too_small') return invalid('invalid_input', `「${key}」过短（至少 ${min} 字）`, `"${key}" is too short (at least ${min} characters)`, { field: key });
  return invalid('invalid_input', `「${key}」应为文本`, `"${key}" must be text`, { field: key });
};

const lengths = (opts: { min?: number; max?: number }) => {
  let s = z.string();
  // The longest allowed is checked first: an over-long text is refused as too long.
  if (opts.max) s = s.max(opts.max);
  if (opts.min) s = s.min(opts.min);
  return s;
};

/** Optional text: trimmed, null when empty. */
export const optionalText = (key: string, opts: { min?: number; max?: number } = {}): Field<string | null> => ({
  schema: z.preprocess(trimmed, lengths(opts).optional()).transform((s) => s ?? null),
  error: textErrors(key, opts.max, opts.min),
});

/** Required text: trimmed, and not empty. */
export const requiredText = (key: string, zhName: string, opts: { min?: number; max?: number } = {}): Field<string> => {
  const errors = textErrors(key, opts.max, opts.min);
  return {
    schema: z.preprocess(trimmed, lengths(opts)),
    error: (issue) => (issue.code === 'invalid_type' && absent(issue) ? missing(key, zhName) : errors(issue)),
  };
};

/** One of a list of codes (not trimmed: a code is sent as it is listed). */
export const oneOf = <T extends string>(key: string, zhName: string, allowed: readonly T[]): Field<T> => ({
  schema: z.preprocess((raw) => (raw === null || raw === '' ? undefined : raw), z.enum(allowed as unknown as [T, ...T[]])) as unknown as z.ZodType<T>,
  error: (issue) =>
    absent(issue)
      ? missing(key, zhName)
      : invalid('invalid_input', `${zhName}（${key}）应为 ${allowed.join(' / ')} 之一`, `${key} must be one of ${allowed.join(', ')}`, { field: key, allowed: [...allowed] }),
});

/** A calendar day (YYYY-MM-DD), today or later. */
export const dayFromToday = (key: string, zhName: string, today: string): Field<string> => ({
  schema: z.preprocess(
    trimmed,
    z
      .string()
      .refine(isCalendarDay, { params: { rule: 'format' }, abort: true })
      .refine((s) => daysBetween(today, s) >= 0, { params: { rule: 'from_today' } })
  ),
  error: (issue) => {
    if (absent(issue)) return missing(key, zhName);
    if (issue.code === 'custom' && issue.params?.rule === 'from_today') {
      return invalid('invalid_input', `${zhName}不能早于今天（${today}）`, `${key} cannot be before today (${today})`, { field: key });
    }
    return invalid('invalid_input', `${zhName}（${key}）应为 YYYY-MM-DD 格式的日期`, `${key} must be a date as YYYY-MM-DD`, { field: key });
  },
});

type Parsed<F extends Record<string, Field<unknown>>> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** Checks the fields in their order; the first refused field's error is thrown. */
const objects = new WeakMap<object, z.ZodType>();
const objectOf = (fields: Record<string, Field<unknown>>): z.ZodType => {
  let schema = objects.get(fields);
  if (!schema) {
    schema = z.object(Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.schema])));
    objects.set(fields, schema);
  }
  return schema;
};

export const parseFields = <F extends Record<string, Field<unknown>>>(raw: Record<string, unknown>, fields: F): Parsed<F> => {
  const schema = objectOf(fields);
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data as Parsed<F>;
  const [issue] = result.error.issues;
  const key = String(issue.path[0]);
  // The field's own issue, with its path made relative to the field.
  throw fields[key].error({ ...issue, path: issue.path.slice(1) } as Issue);
};

/** One field on its own (a field that only some inputs have). */
export const parseField = <T>(raw: unknown, field: Field<T>): T => {
  const result = field.schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw field.error(result.error.issues[0]);
};
