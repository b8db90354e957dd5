import { useCallback, useEffect, useState } from 'react';
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Main,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tabs,
  Tbody,
  Td,
  TextInput,
  Textarea,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { BackButton, Layouts, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import { useCountyTime } from '../utils/county-time';
import { errorMessage, Pager, type Paged } from './sms-shared';

interface OutboxMessage {
  id: number;
  ledgerNo: string | null;
  phone: string | null;
  template: string;
  body: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string | null;
  sentAt: string | null;
  decisions: string[];
}

interface OptOut {
  phone: string;
  optedOutAt: string | null;
  source: string;
  actorName: string | null;
  reason: string | null;
}

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'uncertain', 'suppressed'];
const TEMPLATES = ['registered_notice', 'accepted_notice', 'closed_survey', 'survey_reminder', 'other'];
const STATUS_COLORS: Record<string, [string, string]> = {
  failed: ['danger100', 'danger700'],
  undelivered: ['danger100', 'danger700'],
  uncertain: ['warning100', 'warning700'],
  delivered: ['success100', 'success700'],
  sent: ['success100', 'success700'],
};
// useRBAC names the action by the last part of its id: sms.manage → canManage.
const MANAGE = [{ action: 'plugin::complaints.sms.manage', subject: null }];

const useT = () => {
  const { formatMessage } = useIntl();
  return (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
};

const Outbox = () => {
  const t = useT();
  const formatDate = useCountyTime();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [filters, setFilters] = useState({ status: '', template: '', from: '', to: '', ledgerNo: '' });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<Paged<OutboxMessage> & { meta: { statusCounts?: Record<string, number> } } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<{ id: number; decision: string } | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    const params: Record<string, string | number> = { page, pageSize: 20 };
    for (const [k, v] of Object.entries(applied)) if (v) params[k] = v;
    get<Paged<OutboxMessage>>('/complaints/sms/messages', { params })
      .then((res) => {
        setResult(res.data);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [get, applied, page]);
  useEffect(load, [load]);

  const decide = async () => {
    if (!deciding) return;
    setBusy(true);
    try {
      await post(`/complaints/sms/messages/${deciding.id}/decision`, { decision: deciding.decision, reason });
      toggleNotification({ type: 'success', message: t('sms.decided', 'Decision recorded') });
      setDeciding(null);
      setReason('');
      load();
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const when = (iso: string | null) => (iso ? formatDate(iso) : '—');
  const counts = result?.meta.statusCounts ?? {};

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex gap={2} wrap="wrap">
        {['uncertain', 'failed', 'queued'].map((s) => (
          <Button
            key={s}
            variant={applied.status === s ? 'secondary' : 'tertiary'}
            size="S"
            data-testid={`minyi-sms-quick-${s}`}
            onClick={() => {
              const next = { ...filters, status: applied.status === s ? '' : s };
              setFilters(next);
              setApplied(next);
              setPage(1);
            }}
          >
            {t(`sms.status.${s}`, s)} ({counts[s] ?? 0})
          </Button>
        ))}
      </Flex>
      <Flex gap={3} alignItems="flex-end" wrap="wrap">
        <Field.Root name="minyi-sms-status">
          <Field.Label>{t('sms.filter.status', 'Status')}</Field.Label>
          <SingleSelect value={filters.status} onChange={(v: string | number) => setFilters({ ...filters, status: String(v) })} onClear={() => setFilters({ ...filters, status: '' })} placeholder={t('sms.filter.all', 'All')}>
            {STATUSES.map((s) => (
              <SingleSelectOption key={s} value={s}>
                {t(`sms.status.${s}`, s)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
        <Field.Root name="minyi-sms-template">
          <Field.Label>{t('sms.filter.template', 'Message type')}</Field.Label>
          <SingleSelect value={filters.template} onChange={(v: string | number) => setFilters({ ...filters, template: String(v) })} onClear={() => setFilters({ ...filters, template: '' })} placeholder={t('sms.filter.all', 'All')}>
            {TEMPLATES.map((s) => (
              <SingleSelectOption key={s} value={s}>
                {t(`sms.template.${s}`, s)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
        <Field.Root name="minyi-sms-from">
          <Field.Label>{t('sms.filter.from', 'From')}</Field.Label>
          <TextInput type="date" value={filters.from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilters({ ...filters, from: e.target.value })} />
        </Field.Root>
        <Field.Root name="minyi-sms-to">
          <Field.Label>{t('sms.filter.to', 'To')}</Field.Label>
          <TextInput type="date" value={filters.to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilters({ ...filters, to: e.target.value })} />
        </Field.Root>
        <Field.Root name="minyi-sms-ledgerNo">
          <Field.Label>{t('sms.filter.ledgerNo', 'Ledger number')}</Field.Label>
          <TextInput value={filters.ledgerNo} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilters({ ...filters, ledgerNo: e.target.value })} />
        </Field.Root>
        <Button
          data-testid="minyi-sms-search"
          onClick={() => {
            setApplied({ ...filters });
            setPage(1);
          }}
        >
          {t('sms.filter.apply', 'Search')}
        </Button>
      </Flex>
      {error && <Typography textColor="danger600">{error}</Typography>}
      {result && (
        <>
          <Table colCount={7} rowCount={result.data.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{t('sms.col.ledgerNo', 'Ledger number')}</Typography></Th>
                <Th><Typography variant="sigma">{t('sms.col.phone', 'Phone')}</Typography></Th>
                <Th><Typography variant="sigma">{t('sms.col.template', 'Type')}</Typography></Th>
                <Th><Typography variant="sigma">{t('sms.col.body', 'Message')}</Typography></Th>
                <Th><Typography variant="sigma">{t('sms.col.status', 'Status')}</Typography></Th>
                <Th><Typography variant="sigma">{t('sms.col.time', 'Queued / sent')}</Typography></Th>
                <Th><Typography variant="sigma">{t('sms.col.actions', 'Decision')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {result.data.map((m) => {
                const [bg, fg] = STATUS_COLORS[m.status] ?? ['neutral100', 'neutral700'];
                return (
                  <Tr key={m.id} data-testid={`minyi-sms-row-${m.id}`}>
                    <Td><Typography>{m.ledgerNo ?? '—'}</Typography></Td>
                    <Td><Typography>{m.phone ?? '—'}</Typography></Td>
                    <Td><Typography>{t(`sms.template.${m.template}`, m.template)}</Typography></Td>
                    <Td style={{ maxWidth: 360, whiteSpace: 'normal' }}>
                      <Typography>{m.body}</Typography>
                      {m.lastError && (
                        <Typography variant="pi" textColor="neutral600" tag="p">
                          {m.lastError}
                        </Typography>
                      )}
                    </Td>
                    <Td>
                      <Badge backgroundColor={bg} textColor={fg} data-testid={`minyi-sms-status-${m.id}`}>
                        {t(`sms.status.${m.status}`, m.status)}
                      </Badge>
                    </Td>
                    <Td>
                      <Typography variant="pi">{when(m.createdAt)}</Typography>
                      <Typography variant="pi" tag="p">{when(m.sentAt)}</Typography>
                    </Td>
                    <Td>
                      <Flex gap={1} wrap="wrap">
                        {m.decisions.map((d) => (
                          <Button key={d} size="S" variant={d === 'cancel' ? 'danger-light' : 'secondary'} data-testid={`minyi-sms-${d}-${m.id}`} onClick={() => { setDeciding({ id: m.id, decision: d }); setReason(''); }}>
                            {t(`sms.decision.${d}`, d)}
                          </Button>
                        ))}
                      </Flex>
                    </Td>
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
          {result.data.length === 0 && <Typography textColor="neutral600">{t('sms.empty', 'No messages match.')}</Typography>}
          <Pager meta={result.meta} onPage={setPage} />
        </>
      )}
      {deciding && (
        <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} data-testid="minyi-sms-decision">
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Typography variant="delta">
              {t(`sms.decision.${deciding.decision}`, deciding.decision)} · #{deciding.id}
            </Typography>
            <Typography textColor="neutral600">{t(`sms.decision.${deciding.decision}.hint`, '')}</Typography>
            <Field.Root name="minyi-sms-reason" hint={t('sms.reason.hint', 'Recorded in the complaint history. No phone numbers.')}>
              <Field.Label>{t('sms.reason', 'Reason')}</Field.Label>
              <Textarea value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
              <Field.Hint />
            </Field.Root>
            <Flex gap={2}>
              <Button loading={busy} disabled={reason.trim().length < 2} data-testid="minyi-sms-confirm" onClick={decide}>
                {t('sms.confirm', 'Confirm')}
              </Button>
              <Button variant="tertiary" onClick={() => setDeciding(null)}>
                {t('sms.cancelForm', 'Back')}
              </Button>
            </Flex>
          </Flex>
        </Box>
      )}
    </Flex>
  );
};

const OptOuts = ({ canManage }: { canManage: boolean }) => {
  const t = useT();
  const formatDate = useCountyTime();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const [result, setResult] = useState<Paged<OptOut> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ phone: '', reason: '' });
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeReason, setRemoveReason] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    get<Paged<OptOut>>('/complaints/sms/opt-outs', { params: { page, pageSize: 20, ...(applied ? { phone: applied } : {}) } })
      .then((res) => {
        setResult(res.data);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [get, page, applied]);
  useEffect(load, [load]);

  const send = async (url: string, body: Record<string, string>, done: string) => {
    setBusy(true);
    try {
      await post(url, body);
      toggleNotification({ type: 'success', message: done });
      load();
      return true;
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {canManage && (
        <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Typography variant="delta">{t('optout.add', 'Record an opt-out')}</Typography>
            <Typography textColor="neutral600">{t('optout.add.hint', 'A citizen asked (by phone or in person) to get no more messages.')}</Typography>
            <Flex gap={3} alignItems="flex-end" wrap="wrap">
              <Field.Root name="minyi-optout-phone">
                <Field.Label>{t('optout.phone', 'Mobile number')}</Field.Label>
                <TextInput value={form.phone} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, phone: e.target.value })} />
              </Field.Root>
              <Field.Root name="minyi-optout-reason">
                <Field.Label>{t('sms.reason', 'Reason')}</Field.Label>
                <TextInput value={form.reason} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, reason: e.target.value })} />
              </Field.Root>
              <Button
                loading={busy}
                disabled={!form.phone || form.reason.trim().length < 2}
                onClick={async () => {
                  if (await send('/complaints/sms/opt-outs', form, t('optout.added', 'Added to the opt-out list'))) setForm({ phone: '', reason: '' });
                }}
              >
                {t('optout.addButton', 'Add')}
              </Button>
            </Flex>
          </Flex>
        </Box>
      )}
      <Flex gap={3} alignItems="flex-end">
        {canManage && (
          <>
            <Field.Root name="minyi-optout-search">
              <Field.Label>{t('optout.search', 'Find a number (the whole number)')}</Field.Label>
              <TextInput value={search} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)} />
            </Field.Root>
            <Button variant="secondary" onClick={() => { setApplied(search.trim()); setPage(1); }}>
              {t('sms.filter.apply', 'Search')}
            </Button>
          </>
        )}
      </Flex>
      {error && <Typography textColor="danger600">{error}</Typography>}
      {result && (
        <>
          <Table colCount={5} rowCount={result.data.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{t('sms.col.phone', 'Phone')}</Typography></Th>
                <Th><Typography variant="sigma">{t('optout.col.at', 'Opted out')}</Typography></Th>
                <Th><Typography variant="sigma">{t('optout.col.source', 'How')}</Typography></Th>
                <Th><Typography variant="sigma">{t('optout.col.by', 'Recorded by / reason')}</Typography></Th>
                <Th><Typography variant="sigma">{t('sms.col.actions', 'Decision')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {result.data.map((o) => (
                <Tr key={o.phone}>
                  <Td><Typography>{o.phone}</Typography></Td>
                  <Td><Typography>{o.optedOutAt ? formatDate(o.optedOutAt) : '—'}</Typography></Td>
                  <Td><Typography>{t(`optout.source.${o.source}`, o.source)}</Typography></Td>
                  <Td><Typography>{[o.actorName, o.reason].filter(Boolean).join(' · ') || '—'}</Typography></Td>
                  <Td>
                    {canManage && (
                      <Button size="S" variant="tertiary" onClick={() => { setRemoving(o.phone); setRemoveReason(''); }}>
                        {t('optout.remove', 'Opt back in')}
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
          {result.data.length === 0 && <Typography textColor="neutral600">{t('optout.empty', 'No number has opted out.')}</Typography>}
          <Pager meta={result.meta} onPage={setPage} />
        </>
      )}
      {removing && (
        <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Typography variant="delta">{t('optout.remove', 'Opt back in')} · {removing}</Typography>
            <Field.Root name="minyi-optin-reason">
              <Field.Label>{t('sms.reason', 'Reason')}</Field.Label>
              <TextInput value={removeReason} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setRemoveReason(e.target.value)} />
            </Field.Root>
            <Flex gap={2}>
              <Button
                loading={busy}
                disabled={removeReason.trim().length < 2}
                onClick={async () => {
                  if (await send('/complaints/sms/opt-outs/remove', { phone: removing, reason: removeReason }, t('optout.removed', 'Removed from the opt-out list'))) setRemoving(null);
                }}
              >
                {t('sms.confirm', 'Confirm')}
              </Button>
              <Button variant="tertiary" onClick={() => setRemoving(null)}>
                {t('sms.cancelForm', 'Back')}
              </Button>
            </Flex>
          </Flex>
        </Box>
      )}
    </Flex>
  );
};

/** The SMS outbox and the opt-out list (GET /complaints/sms/messages, /complaints/sms/opt-outs). */
const SmsPage = () => {
  const t = useT();
  const { allowedActions } = useRBAC(MANAGE);
  return (
    <Main>
      <Layouts.Header navigationAction={<BackButton fallback="/plugins/complaints" disabled={false} />} title={t('sms.title', 'SMS outbox')} subtitle={t('sms.subtitle', 'Messages to citizens, decisions on failed and uncertain ones, the opt-out list')} />
      <Layouts.Content>
        <Tabs.Root defaultValue="outbox">
          <Tabs.List aria-label={t('sms.title', 'SMS outbox')}>
            <Tabs.Trigger value="outbox">{t('sms.tab.outbox', 'Outbox')}</Tabs.Trigger>
            <Tabs.Trigger value="optouts">{t('sms.tab.optouts', 'Opt-out list')}</Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="outbox">
            <Box paddingTop={4}>
              <Outbox />
            </Box>
          </Tabs.Content>
          <Tabs.Content value="optouts">
            <Box paddingTop={4}>
              <OptOuts canManage={Boolean(allowedActions.canManage)} />
            </Box>
          </Tabs.Content>
        </Tabs.Root>
      </Layouts.Content>
    </Main>
  );
};

export { SmsPage };
