/**
 * 统计 Dashboard: headline numbers, the three rates with their monthly trend, breakdowns by
 * category, unit and town, the current warnings per unit, and the month's ranking with its red
 * and black lists, all under one filter bar. Every figure is the answer of a statistics route
 * (GET /complaints/stats/counts, /stats/rates, /stats/ranking, /warnings/overview) for the
 * bar's filters; the server scopes each one to what the user may see, so a unit's user gets its
 * own unit's figures, and the county's warning totals from the overview. A count opens the
 * Content Manager list of the complaints it counts (query.ts cmListHref).
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  Grid,
  Main,
  MultiSelect,
  MultiSelectOption,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Cross, Filter } from '@strapi/icons';
import { Layouts, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { styled } from 'styled-components';

import { TextFilter } from '../../components/TextFilter';
import { getTranslation } from '../../utils/getTranslation';
import {
  apiParams,
  BAR_FILTERS,
  CLOCK_STATES,
  cmListHref,
  filtersFromSearch,
  filtersToSearch,
  IN_PROGRESS_STATES,
  NOT_IN_LIST,
  queryString,
  rangeEnds,
  rangeValue,
  VALID_STATES,
  WARNING_COUNTED,
  type BarFilterName,
  type BarFilters,
} from './query';

// ---------------------------------------------------------------------------------------------
// Answers of the routes (docs/api.md, "Statistics")

interface Rate {
  numerator: number;
  denominator: number;
  rate: number | null;
}
type RateName = 'response' | 'resolution' | 'satisfaction';
const RATE_NAMES: RateName[] = ['response', 'resolution', 'satisfaction'];
interface RateRow {
  key: string | null;
  rates: Record<RateName, Rate>;
}
interface RatesAnswer {
  timeZone: string;
  today: string;
  /** Where the figures come from: the rows now, or the rates' rollup as of `asOf`. */
  source?: 'live' | 'rollup';
  asOf?: string | null;
  rows: RateRow[];
  totals: { rates: Record<RateName, Rate> };
}
interface RankingUnit {
  rank: number | null;
  composite: number | null;
  unitId: number;
  code: string;
  name: string;
  rates: Record<RateName, Rate>;
}
interface RankingAnswer {
  month: string;
  timeZone: string;
  units: RankingUnit[];
  redList: RankingUnit[];
  blackList: RankingUnit[];
}
type CountRow = Record<string, string | number | null> & { count: number };
interface CountsAnswer {
  data: CountRow[];
  meta: { total: number };
}
interface Overview {
  ownUnitIds: number[];
  totals: { yellow: number; orange: number; red: number; overdueDays: number };
}
interface Choice {
  value: string;
  label: string;
}

// ---------------------------------------------------------------------------------------------
// Fetching

type Loaded<T> = { data: T | null; error: string | null; loading: boolean };

const errorText = (e: unknown, fallback: string): string => {
  const err = e as { response?: { data?: { error?: { message?: string } } }; message?: string };
  return err?.response?.data?.error?.message ?? fallback;
};

/** GET `url` (null: nothing to ask); the latest answer wins. */
const useGet = <T,>(url: string | null, unwrap: (body: never) => T): Loaded<T> => {
  const { get } = useFetchClient();
  const { formatMessage } = useIntl();
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: url !== null });
  useEffect(() => {
    if (url === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    get(url)
      .then((res) => alive && setState({ data: unwrap(res.data as never), error: null, loading: false }))
      .catch((e: unknown) => alive && setState({ data: null, error: errorText(e, formatMessage({ id: getTranslation('dashboard.error'), defaultMessage: 'Could not load this figure' })), loading: false }));
    return () => {
      alive = false;
    };
  }, [get, url]);
  return state;
};

const dataOf = <T,>(body: { data: T }): T => body.data;
const itself = <T,>(body: T): T => body;

type CmRow = Record<string, string | number | boolean | null>;

/** Every row of a Content Manager list (names of units and major categories for the labels). */
const useCmAll = (path: string): CmRow[] | null => {
  const { get } = useFetchClient();
  const [rows, setRows] = useState<CmRow[] | null>(null);
  useEffect(() => {
    let alive = true;
    (async () => {
      const out: CmRow[] = [];
      for (let page = 1; page <= 50; page += 1) {
        const res = await get<{ results: CmRow[]; pagination: { pageCount: number } }>(`${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=100`);
        out.push(...res.data.results);
        if (page >= res.data.pagination.pageCount) break;
      }
      if (alive) setRows(out);
    })().catch(() => alive && setRows([]));
    return () => {
      alive = false;
    };
  }, [get, path]);
  return rows;
};

// ---------------------------------------------------------------------------------------------
// Presentation

const useT = () => {
  const { formatMessage } = useIntl();
  return (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
};

const percent = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

const Card = ({ title, testId, children, note, busy = false }: { title: string; testId: string; children: React.ReactNode; note?: string; busy?: boolean }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} width="100%" height="100%" data-testid={testId} aria-busy={busy}>
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex justifyContent="space-between" alignItems="baseline" gap={2}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        {note && (
          <Typography variant="pi" textColor="neutral500">
            {note}
          </Typography>
        )}
      </Flex>
      {children}
    </Flex>
  </Box>
);

const FigureLink = styled(Link)`
  color: inherit;
  text-decoration: none;
  &:hover,
  &:focus {
    text-decoration: underline;
  }
`;

/** A count, as a link to its complaints when the list can show them. */
const Count = ({ value, href, testId, label }: { value: number; href: string | null; testId: string; label?: string }) =>
  href && value > 0 ? (
    <FigureLink to={href} data-testid={testId} aria-label={label ? `${label} ${value}` : undefined}>
      {value}
    </FigureLink>
  ) : (
    <span data-testid={testId}>{value}</span>
  );

const Headline = ({ label, value, href, testId, tone, busy }: { label: string; value: number | null; href: string | null; testId: string; tone?: 'danger600'; busy: boolean }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} width="100%" data-testid={`${testId}-box`} aria-busy={busy}>
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Typography variant="alpha" textColor={tone}>
        {value === null ? <span data-testid={testId}>…</span> : <Count value={value} href={href} testId={testId} label={label} />}
      </Typography>
    </Flex>
  </Box>
);

const SERIES_COLORS: Record<RateName, string> = { response: '#4945FF', resolution: '#328048', satisfaction: '#D9822F' };
const BAR_COLOR = '#7B79FF';

const ErrorLine = ({ text }: { text: string }) => (
  <Typography variant="pi" textColor="danger600" data-testid="dashboard-error">
    {text}
  </Typography>
);

// ---------------------------------------------------------------------------------------------
// Filter bar

/** The filters shown before "more filters" is opened. */
const FIRST_FILTERS: BarFilterName[] = ['month', 'town', 'responsibleUnit', 'majorCategory', 'state', 'channel', 'warningLevel'];

/** A range of calendar days: two dates, either left open. */
const RangeFilter = ({ name, label, value, onApply }: { name: string; label: string; value: string; onApply: (v: string | null) => void }) => {
  const t = useT();
  const ends = rangeEnds(value);
  const end = (which: 'from' | 'to', text: string) => (
    <Field.Root name={`dashboard-${name}-${which}`}>
      <Field.Label>{`${label} · ${which === 'from' ? t('dashboard.filter.range.from', 'from') : t('dashboard.filter.range.to', 'to')}`}</Field.Label>
      <TextInput
        type="date"
        data-testid={`dashboard-filter-${name}-${which}`}
        value={text}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => onApply(which === 'from' ? rangeValue(e.target.value, ends.to) : rangeValue(ends.from, e.target.value))}
      />
    </Field.Root>
  );
  return (
    <Flex width="20rem" gap={2} alignItems="flex-end" data-testid={`dashboard-filter-${name}`}>
      <Box flex="1">{end('from', ends.from)}</Box>
      <Box flex="1">{end('to', ends.to)}</Box>
    </Flex>
  );
};

const FilterBar = ({
  filters,
  choices,
  onChange,
}: {
  filters: BarFilters;
  choices: (name: BarFilterName) => Choice[];
  onChange: (next: BarFilters) => void;
}) => {
  const t = useT();
  const [more, setMore] = useState(() => Object.keys(filters).some((k) => !FIRST_FILTERS.includes(k as BarFilterName)));
  const set = (name: BarFilterName, values: string[]) => {
    const next = { ...filters };
    if (values.length) next[name] = values;
    else delete next[name];
    onChange(next);
  };
  const shown = BAR_FILTERS.filter((f) => more || FIRST_FILTERS.includes(f.name));
  const active = Object.keys(filters).length;
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} marginBottom={4} data-testid="dashboard-filters">
      <Flex wrap="wrap" gap={3} alignItems="flex-end">
        {shown.map((f) => {
          const label = t(`dashboard.filter.${f.name}`, f.name);
          if (f.options === 'text') {
            return (
              <TextFilter
                idPrefix="dashboard"
                key={f.name}
                name={f.name}
                label={label}
                value={filters[f.name]?.[0] ?? ''}
                placeholder={f.name === 'keyword' ? t('dashboard.filter.keyword.placeholder', 'e.g. 路灯') : f.name === 'ledgerNo' ? t('dashboard.filter.ledgerNo.placeholder', 'exact, or a prefix ending in *') : undefined}
                onApply={(v) => set(f.name, v ? [v] : [])}
              />
            );
          }
          if (f.options === 'range') {
            return <RangeFilter key={f.name} name={f.name} label={label} value={filters[f.name]?.[0] ?? ''} onApply={(v) => set(f.name, v ? [v] : [])} />;
          }
          const options = choices(f.name);
          const value = filters[f.name] ?? [];
          return (
            <Box key={f.name} width="20rem" data-testid={`dashboard-filter-${f.name}`}>
              <Field.Root name={`dashboard-${f.name}`}>
                <Field.Label>{label}</Field.Label>
                {f.multi ? (
                  <MultiSelect
                    aria-label={label}
                    placeholder={t('dashboard.filter.any', 'Any')}
                    value={value}
                    onChange={(v: string[]) => set(f.name, v)}
                    onClear={() => set(f.name, [])}
                    clearLabel={t('dashboard.filter.clear', 'Clear')}
                    withTags={false}
                    customizeContent={(v?: string[]) => (v ?? []).map((x) => options.find((o) => o.value === x)?.label ?? x).join('、')}
                  >
                    {options.map((o) => (
                      <MultiSelectOption key={o.value} value={o.value}>
                        {o.label}
                      </MultiSelectOption>
                    ))}
                  </MultiSelect>
                ) : (
                  <SingleSelect
                    aria-label={label}
                    placeholder={t('dashboard.filter.any', 'Any')}
                    value={value[0] ?? ''}
                    onChange={(v: string | number) => set(f.name, v === '' ? [] : [String(v)])}
                    onClear={() => set(f.name, [])}
                    clearLabel={t('dashboard.filter.clear', 'Clear')}
                  >
                    {options.map((o) => (
                      <SingleSelectOption key={o.value} value={o.value}>
                        {o.label}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                )}
              </Field.Root>
            </Box>
          );
        })}
        <Flex gap={2}>
          <Button variant="tertiary" startIcon={<Filter />} onClick={() => setMore((m) => !m)} data-testid="dashboard-filters-more">
            {more ? t('dashboard.filter.less', 'Fewer filters') : t('dashboard.filter.more', 'More filters')}
          </Button>
          {active > 0 && (
            <Button variant="tertiary" startIcon={<Cross />} onClick={() => onChange({})} data-testid="dashboard-filters-reset">
              {t('dashboard.filter.reset', 'Clear all ({count})', { count: active })}
            </Button>
          )}
        </Flex>
      </Flex>
    </Box>
  );
};

// ---------------------------------------------------------------------------------------------
// The page

const STATS = '/complaints/stats';

const countsUrl = (by: string, params: Record<string, string> | null): string | null => (params === null ? null : `${STATS}/counts${queryString({ by, ...params })}`);

const sumWhere = (rows: CountRow[] | undefined, key: string, values: readonly string[]): number =>
  (rows ?? []).filter((r) => values.includes(String(r[key]))).reduce((n, r) => n + r.count, 0);

const DashboardPage = () => {
  const t = useT();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const setFilters = (next: BarFilters) => setSearch(filtersToSearch(next), { replace: false });
  const params = useMemo(() => apiParams(filters) ?? {}, [filters]);
  const month = filters.month?.[0] ?? null;

  // Choices of the bar: units and categories by name, towns and months as the ledger holds them.
  const options = useGet<{ categories: Array<{ code: string; name: string }>; units: Array<{ id: number; code: string; name: string }> }>('/complaints/options', dataOf);
  const townCounts = useGet<CountsAnswer>(`${STATS}/counts?by=town`, itself);
  const monthRates = useGet<RatesAnswer>(`${STATS}/rates?by=month`, dataOf);
  const cmUnits = useCmAll('/content-manager/collection-types/plugin::complaints.unit?sort=code:ASC');
  const cmMajors = useCmAll('/content-manager/collection-types/plugin::complaints.category?sort=code:ASC&filters[tier][$eq]=major');
  const cmGroups = useCmAll('/content-manager/collection-types/plugin::complaints.problem-group?sort=name:ASC');

  const unitName = useMemo(() => {
    const m = new Map<number, string>();
    for (const u of cmUnits ?? []) m.set(Number(u.id), String(u.name));
    for (const u of options.data?.units ?? []) m.set(Number(u.id), u.name);
    return (id: unknown) => (id === null || id === undefined ? t('dashboard.none', '(none)') : (m.get(Number(id)) ?? `#${id}`));
  }, [cmUnits, options.data]);
  const majorName = useMemo(() => {
    const m = new Map<string, string>((cmMajors ?? []).map((c) => [String(c.code), String(c.name)]));
    return (code: unknown) => (code === null || code === undefined ? t('dashboard.none', '(none)') : `${code} ${m.get(String(code)) ?? ''}`.trim());
  }, [cmMajors]);

  const choices = (name: BarFilterName): Choice[] => {
    const f = BAR_FILTERS.find((x) => x.name === name)!;
    switch (f.options) {
      case 'months':
        return (monthRates.data?.rows ?? []).filter((r) => r.key).map((r) => ({ value: String(r.key), label: String(r.key) })).reverse();
      case 'towns':
        return (townCounts.data?.data ?? []).filter((r) => r.town !== null).map((r) => ({ value: String(r.town), label: String(r.town) })).sort((a, b) => a.label.localeCompare(b.label, 'zh'));
      case 'units':
        return (options.data?.units ?? []).map((u) => ({ value: String(u.id), label: u.name }));
      case 'leadUnits':
        return (cmUnits ?? []).filter((u) => u.isLead).map((u) => ({ value: String(u.id), label: String(u.name) }));
      case 'majors':
        return (cmMajors ?? []).map((c) => ({ value: String(c.code), label: `${c.code} ${c.name}` }));
      case 'minors':
        return (options.data?.categories ?? []).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }));
      case 'groups':
        return (cmGroups ?? []).map((g) => ({ value: String(g.id), label: String(g.name) }));
      case 'text':
      case 'range':
        return [];
      default:
        return f.options.map((v) => ({ value: v, label: valueLabel(name, v) }));
    }
  };
  const valueLabel = (name: BarFilterName, v: string): string => {
    switch (name) {
      case 'state':
        return t(`state.${v}`, v);
      case 'mode':
      case 'nature':
      case 'level':
        return t(`${name}.${v}`, v);
      case 'invalidReason':
        return t(`invalid.${v}`, v);
      default:
        return t(`dashboard.value.${name}.${v}`, v);
    }
  };

  const { formatDate } = useIntl();

  // The figures.
  const byState = useGet<CountsAnswer>(countsUrl('state', params), itself);
  const warningParams = useMemo(() => apiParams(filters, { state: CLOCK_STATES, warningLevel: WARNING_COUNTED }), [filters]);
  const warnings = useGet<CountsAnswer>(countsUrl('unit,warningLevel', warningParams), itself);
  const byMajor = useGet<CountsAnswer>(countsUrl('majorCategory', params), itself);
  const byUnit = useGet<CountsAnswer>(countsUrl('unit', params), itself);
  const byTown = useGet<CountsAnswer>(countsUrl('town', params), itself);
  const trend = useGet<RatesAnswer>(`${STATS}/rates${queryString({ by: 'month', ...params, ...(month ? { month } : {}) })}`, dataOf);
  const ranking = useGet<RankingAnswer>(`${STATS}/ranking${queryString({ ...params, ...(month ? { month } : {}) })}`, dataOf);
  const overview = useGet<Overview>('/complaints/warnings/overview', dataOf);

  const timeZone = trend.data?.timeZone ?? ranking.data?.timeZone ?? monthRates.data?.timeZone ?? null;
  /** The list of a figure; none until the county's time zone is known (a month's first instant depends on it). */
  const href = (extra: Partial<Record<string, readonly string[]>>): string | null => (timeZone ? cmListHref(filters, extra, timeZone) : null);

  const states = byState.data?.data;
  const total = byState.data ? byState.data.meta.total : null;
  const valid = states ? sumWhere(states, 'state', VALID_STATES) : null;
  const closed = states ? sumWhere(states, 'state', ['closed']) : null;
  const inProgress = states ? sumWhere(states, 'state', IN_PROGRESS_STATES) : null;
  const warningTotal = warningParams === null ? 0 : warnings.data ? warnings.data.meta.total : null;

  // Warnings per unit: yellow, orange, red of the clock-running complaints under the filters.
  const warningUnits = useMemo(() => {
    const m = new Map<string, { unitId: number | null; yellow: number; orange: number; red: number }>();
    for (const r of warnings.data?.data ?? []) {
      const k = String(r.unit);
      const u = m.get(k) ?? { unitId: r.unit === null ? null : Number(r.unit), yellow: 0, orange: 0, red: 0 };
      const level = String(r.warningLevel) as 'yellow' | 'orange' | 'red';
      if (level in u) u[level] += r.count;
      m.set(k, u);
    }
    return [...m.values()].sort((a, b) => b.red - a.red || b.orange - a.orange || b.yellow - a.yellow || unitName(a.unitId).localeCompare(unitName(b.unitId), 'zh'));
  }, [warnings.data, unitName]);

  const bars = (answer: Loaded<CountsAnswer>, key: string, label: (v: unknown) => string, filter: string, limit = 12) =>
    (answer.data?.data ?? []).slice(0, limit).map((r) => ({ key: r[key], name: label(r[key]), count: r.count, filter }));

  const openBar = (datum: { key: unknown; filter: string }) => {
    if (datum.key === null || datum.key === undefined) return;
    const to = href({ [datum.filter]: [String(datum.key)] });
    if (to) navigate(to);
  };

  const trendData = (trend.data?.rows ?? [])
    .filter((r) => r.key)
    .map((r) => ({
      month: r.key,
      response: r.rates.response.rate === null ? null : Math.round(r.rates.response.rate * 1000) / 10,
      resolution: r.rates.resolution.rate === null ? null : Math.round(r.rates.resolution.rate * 1000) / 10,
      satisfaction: r.rates.satisfaction.rate === null ? null : Math.round(r.rates.satisfaction.rate * 1000) / 10,
    }));

  const rateLabel = (r: RateName) => t(`dashboard.rate.${r}`, r);
  const scoped = (overview.data?.ownUnitIds.length ?? 0) > 0;

  const breakdown = (title: string, testId: string, answer: Loaded<CountsAnswer>, key: string, label: (v: unknown) => string, filter: string) => {
    const data = bars(answer, key, label, filter);
    return (
      <Card title={title} testId={testId} busy={answer.loading} note={answer.data ? t('dashboard.groups', '{count} groups', { count: answer.data.data.length }) : undefined}>
        {answer.error && <ErrorLine text={answer.error} />}
        {answer.data && data.length === 0 && <Typography textColor="neutral500">{t('dashboard.empty', 'Nothing to count')}</Typography>}
        {data.length > 0 && (
          <>
            <Box height={`${Math.max(120, data.length * 28 + 20)}px`}>
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={data} layout="vertical" margin={{ top: 0, right: 24, bottom: 0, left: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" allowDecimals={false} fontSize={11} />
                  <YAxis type="category" dataKey="name" width={140} fontSize={11} interval={0} />
                  <Tooltip />
                  <Bar dataKey="count" name={t('dashboard.count', 'Complaints')} fill={BAR_COLOR} cursor="pointer" isAnimationActive={false} onClick={(d: { payload?: { key: unknown; filter: string } }) => d?.payload && openBar(d.payload)} />
                </BarChart>
              </ResponsiveContainer>
            </Box>
            <Flex direction="column" alignItems="stretch" gap={0} data-testid={`${testId}-rows`}>
              {data.map((d) => (
                <Flex key={String(d.key)} justifyContent="space-between" gap={2} data-testid={`${testId}-row`} data-key={d.key === null ? '' : String(d.key)}>
                  <Typography variant="pi" ellipsis data-testid={`${testId}-name`}>
                    {d.name}
                  </Typography>
                  <Typography variant="pi" fontWeight="bold">
                    <Count value={d.count} href={d.key === null ? null : href({ [filter]: [String(d.key)] })} testId={`${testId}-count`} label={d.name} />
                  </Typography>
                </Flex>
              ))}
            </Flex>
          </>
        )}
      </Card>
    );
  };

  const rankingTable = (title: string, testId: string, rows: RankingUnit[]) => (
    <Flex direction="column" alignItems="stretch" gap={1} data-testid={testId}>
      <Typography variant="sigma" textColor="neutral600">
        {title}
      </Typography>
      {rows.length === 0 && (
        <Typography variant="pi" textColor="neutral500">
          {t('dashboard.ranking.none', 'No unit ranked this month')}
        </Typography>
      )}
      {rows.map((u) => (
        <Flex key={u.unitId} gap={3} justifyContent="space-between" data-testid={`${testId}-row`} data-unit-id={u.unitId}>
          <Flex gap={2} minWidth={0}>
            <Typography variant="pi" textColor="neutral500" style={{ minWidth: '2rem' }}>
              {u.rank ?? '—'}
            </Typography>
            <Typography variant="omega" ellipsis data-testid="dashboard-ranking-name">
              {u.name}
            </Typography>
          </Flex>
          <Flex gap={3} shrink={0}>
            {RATE_NAMES.map((r) => (
              <Typography key={r} variant="pi" textColor="neutral600" title={rateLabel(r)}>
                {percent(u.rates[r].rate)} ({u.rates[r].numerator}/{u.rates[r].denominator})
              </Typography>
            ))}
            <Typography variant="pi" fontWeight="bold" style={{ minWidth: '5rem', textAlign: 'right' }}>
              {percent(u.composite)}
            </Typography>
          </Flex>
        </Flex>
      ))}
    </Flex>
  );

  return (
    <Main>
      <Layouts.Header
        title={t('dashboard.title', 'Statistics dashboard')}
        subtitle={scoped ? t('dashboard.subtitle.unit', "Your unit's figures; warning totals for the whole county") : t('dashboard.subtitle', 'Every figure under the filters; click a count to see its complaints')}
      />
      <Layouts.Content>
        <FilterBar filters={filters} choices={choices} onChange={setFilters} />
        {NOT_IN_LIST.some((n) => filters[n]) && (
          <Box paddingBottom={4}>
            <Typography variant="pi" textColor="neutral600" data-testid="dashboard-not-in-list">
              {t('dashboard.notInList', 'The list cannot show this filter: counts open no list')}
            </Typography>
          </Box>
        )}

        <Grid.Root gap={4}>
          <Grid.Item col={2} s={6} xs={12}>
            <Headline label={t('dashboard.total', 'Complaints')} value={total} href={href({})} testId="dashboard-total" busy={byState.loading} />
          </Grid.Item>
          <Grid.Item col={2} s={6} xs={12}>
            <Headline label={t('dashboard.valid', 'Valid')} value={valid} href={href({ state: VALID_STATES })} testId="dashboard-valid" busy={byState.loading} />
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12}>
            <Headline label={t('dashboard.inProgress', 'In progress')} value={inProgress} href={href({ state: IN_PROGRESS_STATES })} testId="dashboard-in-progress" busy={byState.loading} />
          </Grid.Item>
          <Grid.Item col={2} s={6} xs={12}>
            <Headline label={t('dashboard.closed', 'Closed')} value={closed} href={href({ state: ['closed'] })} testId="dashboard-closed" busy={byState.loading} />
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12}>
            <Headline label={t('dashboard.warnings', 'Warnings')} value={warningTotal} href={href({ state: CLOCK_STATES, warningLevel: WARNING_COUNTED })} testId="dashboard-warnings" busy={warnings.loading} tone="danger600" />
          </Grid.Item>
        </Grid.Root>
        {byState.error && <ErrorLine text={byState.error} />}

        <Box paddingTop={4}>
          <Grid.Root gap={4}>
            {RATE_NAMES.map((r) => {
              const rate = trend.data?.totals.rates[r];
              return (
                <Grid.Item key={r} col={4} s={12}>
                  <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} width="100%" data-testid={`dashboard-rate-${r}`}>
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      <Typography variant="sigma" textColor="neutral600">
                        {rateLabel(r)}
                      </Typography>
                      <Typography variant="alpha" style={{ color: SERIES_COLORS[r] }} data-testid={`dashboard-rate-${r}-value`}>
                        {rate ? percent(rate.rate) : '…'}
                      </Typography>
                      <Typography variant="pi" textColor="neutral600" data-testid={`dashboard-rate-${r}-fraction`}>
                        {rate ? t(`dashboard.rate.${r}.fraction`, '{numerator} of {denominator}', { numerator: rate.numerator, denominator: rate.denominator }) : ''}
                      </Typography>
                    </Flex>
                  </Box>
                </Grid.Item>
              );
            })}
          </Grid.Root>
          {trend.data?.source === 'rollup' && trend.data.asOf && (
            <Box paddingTop={2}>
              <Typography variant="pi" textColor="neutral600" data-testid="dashboard-rates-as-of">
                {t('dashboard.rates.asOf', 'Rates and ranking as of {time} (county time), rebuilt every warning slot', {
                  time: formatDate(trend.data.asOf, { dateStyle: 'short', timeStyle: 'short', timeZone: trend.data.timeZone }),
                })}
              </Typography>
            </Box>
          )}
        </Box>

        <Box paddingTop={4}>
          <Card title={t('dashboard.trend', 'Rates by month received')} testId="dashboard-trend" busy={trend.loading}>
            {trend.error && <ErrorLine text={trend.error} />}
            {trendData.length > 0 && (
              <Box height="260px">
                <ResponsiveContainer width="100%" height="100%">
                  <LineChart data={trendData} margin={{ top: 8, right: 24, bottom: 0, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="month" fontSize={11} />
                    <YAxis domain={[0, 100]} unit="%" fontSize={11} />
                    <Tooltip formatter={(v: unknown) => `${v}%`} />
                    <Legend />
                    {RATE_NAMES.map((r) => (
                      <Line key={r} type="monotone" dataKey={r} name={rateLabel(r)} stroke={SERIES_COLORS[r]} strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
                    ))}
                  </LineChart>
                </ResponsiveContainer>
              </Box>
            )}
          </Card>
        </Box>

        <Box paddingTop={4}>
          <Grid.Root gap={4}>
            <Grid.Item col={4} s={12} alignItems="stretch">
              {breakdown(t('dashboard.byCategory', 'By major category'), 'dashboard-by-category', byMajor, 'majorCategory', majorName, 'majorCategory')}
            </Grid.Item>
            <Grid.Item col={4} s={12} alignItems="stretch">
              {breakdown(t('dashboard.byUnit', 'By responsible unit'), 'dashboard-by-unit', byUnit, 'unit', unitName, 'responsibleUnit')}
            </Grid.Item>
            <Grid.Item col={4} s={12} alignItems="stretch">
              {breakdown(t('dashboard.byTown', 'By town'), 'dashboard-by-town', byTown, 'town', (v) => (v === null || v === undefined ? t('dashboard.none', '(none)') : String(v)), 'town')}
            </Grid.Item>
          </Grid.Root>
        </Box>

        <Box paddingTop={4}>
          <Grid.Root gap={4}>
            <Grid.Item col={5} s={12} alignItems="stretch">
              <Card title={t('dashboard.warningsByUnit', 'Warnings by unit')} testId="dashboard-warnings-units" busy={warnings.loading || overview.loading}>
                {warnings.error && <ErrorLine text={warnings.error} />}
                {warnings.data && warningUnits.length === 0 && <Typography textColor="neutral500">{t('dashboard.warnings.none', 'No warnings')}</Typography>}
                {warningUnits.map((u) => (
                  <Flex key={String(u.unitId)} justifyContent="space-between" gap={2} data-testid="dashboard-warnings-unit" data-unit-id={u.unitId ?? ''}>
                    <Typography variant="omega" ellipsis data-testid="dashboard-warnings-unit-name">
                      {unitName(u.unitId)}
                    </Typography>
                    <Flex gap={3} shrink={0}>
                      {(['yellow', 'orange', 'red'] as const).map((level) => (
                        <Typography key={level} variant="pi" fontWeight="bold" textColor={level === 'red' ? 'danger600' : level === 'orange' ? 'warning600' : 'neutral700'}>
                          {t(`warnings.short.${level}`, level)}{' '}
                          <Count
                            value={u[level]}
                            href={u.unitId === null ? null : href({ responsibleUnit: [String(u.unitId)], state: CLOCK_STATES, warningLevel: [level] })}
                            testId={`dashboard-warnings-${level}`}
                            label={`${unitName(u.unitId)} ${t(`warning.${level}`, level)}`}
                          />
                        </Typography>
                      ))}
                    </Flex>
                  </Flex>
                ))}
                {overview.data && (
                  <Box paddingTop={2} style={{ borderTop: '1px solid #EAEAEF' }}>
                    <Typography variant="pi" textColor="neutral600" data-testid="dashboard-warnings-county">
                      {t('dashboard.warnings.county', 'Whole county, all complaints: yellow {yellow} · orange {orange} · red {red} · {overdueDays} days overdue', overview.data.totals)}
                    </Typography>
                  </Box>
                )}
              </Card>
            </Grid.Item>
            <Grid.Item col={7} s={12} alignItems="stretch">
              <Card title={t('dashboard.ranking', 'Monthly ranking')} testId="dashboard-ranking" busy={ranking.loading} note={ranking.data ? ranking.data.month : undefined}>
                {ranking.error && <ErrorLine text={ranking.error} />}
                {ranking.data && (
                  <>
                    {rankingTable(t('dashboard.ranking.red', 'Red list (best)'), 'dashboard-red-list', ranking.data.redList)}
                    {rankingTable(t('dashboard.ranking.black', 'Black list (worst first)'), 'dashboard-black-list', ranking.data.blackList)}
                    <Box style={{ maxHeight: '32rem', overflowY: 'auto' }}>{rankingTable(t('dashboard.ranking.all', 'All units'), 'dashboard-ranking-units', ranking.data.units)}</Box>
                    <Typography variant="pi" textColor="neutral500">
                      {t('dashboard.ranking.legend', 'Each rate: numerator/denominator; last column: the composite')}
                    </Typography>
                  </>
                )}
              </Card>
            </Grid.Item>
          </Grid.Root>
        </Box>
      </Layouts.Content>
    </Main>
  );
};

export default DashboardPage;
