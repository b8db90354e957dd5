/**
 * The Content Manager's complaint list in the county's words: every column and filter named in
 * Chinese (and English), enum values as labels instead of codes, the warning level as a coloured
 * badge, and the internal fields (ids, chain fields, the raw row) offered neither as a column nor
 * as a filter. Two of the Content Manager's hooks, applied only to the complaint type (its
 * schema's `pluginOptions.complaints.listView`).
 */
import { Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { WarningBadge as Badge } from '../components/WarningsWidget';
import en from '../translations/en.json';
import zh from '../translations/zh-Hans.json';
import { getTranslation } from '../utils/getTranslation';

/**
 * A filter option's label must be text when the hook runs, outside React: it is looked up in
 * the language the admin is in (Strapi keeps it in local storage).
 */
const plain = (key: string, fallback: string): string => {
  const lang = typeof window !== 'undefined' ? window.localStorage?.getItem('strapi-admin-language') : null;
  const messages = (lang ?? 'en').toLowerCase().startsWith('zh') ? (zh as Record<string, string>) : (en as Record<string, string>);
  return messages[key] ?? fallback;
};

/** The translation key of each field's label (translations: `cm.field.<name>`). */
export const COMPLAINT_FIELDS = [
  'ledgerNo', 'receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content', 'importBatch', 'rawRow',
  'state', 'summary', 'traceable', 'invalidReason', 'invalidNote', 'duplicateOf', 'suggestion', 'suggestionRef', 'category', 'categoryCode',
  'majorCategoryCode', 'level', 'responsibleUnit', 'responsibleUnitId', 'leadUnit', 'leadUnitId', 'problemGroup', 'problemGroupId', 'nature',
  'mode', 'assignedAt', 'responseDeadline', 'acceptedAt', 'deadline', 'completedAt', 'closedAt', 'signStep', 'warningLevel', 'warningChangedAt',
  'reopenCount', 'sendBackCount', 'returnCount', 'satisfaction', 'chainSeq', 'chainHash', 'createdAt', 'updatedAt',
] as const;

/** Internal: never a column or a filter (ids, the history chain's head, the raw imported row). */
export const INTERNAL_FIELDS: readonly string[] = ['id', 'documentId', 'chainSeq', 'chainHash', 'rawRow', 'createdBy', 'updatedBy'];
/** Scalar copies of relations (kept for set-based SQL): the relation is the column. Still filters, so a figure's link keeps working. */
export const COPY_FIELDS: readonly string[] = ['responsibleUnitId', 'leadUnitId', 'problemGroupId', 'categoryCode', 'majorCategoryCode'];

/** The translation key of an enum value, per field. */
export const ENUM_KEY: Partial<Record<string, (v: string) => string>> = {
  state: (v) => `state.${v}`,
  warningLevel: (v) => `dashboard.value.warningLevel.${v}`,
  channel: (v) => `dashboard.value.channel.${v}`,
  mode: (v) => `mode.${v}`,
  nature: (v) => `nature.${v}`,
  level: (v) => `level.${v}`,
  invalidReason: (v) => `invalid.${v}`,
  signStep: (v) => `signStep.${v}`,
  satisfaction: (v) => `cm.satisfaction.${v}`,
  suggestion: (v) => `cm.suggestion.${v}`,
};

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

const isComplaintList = (layout: Layout | undefined) => layout?.options?.complaints?.listView === 'complaint';
const fieldLabel = (name: string) => ({ id: getTranslation(`cm.field.${name}`), defaultMessage: name });

/** One enum cell: its label, and for the warning level a badge in its colour. */
const EnumCell = ({ field, value }: { field: string; value: unknown }) => {
  const { formatMessage } = useIntl();
  if (value === null || value === undefined || value === '') return <Typography textColor="neutral800">-</Typography>;
  const v = String(value);
  const text = formatMessage({ id: getTranslation(ENUM_KEY[field]!(v)), defaultMessage: v });
  if (field === 'warningLevel') {
    const level = v === 'yellow' || v === 'orange' || v === 'red' ? v : 'zero';
    return <Badge $level={level} data-testid="minyi-cm-warning">{text}</Badge>;
  }
  return (
    <Typography textColor="neutral800" data-testid={`minyi-cm-${field}`}>
      {text}
    </Typography>
  );
};

/** Hook `Admin/CM/pages/ListView/inject-column-in-table`. */
export const complaintColumns = ({ displayedHeaders, layout }: { displayedHeaders: Header[]; layout: Layout }) => {
  if (!isComplaintList(layout)) return { displayedHeaders, layout };
  const shown = displayedHeaders
    .filter((h) => !INTERNAL_FIELDS.includes(h.name) && !COPY_FIELDS.includes(h.name))
    .map((h): Header => {
      const label = (COMPLAINT_FIELDS as readonly string[]).includes(h.name) ? fieldLabel(h.name) : h.label;
      if (!ENUM_KEY[h.name]) return { ...h, label };
      return { ...h, label, cellFormatter: (row) => <EnumCell field={h.name} value={row[h.name]} /> };
    });
  return { displayedHeaders: shown, layout };
};

/** Hook `Admin/CM/pages/ListView/inject-in-filters`: labels in words, no internal field. */
export const complaintFilters = ({ displayedFilters, layout }: { displayedFilters: Filter[]; layout: Layout }) => {
  if (!isComplaintList(layout)) return { displayedFilters, layout };
  const shown = displayedFilters
    .filter((f) => !INTERNAL_FIELDS.includes(f.name))
    .map((f): Filter => {
      const label = (COMPLAINT_FIELDS as readonly string[]).includes(f.name) ? fieldLabel(f.name) : f.label;
      const toKey = ENUM_KEY[f.name];
      const options = toKey && f.options ? f.options.map((o) => ({ ...o, label: plain(toKey(o.value), o.value) })) : f.options;
      return { ...f, label, options };
    });
  return { displayedFilters: shown, layout };
};
