import { useCallback, useEffect, useState } from 'react';
import { Box, Button, Field, Flex, Main, Radio, Table, Tbody, Td, TextInput, Textarea, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { BackButton, Layouts, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import { useCountyTime } from '../utils/county-time';
import { errorMessage, Pager, type Paged } from './sms-shared';

interface Visit {
  surveyId: number;
  documentId: string;
  ledgerNo: string;
  phone: string | null;
  why: 'landline' | 'opted_out' | 'no_sms_survey';
  round: number;
  unitName: string | null;
  categoryName: string | null;
  closedAt: string | null;
}

const ANSWERS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;

/**
 * Phone return visits (电话回访): closed complaints whose survey no SMS can carry, in the
 * user's scope, and the form that records the citizen's answer (GET/POST /complaints/return-visits…).
 */
const ReturnVisitsPage = () => {
  const { formatMessage } = useIntl();
  const inCounty = useCountyTime();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [page, setPage] = useState(1);
  const [ledgerNo, setLedgerNo] = useState('');
  const [applied, setApplied] = useState('');
  const [result, setResult] = useState<Paged<Visit> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Visit | null>(null);
  const [answer, setAnswer] = useState<string>('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    get<Paged<Visit>>('/complaints/return-visits', { params: { page, pageSize: 20, ...(applied ? { ledgerNo: applied } : {}) } })
      .then((res) => {
        setResult(res.data);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [get, page, applied]);
  useEffect(load, [load]);

  const record = async () => {
    if (!open || !answer) return;
    setBusy(true);
    try {
      await post(`/complaints/complaints/${open.documentId}/return-visit`, { answer, comment });
      toggleNotification({ type: 'success', message: t('visit.recorded', 'Return visit recorded') });
      setOpen(null);
      load();
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Main>
      <Layouts.Header navigationAction={<BackButton fallback="/plugins/complaints" disabled={false} />} title={t('visit.title', 'Phone return visits')} subtitle={t('visit.subtitle', 'Closed complaints whose satisfaction survey must be asked by phone')} />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Flex gap={3} alignItems="flex-end">
            <Field.Root name="minyi-visit-ledgerNo">
              <Field.Label>{t('sms.filter.ledgerNo', 'Ledger number')}</Field.Label>
              <TextInput value={ledgerNo} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setLedgerNo(e.target.value)} />
            </Field.Root>
            <Button variant="secondary" onClick={() => { setApplied(ledgerNo.trim()); setPage(1); }}>
              {t('sms.filter.apply', 'Search')}
            </Button>
          </Flex>
          {error && <Typography textColor="danger600">{error}</Typography>}
          {result && (
            <>
              <Table colCount={6} rowCount={result.data.length + 1}>
                <Thead>
                  <Tr>
                    <Th><Typography variant="sigma">{t('sms.col.ledgerNo', 'Ledger number')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('sms.col.phone', 'Phone')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('visit.col.why', 'Why by phone')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('visit.col.unit', 'Unit / category')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('visit.col.closed', 'Closed')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('sms.col.actions', 'Decision')}</Typography></Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {result.data.map((v) => (
                    <Tr key={v.surveyId}>
                      <Td><Typography>{v.ledgerNo}</Typography></Td>
                      <Td><Typography>{v.phone ?? '—'}</Typography></Td>
                      <Td><Typography>{t(`visit.why.${v.why}`, v.why)}{v.round > 1 ? ` · ${t('visit.round', 'round {round}', { round: v.round })}` : ''}</Typography></Td>
                      <Td><Typography>{[v.unitName, v.categoryName].filter(Boolean).join(' · ') || '—'}</Typography></Td>
                      <Td><Typography>{v.closedAt ? inCounty(v.closedAt, { dateStyle: 'short' }) : '—'}</Typography></Td>
                      <Td>
                        <Button size="S" onClick={() => { setOpen(v); setAnswer(''); setComment(''); }}>
                          {t('visit.record', 'Record the answer')}
                        </Button>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
              {result.data.length === 0 && <Typography textColor="neutral600">{t('visit.empty', 'No return visit is waiting.')}</Typography>}
              <Pager meta={result.meta} onPage={setPage} />
            </>
          )}
          {open && (
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
              <Flex direction="column" alignItems="stretch" gap={3}>
                <Typography variant="delta">{t('visit.record', 'Record the answer')} · {open.ledgerNo}</Typography>
                <Radio.Group aria-label={t('visit.answer', 'Answer')} value={answer} onValueChange={(v: string) => setAnswer(v)}>
                  {ANSWERS.map((a) => (
                    <Radio.Item key={a} value={a}>
                      {t(`visit.answer.${a}`, a)}
                    </Radio.Item>
                  ))}
                </Radio.Group>
                <Field.Root name="minyi-visit-comment">
                  <Field.Label>{t('visit.comment', 'Comment (optional)')}</Field.Label>
                  <Textarea value={comment} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setComment(e.target.value)} />
                </Field.Root>
                <Flex gap={2}>
                  <Button loading={busy} disabled={!answer} onClick={record}>
                    {t('sms.confirm', 'Confirm')}
                  </Button>
                  <Button variant="tertiary" onClick={() => setOpen(null)}>
                    {t('sms.cancelForm', 'Back')}
                  </Button>
                </Flex>
              </Flex>
            </Box>
          )}
        </Flex>
      </Layouts.Content>
    </Main>
  );
};

export { ReturnVisitsPage };
