import { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';

export const COMPLAINT_UID = 'plugin::complaints.complaint';

interface HistoryEvent {
  seq: number;
  type: string;
  actorKind?: string | null;
  actorName: string | null;
  actorUnitName: string | null;
  at: string;
  toState: string | null;
  data?: Record<string, unknown> | null;
}
interface Correction {
  id: number;
  field: string;
  value: string;
  reason: string;
  byName: string | null;
  at: string;
}
interface HistoryData {
  timeZone: string;
  verdict: { ok: boolean; events: number; firstBreak: { kind: string; seq: number } | null };
  events: HistoryEvent[];
  corrections: Correction[];
}

const FIELDS = ['phone', 'complainantName', 'address', 'town', 'village', 'content', 'receivedAt', 'channel'];
const PERMISSIONS = { correct: [{ action: 'plugin::complaints.complaint.correct', subject: null }] };

/** The complaint's history: the chain's verdict, corrections beside the originals, recent events. */
export const LedgerPanelContent = ({ documentId }: { documentId: string }) => {
  const { formatMessage, formatDate } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(PERMISSIONS);
  const [data, setData] = useState<HistoryData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [field, setField] = useState('phone');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);

  const load = useCallback(() => {
    get<{ data: HistoryData }>(`/complaints/complaints/${documentId}/history`)
      .then((res) => setData(res.data.data))
      // Strapi 5's fetch client puts the HTTP status on the error itself.
      .catch((e: { status?: number; response?: { status?: number }; message: string }) =>
        setError((e.status ?? e.response?.status) === 403 ? t('ledger.forbidden', 'No access to the history') : e.message)
      );
  }, [documentId, get]);

  useEffect(load, [load]);

  const submit = async () => {
    setSaving(true);
    try {
      await post(`/complaints/complaints/${documentId}/corrections`, { field, value, reason });
      setValue('');
      setReason('');
      toggleNotification({ type: 'success', message: t('ledger.corrected', 'Correction recorded; the original is kept') });
      load();
    } catch (e) {
      const err = e as { response?: { data?: { error?: { message?: string } } }; message: string };
      toggleNotification({ type: 'danger', message: err.response?.data?.error?.message ?? err.message });
    } finally {
      setSaving(false);
    }
  };

  if (error) return <Typography textColor="danger600">{error}</Typography>;
  if (!data) return <Typography textColor="neutral600">…</Typography>;
  const label = (f: string) => t(`field.${f}`, f);

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Flex gap={2}>
        <Badge backgroundColor={data.verdict.ok ? 'success100' : 'danger100'} textColor={data.verdict.ok ? 'success700' : 'danger700'}>
          {data.verdict.ok ? t('ledger.intact', 'Chain intact') : t('ledger.broken', 'Chain broken at #{seq}', { seq: data.verdict.firstBreak?.seq ?? 0 })}
        </Badge>
        <Typography variant="pi" textColor="neutral600">
          {t('ledger.events', '{count} events', { count: data.verdict.events })}
        </Typography>
      </Flex>

      {data.corrections.length > 0 && (
        <Box>
          <Typography variant="sigma" textColor="neutral600">
            {t('ledger.corrections', 'Corrections')}
          </Typography>
          {data.corrections.map((c) => (
            <Box key={c.id} paddingTop={2}>
              <Typography variant="omega" fontWeight="bold">
                {label(c.field)} → {c.value}
              </Typography>
              <Typography variant="pi" textColor="neutral600" tag="p">
                {c.reason} · {c.byName ?? ''} · {formatDate(c.at, { dateStyle: 'short', timeStyle: 'short', timeZone: data.timeZone })}
              </Typography>
            </Box>
          ))}
        </Box>
      )}

      <Box>
        <Typography variant="sigma" textColor="neutral600">
          {t('ledger.recent', 'Recent history')}
        </Typography>
        {data.events.slice(-8).reverse().map((e) => (
          <Box key={e.seq} paddingTop={1} data-testid="minyi-history-event">
            <Typography variant="pi">
              #{e.seq} {t(`event.${e.type}`, e.type)}
              {e.type === 'survey_answered' && typeof e.data?.answer === 'string' ? `：${t(`survey.answer.${e.data.answer}`, e.data.answer)}` : ''} · {e.actorKind === 'system' || e.actorKind === 'citizen' ? t(`cm.type.complaint-event.enum.actorKind.${e.actorKind}`, e.actorKind) : (e.actorName ?? '')}
              {e.actorUnitName ? `（${e.actorUnitName}）` : ''} · {formatDate(e.at, { dateStyle: 'short', timeStyle: 'short', timeZone: data.timeZone })}
            </Typography>
          </Box>
        ))}
      </Box>

      {allowedActions.canCorrect && (
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="sigma" textColor="neutral600">
            {t('ledger.addCorrection', 'Correct an original field')}
          </Typography>
          <Field.Root name="minyi-correction-field">
            <Field.Label>{t('ledger.field', 'Field')}</Field.Label>
            <SingleSelect value={field} onChange={(v: string | number) => setField(String(v))}>
              {FIELDS.map((f) => (
                <SingleSelectOption key={f} value={f}>
                  {label(f)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
          <Field.Root name="minyi-correction-value">
            <Field.Label>{t('ledger.value', 'Corrected value')}</Field.Label>
            <TextInput value={value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValue(e.target.value)} />
          </Field.Root>
          <Field.Root name="minyi-correction-reason">
            <Field.Label>{t('ledger.reason', 'Reason')}</Field.Label>
            <TextInput value={reason} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setReason(e.target.value)} />
          </Field.Root>
          <Button onClick={submit} loading={saving} disabled={!value || !reason} variant="secondary">
            {t('ledger.save', 'Record correction')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
};

/** Edit-view side panel of a complaint: chain status, corrections next to the originals, recent history. */
export const LedgerPanel = ({ model, documentId }: { model: string; documentId?: string }) => {
  // Called by the Content Manager as a hook, on every render of the edit view.
  const { formatMessage } = useIntl();
  if (model !== COMPLAINT_UID || !documentId) return null;
  return {
    title: formatMessage({ id: getTranslation('cm.panel.ledger'), defaultMessage: 'History & corrections' }),
    content: <LedgerPanelContent documentId={documentId} />,
  };
};
