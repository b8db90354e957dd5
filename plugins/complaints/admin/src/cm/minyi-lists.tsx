/**
 * The Content Manager's lists of the Minyi types in the county's words: every column and filter
 * named in Chinese (and English), coded values as labels instead of codes, the complaint's
 * warning level as a coloured badge, every date-time in the county's zone, and the internal
 * fields (ids, hashes, raw json) offered neither as a column nor as a filter. Two of the Content Manager's hooks, applied only to the
 * Minyi types (each schema's `pluginOptions.complaints.listView` names its type; the hooks are
 * not told the model otherwise).
 */
import { Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { WarningBadge as Badge } from '../components/WarningsWidget';
import en from '../translations/en.json';
import zh from '../translations/zh-Hans.json';
import { useCountyTime } from '../utils/county-time';
import { getTranslation } from '../utils/getTranslation';
import { fieldKey, INTERNAL_FIELDS, isCoded, valueKey } from './labels';

/**
 * A filter option's label must be text when the hook runs, outside React: it is looked up in
 * the language the admin is in (Strapi keeps it in local storage).
 */
const plain = (key: string, fallback: string): string => {
  const lang = typeof window !== 'undefined' ? window.localStorage?.getItem('strapi-admin-language') : null;
  const messages = (lang ?? 'en').toLowerCase().startsWith('zh') ? (zh as Record<string, string>) : (en as Record<string, string>);
  return messages[key] ?? fallback;
};

/** Scalar copies of relations (kept for set-based SQL): the relation is the column. Still filters, so a figure's link keeps working. */
export const COPY_FIELDS: readonly string[] = ['responsibleUnitId', 'leadUnitId', 'problemGroupId', 'categoryCode', 'majorCategoryCode'];

interface Header {
  name: string;
  label: string | { id: string; defaultMessage: string };
  attribute?: { type?: string };
  cellFormatter?: (row: Record<string, unknown>, header: Header) => React.ReactNode;
  [key: string]: unknown;
}
interface Filter {
  name: string;
  label: string | { id: string; defaultMessage: string };
  options?: Array<{ label: string; value: string }>;
  [key: string]: unknown;
}
interface Layout {
  options?: { complaints?: { listView?: string } };
}

/** The Minyi type a list shows, or null for another plugin's list. */
const listType = (layout: Layout | undefined): string | null => layout?.options?.complaints?.listView ?? null;
const fieldLabel = (type: string, name: string) => ({ id: getTranslation(fieldKey(type, name)), defaultMessage: name });
const hidden = (type: string, name: string) => INTERNAL_FIELDS.includes(name) || (type === 'complaint' && COPY_FIELDS.includes(name));

/** One coded cell: its label, and for the complaint's warning level a badge in its colour. */
const EnumCell = ({ type, field, value }: { type: string; field: string; value: unknown }) => {
  const { formatMessage } = useIntl();
  if (value === null || value === undefined || value === '') return <Typography textColor="neutral800">-</Typography>;
  const v = String(value);
  const key = valueKey(type, field, v);
  const text = key ? formatMessage({ id: getTranslation(key), defaultMessage: v }) : v;
  if (type === 'complaint' && field === 'warningLevel') {
    const level = v === 'yellow' || v === 'orange' || v === 'red' ? v : 'zero';
    return <Badge $level={level} data-testid="minyi-cm-warning">{text}</Badge>;
  }
  return (
    <Typography textColor="neutral800" data-testid={`minyi-cm-${field}`}>
      {text}
    </Typography>
  );
};

/** A date-time cell in the county's zone, in the Content Manager's own format (full date, short time). */
const CountyTimeCell = ({ value }: { value: unknown }) => {
  const format = useCountyTime();
  if (value === null || value === undefined || value === '') return <Typography textColor="neutral800">-</Typography>;
  return (
    <Typography textColor="neutral800" data-testid="minyi-cm-datetime">
      {format(String(value), { dateStyle: 'full', timeStyle: 'short' })}
    </Typography>
  );
};

/** Hook `Admin/CM/pages/ListView/inject-column-in-table`. */
export const minyiColumns = ({ displayedHeaders, layout }: { displayedHeaders: Header[]; layout: Layout }) => {
  const type = listType(layout);
  if (!type) return { displayedHeaders, layout };
  const shown = displayedHeaders
    .filter((h) => !hidden(type, h.name))
    .map((h): Header => {
      const label = fieldLabel(type, h.name);
      if (h.attribute?.type === 'datetime') return { ...h, label, cellFormatter: (row: Record<string, unknown>) => <CountyTimeCell value={row[h.name]} /> };
      if (!isCoded(type, h.name)) return { ...h, label };
      const cellFormatter = (row: Record<string, unknown>) => <EnumCell type={type} field={h.name} value={row[h.name]} />;
      // The Content Manager shows any column named `status` as a draft/published badge, whatever
      // the field: ours (an import's, a job's, a survey's…) goes under another name, unsorted.
      if (h.name === 'status') return { ...h, name: 'minyiStatus', label, sortable: false, cellFormatter };
      return { ...h, label, cellFormatter };
    });
  return { displayedHeaders: shown, layout };
};

/** Hook `Admin/CM/pages/ListView/inject-in-filters`: labels in words, no internal field. */
export const minyiFilters = ({ displayedFilters, layout }: { displayedFilters: Filter[]; layout: Layout }) => {
  const type = listType(layout);
  if (!type) return { displayedFilters, layout };
  const shown = displayedFilters
    .filter((f) => !INTERNAL_FIELDS.includes(f.name))
    .map((f): Filter => {
      const label = fieldLabel(type, f.name);
      const options = f.options?.map((o) => {
        const key = valueKey(type, f.name, o.value);
        return key ? { ...o, label: plain(key, o.value) } : o;
      });
      return { ...f, label, options };
    });
  return { displayedFilters: shown, layout };
};
