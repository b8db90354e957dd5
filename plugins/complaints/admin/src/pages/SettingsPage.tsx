/**
 * Settings 系统设置 (Settings → Minyi): the configuration as the county runs it, and the routing
 * table's check: every minor category a classification "by the routing table" cannot route, with
 * the towns it fails in. Data: GET /complaints/settings (no credential ever).
 *
 * The warning thresholds and the ranking can be changed here by the county office
 * (PUT /complaints/settings, settings.manage): in force at once, each edit listed with who made
 * it. The rest is changed in config/plugins.ts and takes effect on the next start.
 */
import { useCallback, useEffect, useState } from 'react';
import { Box, Button, Field, Flex, Main, NumberInput, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { Section } from '../components/Section';
import { PAGE_PERMISSIONS } from '../permissions';
import { errorMessage } from './sms-shared';
import { getTranslation } from '../utils/getTranslation';

interface Thresholds {
  yellowDays: number;
  orangeDays: number;
}
interface Ranking {
  weights: { response: number; resolution: number; satisfaction: number };
  listSize: number;
}
interface Editable {
  warnings: { measure: Thresholds; response: Thresholds };
  ranking: Ranking;
}
type Tree = { [key: string]: Tree | number };
const valueAt = (o: unknown, path: string): number =>
  path.split('.').reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o) as number;
/** Only the values that differ from the current ones, nested as the server reads them. */
const editBody = (paths: readonly string[], current: Editable, draft: Record<string, number | undefined>) => {
  const body: Tree = {};
  for (const path of paths) {
    const v = draft[path];
    if (v === undefined || v === valueAt(current, path)) continue;
    const keys = path.split('.');
    let o = body;
    for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Tree;
    o[keys[keys.length - 1]] = v;
  }
  return body;
};
const timeIn = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

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
  ranking: Ranking;
  editable: { paths: string[]; configured: Editable; edits: Array<{ at: string; by: string; changes: Array<{ path: string; from: number; to: number }> }> };
  routing: { rules: number; towns: string[]; minorCategories: number; uncovered: Array<{ code: string; name: string | null; towns: string[] }> };
}


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
  const { get, put } = useFetchClient();
  const [data, setData] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Record<string, number | undefined>>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ ok: boolean; text: string } | null>(null);
  const { allowedActions } = useRBAC(PAGE_PERMISSIONS.settingsManage);
  const mayEdit = Boolean(allowedActions.canManage);

  const show = useCallback((s: Settings) => {
    setData(s);
    setDraft(Object.fromEntries(s.editable.paths.map((p) => [p, valueAt(s, p)])));
  }, []);
  useEffect(() => {
    get<{ data: Settings }>('/complaints/settings')
      .then((res) => show(res.data.data))
      .catch((e) => setError(errorMessage(e)));
  }, [get, show]);

  const current: Editable | null = data ? { warnings: data.warnings, ranking: data.ranking } : null;
  const body = current && data ? editBody(data.editable.paths, current, draft) : {};
  const save = async () => {
    setSaving(true);
    try {
      const res = await put<{ data: Settings; meta: { changes: Array<{ path: string; from: number; to: number }> } }>('/complaints/settings', body);
      show(res.data.data);
      setSaved({ ok: true, text: t('settings.edit.saved', 'Saved: {count} changed, in force now (the warning levels at the next warning run).', { count: res.data.meta.changes.length }) });
    } catch (e) {
      setSaved({ ok: false, text: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  };

  const days = (n: number) => t('settings.days', '{n} days', { n });
  const thresholds = (x: Thresholds) => t('settings.thresholds', 'yellow under {yellow} days left, orange under {orange}, red overdue', { yellow: x.yellowDays, orange: x.orangeDays });

  return (
    <Main>
      <Layouts.Header title={t('settings.title', 'Minyi settings')} subtitle={t('settings.subtitle', 'The warning thresholds and the ranking can be changed here; the rest in config/plugins.ts, on the next start')} />
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

            <Section title={t('settings.edit.title', 'Warning thresholds and ranking')} testId="minyi-settings-edit">
              <Typography textColor="neutral600">
                {mayEdit
                  ? t('settings.edit.hint', 'Changes are in force at once: warning levels at the next run of the warning job, the ranking at its next answer. A closed month keeps its frozen figures.')
                  : t('settings.edit.readOnly', 'Only the county office may change these.')}
              </Typography>
              <Flex wrap="wrap" gap={4} alignItems="flex-start">
                {data.editable.paths.map((path) => (
                  <Box key={path} width="22rem">
                    <Field.Root name={`minyi-setting-${path}`} hint={t('settings.edit.configured', 'config/plugins.ts: {value}', { value: valueAt(data.editable.configured, path) })}>
                      <Field.Label>{t(`settings.edit.${path}`, path)}</Field.Label>
                      <NumberInput
                        data-testid={`minyi-setting-${path}`}
                        value={draft[path]}
                        disabled={!mayEdit}
                        step={path.startsWith('ranking.weights') ? 0.5 : 1}
                        onValueChange={(v: number | undefined) => setDraft((d) => ({ ...d, [path]: v }))}
                      />
                      <Field.Hint />
                    </Field.Root>
                  </Box>
                ))}
              </Flex>
              {mayEdit && (
                <Flex gap={3}>
                  <Button onClick={save} loading={saving} disabled={Object.keys(body).length === 0} data-testid="minyi-settings-save">
                    {t('settings.edit.save', 'Save changes')}
                  </Button>
                  {saved && (
                    <Typography textColor={saved.ok ? 'success700' : 'danger600'} data-testid="minyi-settings-saved">
                      {saved.text}
                    </Typography>
                  )}
                </Flex>
              )}
              {data.editable.edits.length > 0 && (
                <Table colCount={3} rowCount={data.editable.edits.length + 1}>
                  <Thead>
                    <Tr>
                      <Th><Typography variant="sigma">{t('settings.edit.at', 'When')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('settings.edit.by', 'By')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('settings.edit.changes', 'Changes')}</Typography></Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {data.editable.edits.map((e, i) => (
                      <Tr key={`${e.at}-${i}`} data-testid="minyi-settings-edit-row">
                        <Td><Typography>{timeIn(e.at, data.timeZone)}</Typography></Td>
                        <Td><Typography>{e.by}</Typography></Td>
                        <Td><Typography>{e.changes.map((c) => `${t(`settings.edit.${c.path}`, c.path)} ${c.from} → ${c.to}`).join('；')}</Typography></Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              )}
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
