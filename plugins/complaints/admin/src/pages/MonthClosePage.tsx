import { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, Field, Flex, Main, SingleSelect, SingleSelectOption, Table, Tbody, Td, Textarea, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { BackButton, Layouts, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import { errorMessage } from './sms-shared';

interface Version {
  month: string;
  version: number;
  hash: string;
  previousHash: string | null;
  reason: string | null;
  complaintCount: number;
  closedByName: string | null;
  closedAt: string;
}
type Counts = Record<string, number>;
interface Group {
  key: string | null;
  name: string | null;
  counts: Counts;
  satisfaction: { answered: number; satisfied: number; basicallySatisfied: number; dissatisfied: number };
}
interface Figures {
  totals: Omit<Group, 'key' | 'name'>;
  groups: Record<'unit' | 'leadUnit' | 'category' | 'town', Group[]>;
}
interface Difference {
  dimension: 'total' | 'unit' | 'leadUnit' | 'category' | 'town';
  key: string | null;
  name: string | null;
  field: string;
  frozen: number;
  live: number;
  label: { zh: string; en: string };
  causes: string[];
}
interface Cause {
  ledgerNo: string;
  documentId: string;
  events: Array<{ type: string; at: string }>;
  deadlinePassed: boolean;
}
interface Shown {
  month: string;
  versions: Version[];
  verified: boolean;
  frozen: Figures & { asOf: string; closedAt: string };
  live: Figures & { asOf: string };
  differences: Difference[];
  causes: Cause[];
}
interface Listed {
  closed: Array<Version & { versions: number }>;
  open: string[];
  timeZone: string;
}

const MANAGE = [{ action: 'plugin::complaints.month-close.manage', subject: null }];
const CM_COMPLAINT = '/admin/content-manager/collection-types/plugin::complaints.complaint';

/** numerator / denominator, and the rate as a percentage (— when nothing is counted). */
const rate = (n: number, d: number) => `${n} / ${d}${d ? ` · ${((n / d) * 100).toFixed(1)}%` : ''}`;
const RATES: Array<{ id: string; label: string; of: (g: Omit<Group, 'key' | 'name'>) => [number, number] }> = [
  { id: 'response', label: '响应率 Response', of: (g) => [g.counts.acceptedInTime, g.counts.responseDue] },
  { id: 'resolution', label: '解决率 Resolution', of: (g) => [g.counts.resolved, g.counts.valid] },
  { id: 'satisfaction', label: '满意率 Satisfaction', of: (g) => [g.satisfaction.satisfied + g.satisfaction.basicallySatisfied, g.satisfaction.answered] },
];

/**
 * Month close 月度封账: the county office closes an ended month (its figures frozen with a
 * SHA-256), and every reader of the frozen figures sees them next to the live ones, each
 * difference flagged with the complaints that caused it; a correction is a new version with a
 * reason (GET/POST /complaints/month-closes…).
 */
const MonthClosePage = () => {
  const { formatMessage, formatDate, locale } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const zh = locale.startsWith('zh');
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(MANAGE);
  const canManage = Boolean(allowedActions.canManage);
  const [list, setList] = useState<Listed | null>(null);
  const [toClose, setToClose] = useState<string>('');
  const [month, setMonth] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const loadList = useCallback(() => {
    get<{ data: Listed }>('/complaints/month-closes')
      .then((res) => {
        setList(res.data.data);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [get]);
  useEffect(loadList, [loadList]);

  const loadMonth = useCallback((m: string) => {
    setMonth(m);
    setShown(null);
    get<{ data: Shown }>(`/complaints/month-closes/${m}`)
      .then((res) => setShown(res.data.data))
      .catch((e) => setError(errorMessage(e)));
  }, [get]);

  const when = (iso: string) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short', timeZone: list?.timeZone });

  const close = async () => {
    if (!toClose) return;
    setBusy(true);
    try {
      const res = await post<{ data: Version }>('/complaints/month-closes', { month: toClose });
      const msg = t('close.done', '{month} closed: version {version}, SHA-256 {hash}', { month: res.data.data.month, version: res.data.data.version, hash: res.data.data.hash });
      setDone(msg);
      toggleNotification({ type: 'success', message: msg });
      setToClose('');
      loadList();
      loadMonth(res.data.data.month);
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const correct = async () => {
    if (!shown) return;
    setBusy(true);
    try {
      const latest = shown.versions[shown.versions.length - 1].version;
      const res = await post<{ data: Version }>(`/complaints/month-closes/${shown.month}/corrections`, { reason, version: latest });
      const msg = t('close.corrected', '{month}: version {version} recorded, SHA-256 {hash}', { month: res.data.data.month, version: res.data.data.version, hash: res.data.data.hash });
      setDone(msg);
      toggleNotification({ type: 'success', message: msg });
      setReason('');
      loadList();
      loadMonth(shown.month);
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const dimensionLabel = (d: Difference['dimension']) =>
    ({ total: t('close.dim.total', 'Whole month'), unit: t('close.dim.unit', 'Responsible unit'), leadUnit: t('close.dim.leadUnit', 'Lead unit'), category: t('close.dim.category', 'Category'), town: t('close.dim.town', 'Town') })[d];

  const unitRows = shown
    ? shown.frozen.groups.unit.map((f) => ({ key: f.key, name: f.name ?? f.key ?? '—', frozen: f, live: shown.live.groups.unit.find((l) => l.key === f.key) ?? null }))
      .concat(shown.live.groups.unit.filter((l) => !shown.frozen.groups.unit.some((f) => f.key === l.key)).map((l) => ({ key: l.key, name: l.name ?? l.key ?? '—', frozen: null as unknown as Group, live: l })))
    : [];
  const empty: Omit<Group, 'key' | 'name'> = { counts: {}, satisfaction: { answered: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0 } };
  const cell = (g: Omit<Group, 'key' | 'name'> | null, r: (typeof RATES)[number]) => {
    const [n, d] = r.of(g ?? empty);
    return [n ?? 0, d ?? 0] as const;
  };

  return (
    <Main>
      <Layouts.Header
        navigationAction={<BackButton fallback="/plugins/complaints" disabled={false} />}
        title={t('close.title', 'Month close')}
        subtitle={t('close.subtitle', "A closed month's figures are frozen with a SHA-256; later changes show as differences, never silently")}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {error && <Typography textColor="danger600">{error}</Typography>}
          {done && (
            <Box background="success100" padding={3} hasRadius data-testid="minyi-close-done">
              <Typography textColor="success700">{done}</Typography>
            </Box>
          )}
          {canManage && list && (
            <Flex gap={3} alignItems="flex-end" data-testid="minyi-close-form">
              <Field.Root name="minyi-close-month">
                <Field.Label>{t('close.month', 'Month to close')}</Field.Label>
                <SingleSelect value={toClose} onChange={(v: string | number) => setToClose(String(v))} placeholder={list.open.length ? t('close.pick', 'Choose a month') : t('close.none', 'No ended month is open')} disabled={list.open.length === 0}>
                  {list.open.map((m) => <SingleSelectOption key={m} value={m}>{m}</SingleSelectOption>)}
                </SingleSelect>
              </Field.Root>
              <Button onClick={close} loading={busy} disabled={!toClose}>{t('close.action', 'Close the month')}</Button>
            </Flex>
          )}
          {list && (
            <Table colCount={6} rowCount={list.closed.length + 1}>
              <Thead>
                <Tr>
                  <Th><Typography variant="sigma">{t('close.col.month', 'Month')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('close.col.version', 'Version')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('close.col.complaints', 'Valid complaints')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('close.col.closed', 'Closed')}</Typography></Th>
                  <Th><Typography variant="sigma">SHA-256</Typography></Th>
                  <Th><Typography variant="sigma">{t('close.col.open', 'Frozen and live')}</Typography></Th>
                </Tr>
              </Thead>
              <Tbody>
                {list.closed.map((m) => (
                  <Tr key={m.month}>
                    <Td><Typography>{m.month}</Typography></Td>
                    <Td><Typography>{m.version}</Typography></Td>
                    <Td><Typography>{m.complaintCount}</Typography></Td>
                    <Td><Typography>{when(m.closedAt)}{m.closedByName ? ` · ${m.closedByName}` : ''}</Typography></Td>
                    <Td><Typography title={m.hash} style={{ fontFamily: "monospace" }}>{m.hash.slice(0, 16)}…</Typography></Td>
                    <Td><Button size="S" variant="secondary" onClick={() => loadMonth(m.month)}>{t('close.view', 'Compare')}</Button></Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
          {month && !shown && <Typography>{t('close.loading', 'Computing the live figures…')}</Typography>}
          {shown && (
            <Flex direction="column" alignItems="stretch" gap={4} data-testid="minyi-close-month">
              <Flex gap={3} alignItems="center">
                <Typography variant="beta">{shown.month}</Typography>
                <Badge active={shown.verified} backgroundColor={shown.verified ? 'success100' : 'danger100'} textColor={shown.verified ? 'success700' : 'danger700'}>
                  {shown.verified ? t('close.verified', 'Hash chain holds') : t('close.broken', 'Hash does not hold')}
                </Badge>
                <Typography variant="pi" textColor="neutral600">
                  {t('close.asOf', 'Frozen on {frozen}, live on {live}', { frozen: shown.frozen.asOf, live: shown.live.asOf })}
                </Typography>
              </Flex>
              {shown.versions.map((v) => (
                <Typography key={v.version} variant="pi">
                  {t('close.versionLine', 'Version {version}: {when}, {by}, SHA-256 {hash}', { version: v.version, when: when(v.closedAt), by: v.closedByName ?? '—', hash: v.hash })}
                  {v.reason ? ` · ${t('close.reason', 'Reason')}: ${v.reason}` : ''}
                </Typography>
              ))}

              <Typography variant="delta">{t('close.units', 'Frozen and live, per responsible unit')}</Typography>
              <Table colCount={1 + RATES.length * 2} rowCount={unitRows.length + 2}>
                <Thead>
                  <Tr>
                    <Th><Typography variant="sigma">{t('close.dim.unit', 'Responsible unit')}</Typography></Th>
                    {RATES.map((r) => [
                      <Th key={`${r.id}-f`}><Typography variant="sigma">{r.label} · {t('close.frozen', 'frozen')}</Typography></Th>,
                      <Th key={`${r.id}-l`}><Typography variant="sigma">{t('close.live', 'live')}</Typography></Th>,
                    ])}
                  </Tr>
                </Thead>
                <Tbody>
                  {[{ key: '__total', name: t('close.dim.total', 'Whole month'), frozen: shown.frozen.totals, live: shown.live.totals }, ...unitRows].map((row) => (
                    <Tr key={row.key ?? '—'}>
                      <Td><Typography fontWeight={row.key === '__total' ? 'bold' : undefined}>{row.name}</Typography></Td>
                      {RATES.map((r) => {
                        const [fn, fd] = cell(row.frozen, r);
                        const [ln, ld] = cell(row.live, r);
                        const differs = fn !== ln || fd !== ld;
                        return [
                          <Td key={`${r.id}-f`}><Typography>{rate(fn, fd)}</Typography></Td>,
                          <Td key={`${r.id}-l`}>
                            <Typography textColor={differs ? 'danger600' : undefined} fontWeight={differs ? 'bold' : undefined} data-differs={differs ? 'true' : undefined}>
                              {rate(ln, ld)}{differs ? ' ≠' : ''}
                            </Typography>
                          </Td>,
                        ];
                      })}
                    </Tr>
                  ))}
                </Tbody>
              </Table>

              <Typography variant="delta">{t('close.differences', 'Differences ({count})', { count: shown.differences.length })}</Typography>
              {shown.differences.length === 0 ? (
                <Typography data-testid="minyi-close-same">{t('close.same', 'No difference: the live figures equal the frozen ones.')}</Typography>
              ) : (
                <Table colCount={5} rowCount={shown.differences.length + 1}>
                  <Thead>
                    <Tr>
                      <Th><Typography variant="sigma">{t('close.col.group', 'Group')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('close.col.figure', 'Figure')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('close.frozen', 'frozen')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('close.live', 'live')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('close.col.causes', 'Changed after the close')}</Typography></Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {shown.differences.map((d, i) => (
                      <Tr key={i} data-testid="minyi-close-difference">
                        <Td><Typography>{dimensionLabel(d.dimension)}{d.dimension === 'total' ? '' : ` · ${d.name ?? d.key ?? '—'}`}</Typography></Td>
                        <Td><Typography>{zh ? d.label.zh : d.label.en}</Typography></Td>
                        <Td><Typography>{d.frozen}</Typography></Td>
                        <Td><Typography textColor="danger600" fontWeight="bold">{d.live}</Typography></Td>
                        <Td>
                          <Flex gap={2} wrap="wrap">
                            {d.causes.map((no) => {
                              const c = shown.causes.find((x) => x.ledgerNo === no);
                              return (
                                <a key={no} href={`${CM_COMPLAINT}/${c?.documentId ?? ''}`} title={c ? [...c.events.map((e) => `${e.type} ${when(e.at)}`), ...(c.deadlinePassed ? [t('close.deadlinePassed', 'deadline passed since')] : [])].join('\n') : ''}>
                                  <Typography textColor="primary600">{no}</Typography>
                                </a>
                              );
                            })}
                          </Flex>
                        </Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              )}

              {canManage && (
                <Flex gap={3} alignItems="flex-end" data-testid="minyi-close-correct">
                  <Box flex="1">
                    <Field.Root name="minyi-close-reason" hint={t('close.reason.hint', 'A correction is a new version computed now; the frozen versions stay.')}>
                      <Field.Label>{t('close.reason.label', 'Reason for a correction')}</Field.Label>
                      <Textarea value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
                      <Field.Hint />
                    </Field.Root>
                  </Box>
                  <Button variant="secondary" onClick={correct} loading={busy} disabled={reason.trim().length < 4}>{t('close.correct', 'Record a correction')}</Button>
                </Flex>
              )}
              <Typography variant="pi" textColor="neutral600">
                {t('close.verifyHint', 'Anyone with the stored text can check a version: sha256sum of the snapshot text equals its SHA-256; npm run ledger:verify-month -- {month} checks every version.', { month: shown.month })}
              </Typography>
            </Flex>
          )}
        </Flex>
      </Layouts.Content>
    </Main>
  );
};

export { MonthClosePage };
export default MonthClosePage;
