/**
 * Settings 系统设置 (Settings → Minyi): the configuration as the county runs it, read-only
 * (it is changed in config/plugins.ts and takes effect on the next start), and the routing
 * table's check: every minor category a classification "by the routing table" cannot route, with
 * the towns it fails in. Data: GET /complaints/settings (no credential ever).
 */
import { useEffect, useState } from 'react';
import { Box, Flex, Main, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { PAGE_PERMISSIONS } from '../permissions';
import { errorMessage } from './sms-shared';
import { getTranslation } from '../utils/getTranslation';

interface Thresholds {
  yellowDays: number;
  orangeDays: number;
}
interface Settings {
  timeZone: string;
  warnings: { measure: Thresholds; response: Thresholds };
  defaultResponseDays: number;
  jobs: { enabled: boolean; warningRule: string; digestRule: string; surveyRule: string };
  survey: { expiryDays: number; reminderDays: number };
  sms: {
    provider: string;
    signature: string;
    quietHours: { start: string; end: string };
    perNumberCap: number;
    webhooksConfigured: boolean;
    templates: Array<{ key: string; text: string; overridden: boolean }>;
  };
  evidence: { requiredAspects: Array<{ mode: string; aspects: string[] }> };
  routing: { rules: number; towns: string[]; minorCategories: number; uncovered: Array<{ code: string; name: string | null; towns: string[] }> };
}

const Section = ({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} marginBottom={4} data-testid={testId}>
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);

const Line = ({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) => (
  <Flex gap={2}>
    <Typography textColor="neutral600">{label}:</Typography>
    <Typography fontWeight="semiBold" data-testid={testId}>
      {value}
    </Typography>
  </Flex>
);

const SettingsPage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { get } = useFetchClient();
  const [data, setData] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    get<{ data: Settings }>('/complaints/settings')
      .then((res) => setData(res.data.data))
      .catch((e) => setError(errorMessage(e)));
  }, [get]);

  const days = (n: number) => t('settings.days', '{n} days', { n });
  const thresholds = (x: Thresholds) => t('settings.thresholds', 'yellow under {yellow} days left, orange under {orange}, red overdue', { yellow: x.yellowDays, orange: x.orangeDays });

  return (
    <Main>
      <Layouts.Header title={t('settings.title', 'Minyi settings')} subtitle={t('settings.subtitle', 'Read-only: change them in config/plugins.ts; they take effect on the next start')} />
      <Layouts.Content>
        {error && <Typography textColor="danger600">{error}</Typography>}
        {data && (
          <>
            <Section title={t('settings.routing', 'Routing table check')} testId="minyi-settings-routing">
              <Line label={t('settings.routing.rules', 'Rules')} value={data.routing.rules} testId="minyi-settings-rules" />
              <Line label={t('settings.routing.minors', 'Minor categories')} value={data.routing.minorCategories} />
              {data.routing.uncovered.length === 0 ? (
                <Typography textColor="success600" data-testid="minyi-settings-covered">
                  {t('settings.routing.covered', 'Every minor category has a rule in every town.')}
                </Typography>
              ) : (
                <>
                  <Typography textColor="danger600" data-testid="minyi-settings-uncovered-count">
                    {t('settings.routing.uncovered', '{count} minor categories have no rule in some towns: classifying them "by the routing table" fails there.', { count: data.routing.uncovered.length })}
                  </Typography>
                  <Table colCount={2} rowCount={data.routing.uncovered.length + 1}>
                    <Thead>
                      <Tr>
                        <Th><Typography variant="sigma">{t('settings.routing.category', 'Minor category')}</Typography></Th>
                        <Th><Typography variant="sigma">{t('settings.routing.towns', 'Towns without a rule')}</Typography></Th>
                      </Tr>
                    </Thead>
                    <Tbody>
                      {data.routing.uncovered.map((u) => (
                        <Tr key={u.code} data-testid="minyi-settings-uncovered">
                          <Td><Typography>{u.code} {u.name ?? ''}</Typography></Td>
                          <Td><Typography>{u.towns.length === data.routing.towns.length ? t('settings.routing.allTowns', 'every town') : u.towns.join('、')}</Typography></Td>
                        </Tr>
                      ))}
                    </Tbody>
                  </Table>
                </>
              )}
            </Section>

            <Section title={t('settings.deadlines', 'Time zone, deadlines and warnings')} testId="minyi-settings-deadlines">
              <Line label={t('settings.timeZone', 'Time zone')} value={data.timeZone} testId="minyi-settings-timezone" />
              <Line label={t('settings.measure', 'Measure deadline')} value={thresholds(data.warnings.measure)} testId="minyi-settings-measure" />
              <Line label={t('settings.response', 'Response deadline')} value={thresholds(data.warnings.response)} />
              <Line label={t('settings.responseDays', 'Default response time')} value={days(data.defaultResponseDays)} />
              <Line label={t('settings.jobs', 'Scheduled jobs')} value={data.jobs.enabled ? `${data.jobs.warningRule} · ${data.jobs.digestRule} · ${data.jobs.surveyRule}` : t('settings.jobs.off', 'off')} />
            </Section>

            <Section title={t('settings.sms', 'SMS and satisfaction survey')} testId="minyi-settings-sms">
              <Line label={t('settings.sms.provider', 'Provider')} value={data.sms.provider} testId="minyi-settings-provider" />
              <Line label={t('settings.sms.signature', 'Signature')} value={data.sms.signature} />
              <Line label={t('settings.sms.quiet', 'Quiet hours')} value={`${data.sms.quietHours.start}–${data.sms.quietHours.end}`} />
              <Line label={t('settings.sms.cap', 'At most per number in 24 hours')} value={data.sms.perNumberCap} />
              <Line label={t('settings.sms.webhooks', 'Public address for webhooks')} value={data.sms.webhooksConfigured ? t('settings.yes', 'set') : t('settings.no', 'not set')} />
              <Line label={t('settings.survey', 'A survey expires after')} value={`${days(data.survey.expiryDays)} · ${t('settings.reminder', 'reminder after {n} days', { n: data.survey.reminderDays })}`} />
              <Table colCount={2} rowCount={data.sms.templates.length + 1}>
                <Thead>
                  <Tr>
                    <Th><Typography variant="sigma">{t('settings.sms.template', 'Message')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('settings.sms.text', 'Text')}</Typography></Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {data.sms.templates.map((m) => (
                    <Tr key={m.key} data-testid="minyi-settings-template">
                      <Td><Typography>{t(`settings.template.${m.key}`, m.key)}{m.overridden ? ` ${t('settings.overridden', '(county text)')}` : ''}</Typography></Td>
                      <Td><Typography>{m.text}</Typography></Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            </Section>

            <Section title={t('settings.evidence', 'Evidence each mode requires')} testId="minyi-settings-evidence">
              {data.evidence.requiredAspects.map((r) => (
                <Line
                  key={r.mode}
                  label={t(`mode.${r.mode}`, r.mode)}
                  value={r.aspects.length ? r.aspects.map((a) => t(`aspect.${a}`, a)).join('、') : t('settings.evidence.any', 'at least one item, any aspect')}
                />
              ))}
            </Section>
          </>
        )}
      </Layouts.Content>
    </Main>
  );
};

const ProtectedSettingsPage = () => (
  <Page.Protect permissions={PAGE_PERMISSIONS.settings}>
    <SettingsPage />
  </Page.Protect>
);

export default ProtectedSettingsPage;
