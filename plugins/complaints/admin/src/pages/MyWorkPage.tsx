/**
 * My work (我的待办): the user's queues with their counts (GET /complaints/queues), and one
 * queue's rows (GET /complaints/queues/:key). The queue, the page and every filter live in the
 * address, so a view can be shared and reloaded, and nothing is remembered silently: each active
 * filter shows as a chip that clears it. A user may save a view (queue and filters) by name in
 * this browser.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Box, Button, Checkbox, Field, Flex, Main, SingleSelect, SingleSelectOption, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography,
} from '@strapi/design-system';
import { Cross, Filter } from '@strapi/icons';
import { Layouts, useAuth, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link, useSearchParams } from 'react-router-dom';
import { styled } from 'styled-components';

import { WarningBadge as Badge } from '../components/WarningsWidget';
import { TextFilter } from '../components/TextFilter';
import { GroupPicker } from '../components/GroupPicker';
import { FormInput, measureForm, transitionBody } from '../components/TransitionForm';
import { errorMessage, Pager } from './sms-shared';
import { getTranslation } from '../utils/getTranslation';
import { apiParams, filtersFromSearch, filtersToSearch, queryString, WARNING_LEVELS, type BarFilterName, type BarFilters } from './Dashboard/query';

interface QueueCount {
  key: string;
  label: { zh: string; en: string };
  count: number;
}
interface QueueRow {
  documentId: string;
  ledgerNo: string;
  excerpt: string;
  receivedAt: string | null;
  state: string;
  categoryCode: string | null;
  categoryName: string | null;
  town: string | null;
  responsibleUnit: { id: number; name: string } | null;
  leadUnit: { id: number; name: string } | null;
  deadline: string | null;
  warningLevel: string | null;
  signStep: string | null;
  suggestion: { kind: string; ref: string | null; zh: string; en: string } | null;
}
interface QueuePage {
  queue: QueueCount;
  timeZone: string;
  rows: QueueRow[];
  page: number;
  pageSize: number;
  total: number;
}
interface Options {
  categories: Array<{ code: string; name: string }>;
  units: Array<{ id: number; code: string; name: string }>;
}
interface SavedView {
  name: string;
  search: string;
}

/**
 * The queues whose verb can be taken on many complaints at once from the list: those with no
 * input, or one fixed input (受理 as 个性), or a problem group chosen once for all (受理 as 共性).
 * Each complaint is its own transition, so one that fails (taken meanwhile by someone else, say)
 * does not stop the others, and each has its result. 待报措施 either submits one measure for
 * each selected complaint (each its own transition), or groups them: one call, all or none, as
 * the group's membership rule says.
 */
const BATCH: Record<string, { action: string; inputs: Record<string, string>; common?: boolean }> = {
  toAssign: { action: 'assign', inputs: {} },
  toAccept: { action: 'accept', inputs: { nature: 'individual' }, common: true },
  toMeasure: { action: 'group', inputs: {} },
  toReview: { action: 'approve_measure', inputs: {} },
  toSign: { action: 'sign', inputs: {} },
};

interface BatchResult {
  ledgerNo: string;
  ok: boolean;
  message: string;
}

/** The filters this page offers, in the filter module's names. */
const PAGE_FILTERS: BarFilterName[] = ['town', 'responsibleUnit', 'minorCategory', 'warningLevel', 'ledgerNo', 'keyword'];
/** A row opens Minyi's complaint page (pages/ComplaintPage). */
const COMPLAINT_PAGE = '/plugins/complaints/complaints';
const PAGE_SIZE = 20;

const Chip = styled.button`
  display: inline-flex;
  align-items: center;
  gap: 0.4rem;
  padding: 0.2rem 0.8rem;
  border-radius: 1.2rem;
  border: 1px solid ${({ theme }) => theme.colors.primary200};
  background: ${({ theme }) => theme.colors.primary100};
  color: ${({ theme }) => theme.colors.primary700};
  font-size: 1.2rem;
  cursor: pointer;
`;

const useT = () => {
  const { formatMessage } = useIntl();
  return (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
};

const useZh = () => useIntl().locale.toLowerCase().startsWith('zh');

/** A calendar day of an instant in the county's zone. */
const dayIn = (iso: string, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

/** Where an earlier version kept the views, in this browser only: moved to the server once. */
const viewsKey = (userId: string | number | undefined) => `minyi.myWork.views.${userId ?? 'anonymous'}`;
const readLocalViews = (key: string): SavedView[] => {
  try {
    const v = JSON.parse(window.localStorage.getItem(key) ?? '[]');
    return Array.isArray(v) ? v.filter((x) => x && typeof x.name === 'string' && typeof x.search === 'string') : [];
  } catch {
    return [];
  }
};

const MyWorkPage = () => {
  const t = useT();
  const zh = useZh();
  const { get, post, put } = useFetchClient();
  const userId = useAuth('MyWorkPage', (s) => s.user?.id);
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => {
    const all = filtersFromSearch(search);
    const mine: BarFilters = {};
    for (const name of PAGE_FILTERS) if (all[name]) mine[name] = all[name];
    return mine;
  }, [search]);
  const page = Math.max(1, Number(search.get('page') ?? '1') || 1);
  const params = useMemo(() => apiParams(filters) ?? {}, [filters]);

  const [queues, setQueues] = useState<QueueCount[] | null>(null);
  const [rows, setRows] = useState<QueuePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  // An error of a queue's rows belongs to that queue: the one the address named may not be the user's.
  const [rowsError, setRowsError] = useState<{ key: string; message: string } | null>(null);
  const [options, setOptions] = useState<Options | null>(null);
  const [towns, setTowns] = useState<string[]>([]);
  const [views, setViews] = useState<SavedView[]>([]);
  const [viewName, setViewName] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<BatchResult[]>([]);
  const [reload, setReload] = useState(0);
  /** 受理 as 共性 (toAccept) or 归入小类 (toMeasure): the group chosen for the selection. */
  const [asCommon, setAsCommon] = useState(false);
  const [group, setGroup] = useState('');
  const [groupNote, setGroupNote] = useState<{ ok: boolean; text: string } | null>(null);
  /** 待报措施: group the selection, or submit one measure for each of it. */
  const [measureMode, setMeasureMode] = useState<'group' | 'measure'>('group');
  const [measure, setMeasure] = useState<Record<string, string>>({});

  const chosen = search.get('queue');
  const current = queues?.find((q) => q.key === chosen) ?? queues?.find((q) => q.count > 0) ?? queues?.[0] ?? null;

  const go = (next: { queue?: string; filters?: BarFilters; page?: number }) => {
    const s = filtersToSearch(next.filters ?? filters);
    const q = next.queue ?? current?.key;
    if (q) s.set('queue', q);
    if ((next.page ?? 1) > 1) s.set('page', String(next.page));
    setSearch(s);
  };

  useEffect(() => {
    get<{ data: { queues: QueueCount[] } }>(`/complaints/queues${queryString(params)}`)
      .then((res) => { setQueues(res.data.data.queues); setError(null); })
      .catch((e) => setError(errorMessage(e)));
  }, [get, params, reload]);

  // The rows of the queue the address names are asked for beside the counts, not after them: on a
  // large ledger each is a query of its own, and the first rows need not wait for every count.
  const rowsKey = current?.key ?? chosen;
  useEffect(() => {
    if (!rowsKey) return;
    get<{ data: QueuePage }>(`/complaints/queues/${rowsKey}${queryString({ ...params, page: String(page), pageSize: String(PAGE_SIZE) })}`)
      .then((res) => { setRows(res.data.data); setRowsError(null); })
      .catch((e) => setRowsError({ key: rowsKey, message: errorMessage(e) }));
  }, [get, params, rowsKey, page, reload]);
  const shownError = error ?? (rowsError && rowsError.key === current?.key ? rowsError.message : null);

  // A selection belongs to the list it was made in.
  useEffect(() => setSelected(new Set()), [current?.key, params, page]);
  useEffect(() => {
    setAsCommon(false);
    setGroup('');
    setGroupNote(null);
    setMeasureMode('group');
    setMeasure({});
  }, [current?.key]);

  useEffect(() => {
    get<{ data: Options }>('/complaints/options').then((res) => setOptions(res.data.data)).catch(() => setOptions({ categories: [], units: [] }));
    // The towns of the complaints this user may see, as the ledger holds them.
    get<{ data: Array<{ town: string | null }> }>('/complaints/stats/counts?by=town')
      .then((res) => setTowns(res.data.data.map((r) => r.town).filter((x): x is string => Boolean(x)).sort((a, b) => a.localeCompare(b, 'zh'))))
      .catch(() => setTowns([]));
  }, [get]);

  // The saved views are the user's, on the server (GET/PUT /complaints/my-work/views). Views an
  // earlier version kept in this browser are moved there once, and removed here only when saved.
  const [viewsError, setViewsError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    get<{ data: { views: SavedView[] } }>('/complaints/my-work/views')
      .then(async (res) => {
        let stored = res.data.data.views;
        const local = readLocalViews(viewsKey(userId));
        if (!stored.length && local.length) {
          const moved = await put<{ data: { views: SavedView[] } }>('/complaints/my-work/views', { views: local });
          stored = moved.data.data.views;
          window.localStorage.removeItem(viewsKey(userId));
        }
        if (live) setViews(stored);
      })
      .catch((e) => live && setViewsError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [get, put, userId]);
  const storeViews = (next: SavedView[]) => {
    put<{ data: { views: SavedView[] } }>('/complaints/my-work/views', { views: next })
      .then((res) => {
        setViews(res.data.data.views);
        setViewsError(null);
      })
      .catch((e) => setViewsError(errorMessage(e)));
  };

  const choices = (name: BarFilterName): Array<{ value: string; label: string }> => {
    switch (name) {
      case 'town':
        return towns.map((x) => ({ value: x, label: x }));
      case 'responsibleUnit':
        return (options?.units ?? []).map((u) => ({ value: String(u.id), label: u.name }));
      case 'minorCategory':
        return (options?.categories ?? []).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }));
      case 'warningLevel':
        return WARNING_LEVELS.map((v) => ({ value: v, label: t(`dashboard.value.warningLevel.${v}`, v) }));
      default:
        return [];
    }
  };
  const valueLabel = (name: BarFilterName, v: string) => choices(name).find((c) => c.value === v)?.label ?? v;
  const setFilter = (name: BarFilterName, values: string[]) => {
    const next = { ...filters };
    if (values.length) next[name] = values;
    else delete next[name];
    go({ filters: next, page: 1 });
  };

  const saveView = () => {
    const name = viewName.trim();
    if (!name) return;
    const s = filtersToSearch(filters);
    if (current) s.set('queue', current.key);
    storeViews([...views.filter((v) => v.name !== name), { name, search: s.toString() }]);
    setViewName('');
  };
  const removeView = (name: string) => storeViews(views.filter((v) => v.name !== name));

  const listed = current ? BATCH[current.key] : undefined;
  const batch = listed?.action === 'group' && measureMode === 'measure' ? { action: 'submit_measure', inputs: {} } : listed;
  const measureFields = measureForm(t);
  const chosenRows = rows ? rows.rows.filter((r) => selected.has(r.documentId)) : [];
  // A group takes complaints of its own category only: the selection must share one.
  const chosenCategories = [...new Set(chosenRows.map((r) => r.categoryCode))];
  const needsGroup = batch?.action === 'group' || (batch?.common === true && asCommon);
  const groupCategory = chosenCategories.length === 1 ? chosenCategories[0] : null;
  const groupReady = !needsGroup || (chosenCategories.length === 1 && group !== '');
  // A group chosen for one category does not carry over to another.
  useEffect(() => setGroup(''), [groupCategory]);

  /** 归入小类: the selected accepted complaints join the group in one call, all or none. */
  const runGroup = async (chosen: QueueRow[]) => {
    setProgress({ done: 0, total: chosen.length });
    try {
      const res = await post<{ data: { group: string; added: number } }>(`/complaints/problem-groups/${group}/members`, { documentIds: chosen.map((r) => r.documentId) });
      setResults(chosen.map((r) => ({ ledgerNo: r.ledgerNo, ok: true, message: `${t('action.group', 'Add to a problem group')} → ${res.data.data.group}` })));
      setProgress({ done: chosen.length, total: chosen.length });
    } catch (e) {
      setResults([{ ledgerNo: t('mywork.batch.none', 'None added'), ok: false, message: errorMessage(e) }]);
      setProgress({ done: 0, total: chosen.length });
    }
  };

  const runBatch = async () => {
    if (!batch || !rows || !groupReady) return;
    const chosen = chosenRows;
    const out: BatchResult[] = [];
    setResults([]);
    if (batch.action === 'group') {
      await runGroup(chosen);
      setSelected(new Set());
      setReload((n) => n + 1);
      return;
    }
    const inputs = batch.action === 'submit_measure' ? transitionBody('submit_measure', measureFields, measure) : batch.common && asCommon ? { nature: 'common', problemGroup: group } : batch.inputs;
    setProgress({ done: 0, total: chosen.length });
    for (const r of chosen) {
      try {
        const res = await post<{ data: { to: string } }>(`/complaints/complaints/${r.documentId}/transitions`, { action: batch.action, ...inputs });
        out.push({ ledgerNo: r.ledgerNo, ok: true, message: `${t(`action.${batch.action}`, batch.action)} → ${t(`state.${res.data.data.to}`, res.data.data.to)}` });
      } catch (e) {
        out.push({ ledgerNo: r.ledgerNo, ok: false, message: errorMessage(e) });
      }
      setProgress({ done: out.length, total: chosen.length });
      setResults([...out]);
    }
    setSelected(new Set());
    setReload((n) => n + 1);
  };
  const toggle = (documentId: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(documentId);
      else next.delete(documentId);
      return next;
    });

  const label = (l: { zh: string; en: string }) => (zh ? l.zh : l.en);
  const active = Object.entries(filters) as Array<[BarFilterName, string[]]>;
  const pages = rows ? Math.max(1, Math.ceil(rows.total / rows.pageSize)) : 1;

  return (
    <Main>
      <Layouts.Header title={t('mywork.title', 'My work')} subtitle={t('mywork.subtitle', 'What awaits you now, queue by queue')} />
      <Layouts.Content>
        {shownError && (
          <Box paddingBottom={4}>
            <Typography textColor="danger600" data-testid="mywork-error">{shownError}</Typography>
          </Box>
        )}
        {queues && queues.length === 0 && (
          <Typography data-testid="mywork-none">{t('mywork.none', 'Your role has no work queue.')}</Typography>
        )}
        <Flex gap={2} wrap="wrap" paddingBottom={4} data-testid="mywork-queues">
          {(queues ?? []).map((q) => (
            <Button
              key={q.key}
              variant={current?.key === q.key ? 'default' : 'tertiary'}
              onClick={() => go({ queue: q.key, page: 1 })}
              data-testid={`mywork-queue-${q.key}`}
              aria-pressed={current?.key === q.key}
            >
              {label(q.label)} {q.count}
            </Button>
          ))}
        </Flex>

        <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} marginBottom={4}>
          <Flex wrap="wrap" gap={3} alignItems="flex-end">
            {PAGE_FILTERS.map((name) => {
              const title = t(`dashboard.filter.${name}`, name);
              if (name === 'ledgerNo' || name === 'keyword') {
                return <TextFilter key={name} idPrefix="mywork" width="18rem" name={name} label={title} value={filters[name]?.[0] ?? ''} onApply={(v) => setFilter(name, v ? [v] : [])} />;
              }
              return (
                <Box key={name} width="18rem" data-testid={`mywork-filter-${name}`}>
                  <Field.Root name={`mywork-${name}`}>
                    <Field.Label>{title}</Field.Label>
                    <SingleSelect
                      aria-label={title}
                      placeholder={t('dashboard.filter.any', 'Any')}
                      value={filters[name]?.[0] ?? ''}
                      onChange={(v: string | number) => setFilter(name, v === '' ? [] : [String(v)])}
                      onClear={() => setFilter(name, [])}
                      clearLabel={t('dashboard.filter.clear', 'Clear')}
                    >
                      {choices(name).map((o) => (
                        <SingleSelectOption key={o.value} value={o.value}>
                          {o.label}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </Field.Root>
                </Box>
              );
            })}
          </Flex>
          {active.length > 0 && (
            <Flex gap={2} wrap="wrap" paddingTop={3} data-testid="mywork-chips">
              <Filter aria-hidden />
              {active.map(([name, values]) => (
                <Chip key={name} type="button" onClick={() => setFilter(name, [])} data-testid={`mywork-chip-${name}`} aria-label={t('mywork.clearFilter', 'Clear {name}', { name: t(`dashboard.filter.${name}`, name) })}>
                  {t(`dashboard.filter.${name}`, name)}: {values.map((v) => valueLabel(name, v)).join('、')} <Cross width="1rem" height="1rem" aria-hidden />
                </Chip>
              ))}
              <Button variant="tertiary" size="S" onClick={() => go({ filters: {}, page: 1 })} data-testid="mywork-clear-all">
                {t('dashboard.filter.reset', 'Clear all ({count})', { count: active.length })}
              </Button>
            </Flex>
          )}
          <Flex gap={2} wrap="wrap" paddingTop={3} alignItems="flex-end">
            <Box width="18rem">
              <Field.Root name="mywork-view-name">
                <Field.Label>{t('mywork.viewName', 'Save this view as')}</Field.Label>
                <TextInput data-testid="mywork-view-name" value={viewName} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setViewName(e.target.value)} />
              </Field.Root>
            </Box>
            <Button variant="secondary" onClick={saveView} disabled={!viewName.trim()} data-testid="mywork-view-save">
              {t('mywork.saveView', 'Save view')}
            </Button>
            {viewsError && (
              <Typography textColor="danger600" data-testid="mywork-views-error">
                {viewsError}
              </Typography>
            )}
            {views.map((v) => (
              <Flex key={v.name} gap={1} data-testid="mywork-view">
                <Button variant="tertiary" onClick={() => setSearch(new URLSearchParams(v.search))}>{v.name}</Button>
                <Button variant="ghost" size="S" onClick={() => removeView(v.name)} aria-label={t('mywork.removeView', 'Remove view {name}', { name: v.name })}>
                  <Cross width="1rem" height="1rem" aria-hidden />
                </Button>
              </Flex>
            ))}
          </Flex>
        </Box>

        {current && rows && rows.queue.key === current.key && (
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} data-testid="mywork-table">
            <Flex justifyContent="space-between" wrap="wrap" gap={2}>
              <Typography variant="delta" tag="h2">
                {t('mywork.queueTotal', '{queue}: {count}', { queue: label(rows.queue.label), count: rows.total })}
              </Typography>
              {batch && (
                <Button onClick={runBatch} disabled={selected.size === 0 || !groupReady || Boolean(progress && progress.done < progress.total)} data-testid="mywork-batch">
                  {t(`mywork.batch.${current.key}${batch.common && asCommon ? '.common' : ''}${batch.action === 'submit_measure' ? '.measure' : ''}`, 'Act on the selected ({count})', { count: selected.size })}
                </Button>
              )}
            </Flex>
            {batch?.common && (
              <Box paddingTop={2}>
                <Checkbox checked={asCommon} onCheckedChange={(on: boolean | 'indeterminate') => setAsCommon(on === true)} data-testid="mywork-batch-common">
                  {t('mywork.batch.asCommon', 'Accept as common, into one problem group')}
                </Checkbox>
              </Box>
            )}
            {listed?.action === 'group' && (
              <Flex gap={2} paddingTop={2} data-testid="mywork-measure-mode">
                {(['group', 'measure'] as const).map((m) => (
                  <Button key={m} size="S" variant={measureMode === m ? 'default' : 'tertiary'} aria-pressed={measureMode === m} onClick={() => setMeasureMode(m)} data-testid={`mywork-measure-mode-${m}`}>
                    {t(`mywork.batch.mode.${m}`, m)}
                  </Button>
                ))}
              </Flex>
            )}
            {batch?.action === 'submit_measure' && (
              <Flex direction="column" alignItems="stretch" gap={2} paddingTop={2} data-testid="mywork-batch-measure">
                <Typography variant="pi" textColor="neutral600">{t('mywork.batch.measureHint', 'The same measure is submitted for each selected complaint, each its own step with its own result.')}</Typography>
                {measureFields.map((f) => (
                  <FormInput key={f.name} field={f} values={measure} namePrefix="mywork" label={t(`input.${f.name}`, f.name)} onChange={(name, v) => setMeasure((prev) => ({ ...prev, [name]: v }))} />
                ))}
              </Flex>
            )}
            {needsGroup && (
              <Box paddingTop={2} data-testid="mywork-batch-group">
                {chosenCategories.length > 1 ? (
                  <Typography textColor="danger600" data-testid="mywork-batch-group-mixed">
                    {t('mywork.batch.mixedCategories', 'The selected complaints are of different categories; a problem group takes one category.')}
                  </Typography>
                ) : chosenCategories.length === 0 ? (
                  <Typography textColor="neutral600">{t('mywork.batch.selectFirst', 'Select the complaints first; the groups of their category are offered.')}</Typography>
                ) : (
                  <GroupPicker
                    key={groupCategory ?? ''}
                    categoryCode={groupCategory}
                    value={group}
                    onChange={setGroup}
                    onCreated={(code) => setGroupNote({ ok: true, text: `${t('workflow.groupCreated', 'Problem group created')}: ${code}` })}
                    onError={(text) => setGroupNote({ ok: false, text })}
                    errorMessage={errorMessage}
                    testIdPrefix="mywork"
                  />
                )}
                {groupNote && (
                  <Typography variant="pi" tag="p" textColor={groupNote.ok ? 'success700' : 'danger600'} data-testid="mywork-group-note">{groupNote.text}</Typography>
                )}
              </Box>
            )}
            {progress && (
              <Box paddingTop={2} data-testid="mywork-batch-progress">
                <Typography variant="pi">{t('mywork.batch.progress', '{done} of {total} done', progress)}</Typography>
                {results.map((r) => (
                  <Typography key={r.ledgerNo} variant="pi" tag="p" textColor={r.ok ? 'success700' : 'danger600'} data-testid="mywork-batch-result">
                    {r.ok ? '✓' : '✗'} {r.ledgerNo}: {r.message}
                  </Typography>
                ))}
              </Box>
            )}
            {rows.rows.length === 0 ? (
              <Box paddingTop={4}>
                <Typography data-testid="mywork-empty">{t('mywork.empty', 'Nothing waits here.')}</Typography>
              </Box>
            ) : (
              <Table colCount={batch ? 10 : 9} rowCount={rows.rows.length + 1}>
                <Thead>
                  <Tr>
                    {batch && (
                      <Th>
                        <Checkbox
                          aria-label={t('mywork.selectAll', 'Select all on this page')}
                          data-testid="mywork-select-all"
                          checked={rows.rows.length > 0 && rows.rows.every((r) => selected.has(r.documentId))}
                          onCheckedChange={(on: boolean | "indeterminate") => setSelected(on === true ? new Set(rows.rows.map((r) => r.documentId)) : new Set())}
                        />
                      </Th>
                    )}
                    <Th><Typography variant="sigma">{t('mywork.col.ledgerNo', 'Ledger no.')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('mywork.col.content', 'Content')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('mywork.col.category', 'Category')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('mywork.col.town', 'Town')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('mywork.col.responsibleUnit', 'Responsible unit')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('mywork.col.leadUnit', 'Lead unit')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('mywork.col.received', 'Received')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('mywork.col.deadline', 'Deadline')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('mywork.col.note', 'Warning / next step')}</Typography></Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {rows.rows.map((r) => {
                    const level = r.warningLevel === 'yellow' || r.warningLevel === 'orange' || r.warningLevel === 'red' ? r.warningLevel : null;
                    return (
                      <Tr key={r.documentId} data-testid="mywork-row">
                        {batch && (
                          <Td>
                            <Checkbox
                              aria-label={t('mywork.select', 'Select {ledgerNo}', { ledgerNo: r.ledgerNo })}
                              data-testid="mywork-select"
                              checked={selected.has(r.documentId)}
                              onCheckedChange={(on: boolean | "indeterminate") => toggle(r.documentId, on === true)}
                            />
                          </Td>
                        )}
                        <Td>
                          <Link to={`${COMPLAINT_PAGE}/${r.documentId}`} data-testid="mywork-row-link">
                            <Typography textColor="primary600" fontWeight="semiBold">{r.ledgerNo}</Typography>
                          </Link>
                        </Td>
                        <Td><Typography data-testid="mywork-row-excerpt">{r.excerpt}</Typography></Td>
                        <Td><Typography>{r.categoryName ? `${r.categoryCode} ${r.categoryName}` : '—'}</Typography></Td>
                        <Td><Typography>{r.town ?? '—'}</Typography></Td>
                        <Td><Typography>{r.responsibleUnit?.name ?? '—'}</Typography></Td>
                        <Td><Typography>{r.leadUnit?.name ?? '—'}</Typography></Td>
                        <Td><Typography>{r.receivedAt ? dayIn(r.receivedAt, rows.timeZone) : '—'}</Typography></Td>
                        <Td><Typography data-testid="mywork-row-deadline">{r.deadline ?? '—'}</Typography></Td>
                        <Td>
                          <Flex gap={2} wrap="wrap">
                            {level && <Badge $level={level} data-testid="mywork-row-warning">{t(`warning.${level}`, level)}</Badge>}
                            {r.signStep && <Typography data-testid="mywork-row-signstep">{t(`mywork.signStep.${r.signStep}`, r.signStep)}</Typography>}
                            {r.suggestion && <Typography textColor="warning700" data-testid="mywork-row-suggestion">{zh ? r.suggestion.zh : r.suggestion.en}</Typography>}
                          </Flex>
                        </Td>
                      </Tr>
                    );
                  })}
                </Tbody>
              </Table>
            )}
            {pages > 1 && (
              <Flex paddingTop={4} justifyContent="flex-end" data-testid="mywork-pager">
                <Pager meta={{ page: rows.page, pageSize: rows.pageSize, total: rows.total }} onPage={(p) => go({ page: p })} />
              </Flex>
            )}
          </Box>
        )}
      </Layouts.Content>
    </Main>
  );
};

export { MyWorkPage };
