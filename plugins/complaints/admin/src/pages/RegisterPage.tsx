import { useEffect, useState } from 'react';
import { Box, Button, Field, Flex, Main, SingleSelect, SingleSelectOption, TextInput, Textarea, Typography } from '@strapi/design-system';
import { BackButton, Layouts, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import { errorMessage } from './sms-shared';

/** The channels of a demand not received online (server/src/domain/registration.ts REGISTRATION_CHANNELS). */
const CHANNELS = ['visit', 'hotline', 'letter', 'sms', 'meeting', 'other'] as const;
/** Minyi's complaint page (pages/ComplaintPage). */
const COMPLAINT_PAGE = '/admin/plugins/complaints/complaints';

type FieldName = 'channel' | 'receivedAt' | 'content' | 'town' | 'village' | 'complainantName' | 'phone' | 'address';
type Values = Record<FieldName, string>;
interface FieldError {
  field: string;
  zh: string;
  en: string;
}

const EMPTY: Values = { channel: 'hotline', receivedAt: '', content: '', town: '', village: '', complainantName: '', phone: '', address: '' };

/**
 * Registration 登记: the county office types in a demand received by visit, phone or letter
 * (POST /complaints/registrations). The original fields are entered once: the server reads them
 * with the import's rules and freezes them. A refused field shows the server's message under
 * it; a registered demand shows its ledger number until the next one, and the form is cleared.
 */
const RegisterPage = () => {
  const { formatMessage, locale } = useIntl();
  const zh = locale.startsWith('zh');
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { get, post } = useFetchClient();

  const [towns, setTowns] = useState<string[]>([]);
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ ledgerNo: string; documentId: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ data: { towns: string[] } }>('/complaints/options')
      .then((res) => setTowns(res.data.data.towns ?? []))
      .catch((e) => setError(errorMessage(e)));
  }, [get]);

  const set = (name: FieldName) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((es) => ({ ...es, [name]: undefined }));
  };
  const onText = (name: FieldName) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(name)(e.target.value);

  const submit = async () => {
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const body: Record<string, string> = {};
      for (const [k, v] of Object.entries(values)) if (v.trim()) body[k] = v;
      // datetime-local gives 2026-11-27T09:30, the county's local time; the server reads it so.
      const res = await post<{ data: { ledgerNo: string; documentId: string } }>('/complaints/registrations', body);
      setDone(res.data.data);
      setValues((v) => ({ ...EMPTY, channel: v.channel }));
    } catch (e) {
      const details = (e as { response?: { data?: { error?: { details?: { errors?: FieldError[] } } } } }).response?.data?.error?.details;
      const list = details?.errors ?? [];
      if (list.length > 0) {
        const byField: Partial<Record<FieldName, string>> = {};
        for (const fe of list) byField[fe.field as FieldName] = zh ? fe.zh : fe.en;
        setErrors(byField);
      }
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const text = (name: FieldName, label: string, opts: { required?: boolean; hint?: string; type?: string } = {}) => (
    <Field.Root name={`minyi-register-${name}`} error={errors[name]} hint={opts.hint} required={opts.required}>
      <Field.Label>{label}</Field.Label>
      <TextInput type={opts.type ?? 'text'} value={values[name]} onChange={onText(name)} />
      {opts.hint && <Field.Hint />}
      <Field.Error />
    </Field.Root>
  );

  return (
    <Main>
      <Layouts.Header
        navigationAction={<BackButton fallback="/plugins/complaints" disabled={false} />}
        title={t('register.title', 'Register a demand')}
        subtitle={t('register.subtitle', 'A demand received by visit, phone or letter: its original fields are entered once and cannot be changed afterwards')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {done && (
            <Box background="success100" borderColor="success200" hasRadius padding={5} data-testid="minyi-register-done" role="status">
              <Flex direction="column" alignItems="flex-start" gap={2}>
                <Typography variant="delta" tag="h2">
                  {t('register.done', 'Registered: ledger number {ledgerNo}', { ledgerNo: done.ledgerNo })}
                </Typography>
                <a href={`${COMPLAINT_PAGE}/${done.documentId}`} data-testid="minyi-register-open">
                  {t('register.open', 'Open the complaint')}
                </a>
              </Flex>
            </Box>
          )}
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} data-testid="minyi-register-form">
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Flex gap={4} alignItems="flex-start" wrap="wrap">
                <Box minWidth="200px">
                  <Field.Root name="minyi-register-channel" error={errors.channel} required>
                    <Field.Label>{t('register.channel', 'Channel')}</Field.Label>
                    <SingleSelect value={values.channel} onChange={(v: string | number) => set('channel')(String(v))}>
                      {CHANNELS.map((c) => (
                        <SingleSelectOption key={c} value={c}>
                          {t(`register.channel.${c}`, c)}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                    <Field.Error />
                  </Field.Root>
                </Box>
                <Box minWidth="240px">{text('receivedAt', t('register.receivedAt', 'Received at'), { type: 'datetime-local', hint: t('register.receivedAt.hint', 'Leave empty for now; not in the future') })}</Box>
              </Flex>
              <Field.Root name="minyi-register-content" error={errors.content} required hint={t('register.content.hint', 'What the citizen said, as they said it')}>
                <Field.Label>{t('register.content', 'Content')}</Field.Label>
                <Textarea value={values.content} onChange={onText('content')} />
                <Field.Hint />
                <Field.Error />
              </Field.Root>
              <Flex gap={4} alignItems="flex-start" wrap="wrap">
                <Box minWidth="200px">
                  <Field.Root name="minyi-register-town" error={errors.town} required>
                    <Field.Label>{t('register.town', 'Town')}</Field.Label>
                    <SingleSelect value={values.town} onChange={(v: string | number) => set('town')(String(v))} placeholder={t('register.town.pick', 'Choose a town')}>
                      {towns.map((town) => (
                        <SingleSelectOption key={town} value={town}>
                          {town}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                    <Field.Error />
                  </Field.Root>
                </Box>
                <Box minWidth="240px">{text('village', t('register.village', 'Village or community'))}</Box>
              </Flex>
              <Flex gap={4} alignItems="flex-start" wrap="wrap">
                <Box minWidth="200px">{text('complainantName', t('register.name', 'Name of the citizen'))}</Box>
                <Box minWidth="240px">{text('phone', t('register.phone', 'Phone'), { hint: t('register.phone.hint', 'A mobile or a landline with its area code; makes the demand traceable') })}</Box>
              </Flex>
              {text('address', t('register.address', 'Address'))}
              {error && (
                <Typography textColor="danger600" role="alert" data-testid="minyi-register-error">
                  {error}
                </Typography>
              )}
              <Flex gap={2}>
                <Button loading={busy} disabled={busy} onClick={submit} data-testid="minyi-register-submit">
                  {t('register.submit', 'Register')}
                </Button>
              </Flex>
            </Flex>
          </Box>
        </Flex>
      </Layouts.Content>
    </Main>
  );
};

export { RegisterPage };
