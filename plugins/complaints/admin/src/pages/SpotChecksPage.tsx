import { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, Field, Flex, Main, Radio, Table, Tbody, Td, TextInput, Textarea, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { BackButton, Layouts, useAuth, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import { errorMessage } from './sms-shared';

interface DrawnCheck {
  id: number;
  ledgerNo: string;
  unitId: number | null;
  unitName: string | null;
  sampleKey: string;
  closedAt: string | null;
  state: string;
  result: 'pending' | 'passed' | 'failed';
  finding: string | null;
  note: string | null;
  checkedByName: string | null;
  checkedAt: string | null;
}

interface UnitCount {
  unitId: number | null;
  unitName: string | null;
  closed: number | null;
  drawn: number;
}

interface MonthDraw {
  month: string;
  seed: string;
  percent: number;
  minPerUnit: number;
  drawnByName: string | null;
  drawnAt: string | null;
  units: UnitCount[];
  checks: DrawnCheck[];
}

interface Preview {
  month: string;
  seed: string;
  percent: number;
  minPerUnit: number;
  units: UnitCount[];
  members: Array<{ ledgerNo: string; unitId: number | null; unitName: string | null; rank: number; sampleKey: string }>;
}

interface ReportRow {
  unitId: number | null;
  unitName?: string | null;
  drawn: number;
  checked: number;
  passed: number;
  failed: number;
  byFinding: Record<string, number>;
}

interface Report {
  month: string;
  units: ReportRow[];
  total: ReportRow;
}

const FINDINGS = ['not_real', 'feedback_missing', 'low_satisfaction', 'other'] as const;
// useRBAC names the action by the last part of its id: spot-check.manage → canManage.
const MANAGE = [{ action: 'plugin::complaints.spot-check.manage', subject: null }];
const RESULT_COLORS: Record<string, [string, string]> = {
  pending: ['neutral100', 'neutral700'],
  passed: ['success100', 'success700'],
  failed: ['danger100', 'danger700'],
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The month before this one: the latest month that has ended, the one a county draws. */
const lastMonth = () => {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
};

/**
 * `<yyyymmdd>-<user>`: who drew and when can be read from the seed itself. The server accepts
 * printable ASCII only, and admin names are often Chinese, so the user part is the username or
 * the e-mail's local part with everything else dropped.
 */
const defaultSeed = (user: { username?: string | null; email?: string | null } | undefined) => {
  const d = new Date();
  const day = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
  const who = (user?.username || (user?.email ?? '').split('@')[0] || '').replace(/[^\x21-\x7e]/g, '').slice(0, 50);
  return who ? `${day}-${who}` : day;
};

const saveBlob = (blob: Blob, name: string) => {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Spot checks 抽查: the month's draw (GET/POST /complaints/spot-checks, its preview), the
 * inspector's result per drawn complaint (POST /complaints/spot-checks/:id/result) and the
 * monthly report per unit (GET /complaints/spot-checks/report, JSON and xlsx). The county
 * leader reads; only `spot-check.manage` draws and records, as the server enforces.
 */
const SpotChecksPage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(MANAGE);
  const canManage = Boolean(allowedActions.canManage);
  const user = useAuth('SpotChecksPage', (s) => s.user) as { username?: string | null; email?: string | null } | undefined;

  const [month, setMonth] = useState(lastMonth);
  const [seed, setSeed] = useState(() => defaultSeed(user));
  const [percent, setPercent] = useState('10');
  const [minPerUnit, setMinPerUnit] = useState('1');
  const [draw, setDraw] = useState<MonthDraw | null>(null);
  const [notDrawn, setNotDrawn] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'draw' | 'record' | 'download' | null>(null);
  const [open, setOpen] = useState<{ check: DrawnCheck; result: 'passed' | 'failed' } | null>(null);
  const [finding, setFinding] = useState('');
  const [note, setNote] = useState('');
  const [deadline, setDeadline] = useState('');
  const [formError, setFormError] = useState<string | null>(null);

  const validMonth = MONTH_RE.test(month);

  const load = useCallback(async () => {
    if (!MONTH_RE.test(month)) {
      // A month being typed: the previous month's draw must not pass for this one.
      setDraw(null);
      setReport(null);
      setNotDrawn(false);
      return;
    }
    try {
      const res = await get<{ data: MonthDraw }>('/complaints/spot-checks', { params: { month } });
      setDraw(res.data.data);
      setNotDrawn(false);
    } catch (e) {
      setDraw(null);
      if ((e as { status?: number }).status === 404) setNotDrawn(true);
      else setError(errorMessage(e));
    }
    try {
      setReport((await get<{ data: Report }>('/complaints/spot-checks/report', { params: { month } })).data.data);
    } catch (e) {
      setReport(null);
      setError(errorMessage(e));
    }
  }, [get, month]);

  useEffect(() => {
    setPreview(null);
    setOpen(null);
    setError(null);
    void load();
  }, [load]);

  // The user can arrive after the first render (a restored session); a seed typed by hand stays.
  const [seedTyped, setSeedTyped] = useState(false);
  useEffect(() => {
    if (user && !seedTyped) setSeed(defaultSeed(user));
  }, [user, seedTyped]);

  const settings = () => ({ month, seed: seed.trim(), percent: percent.trim(), minPerUnit: minPerUnit.trim() });

  const runPreview = async () => {
    setBusy('preview');
    setError(null);
    try {
      setPreview((await get<{ data: Preview }>('/complaints/spot-checks/preview', { params: settings() })).data.data);
    } catch (e) {
      setPreview(null);
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const runDraw = async () => {
    setBusy('draw');
    setError(null);
    try {
      const s = settings();
      const res = await post<{ data: MonthDraw; meta: { created: boolean } }>('/complaints/spot-checks', { ...s, percent: Number(s.percent), minPerUnit: Number(s.minPerUnit) });
      setDraw(res.data.data);
      setNotDrawn(false);
      setPreview(null);
      toggleNotification({
        type: 'success',
        message: res.data.meta.created ? t('spot.drawn', 'Drawn and recorded') : t('spot.drawnAlready', 'This month was drawn with the same settings: the recorded sample is shown'),
      });
      setReport((await get<{ data: Report }>('/complaints/spot-checks/report', { params: { month } })).data.data);
    } catch (e) {
      setError(errorMessage(e));
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const openForm = (check: DrawnCheck, result: 'passed' | 'failed') => {
    setOpen({ check, result });
    setFinding('');
    setNote('');
    setDeadline('');
    setFormError(null);
  };

  const record = async () => {
    if (!open) return;
    setBusy('record');
    setFormError(null);
    try {
      const body = open.result === 'passed' ? { result: 'passed', note } : { result: 'failed', finding, note, deadline };
      const res = await post<{ data: { id: number; result: 'passed' | 'failed'; finding: string | null; reopened: boolean } }>(`/complaints/spot-checks/${open.check.id}/result`, body);
      const r = res.data.data;
      // Shown from the server's answer at once; the reload below brings who recorded it and when.
      setDraw((d) => (d ? { ...d, checks: d.checks.map((k) => (k.id === r.id ? { ...k, result: r.result, finding: r.finding, note: note.trim() || null, state: r.reopened ? 'rectifying' : k.state } : k)) } : d));
      toggleNotification({ type: 'success', message: r.reopened ? t('spot.recordedFailed', 'Recorded as failed: the complaint is reopened for rectification') : t('spot.recordedPassed', 'Recorded as passed') });
      setOpen(null);
      void load();
    } catch (e) {
      setFormError(errorMessage(e));
      toggleNotification({ type: 'danger', message: errorMessage(e) });
      // A 409 means someone else recorded it meanwhile: show theirs.
      if ((e as { status?: number }).status === 409) void load();
    } finally {
      setBusy(null);
    }
  };

  const download = async () => {
    setBusy('download');
    try {
      const res = await get<Blob>(`/complaints/spot-checks/report?month=${encodeURIComponent(month)}&format=xlsx`, { responseType: 'blob' });
      saveBlob(res.data, `抽查报告-${month}.xlsx`);
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const unitLabel = (name: string | null | undefined) => name ?? t('spot.noUnit', '(no unit)');
  const findingLabel = (f: string) => t(`spot.finding.${f}`, f);
  const formReady = open && (open.result === 'passed' || (finding && deadline && (finding !== 'other' || note.trim().length >= 2)));

  const resultCell = (k: DrawnCheck) => {
    const [bg, fg] = RESULT_COLORS[k.result] ?? RESULT_COLORS.pending;
    return (
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <Badge backgroundColor={bg} textColor={fg} data-testid={`minyi-spot-result-${k.id}`}>
          {t(`spot.result.${k.result}`, k.result)}
          {k.finding ? `：${findingLabel(k.finding)}` : ''}
        </Badge>
        {k.note && <Typography variant="pi">{k.note}</Typography>}
        {k.checkedByName && (
          <Typography variant="pi" textColor="neutral600">
            {k.checkedByName}
            {k.checkedAt ? ` · ${k.checkedAt}` : ''}
          </Typography>
        )}
      </Flex>
    );
  };

  return (
    <Main>
      <Layouts.Header
        navigationAction={<BackButton fallback="/plugins/complaints" disabled={false} />}
        title={t('spot.title', 'Spot checks')}
        subtitle={t('spot.subtitle', 'The monthly random sample of closed complaints, its results and the report per unit')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Flex gap={3} alignItems="flex-end" wrap="wrap">
                <Field.Root name="minyi-spot-month" hint={t('spot.month.hint', 'Only a month that has ended can be drawn')}>
                  <Field.Label>{t('spot.month', 'Month')}</Field.Label>
                  <TextInput type="month" value={month} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setMonth(e.target.value)} />
                  <Field.Hint />
                </Field.Root>
                <Field.Root name="minyi-spot-seed" hint={t('spot.seed.hint', 'Printable characters, no spaces; recorded with the draw')}>
                  <Field.Label>{t('spot.seed', 'Random seed')}</Field.Label>
                  <TextInput value={seed} onChange={(e: React.ChangeEvent<HTMLInputElement>) => { setSeedTyped(true); setSeed(e.target.value); }} />
                  <Field.Hint />
                </Field.Root>
                <Field.Root name="minyi-spot-percent">
                  <Field.Label>{t('spot.percent', 'Percent per unit')}</Field.Label>
                  <TextInput type="number" min={1} max={100} value={percent} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPercent(e.target.value)} />
                </Field.Root>
                <Field.Root name="minyi-spot-min">
                  <Field.Label>{t('spot.minPerUnit', 'At least per unit')}</Field.Label>
                  <TextInput type="number" min={1} max={100} value={minPerUnit} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setMinPerUnit(e.target.value)} />
                </Field.Root>
                <Button variant="secondary" loading={busy === 'preview'} disabled={!validMonth || busy !== null} onClick={runPreview} data-testid="minyi-spot-preview">
                  {t('spot.preview', 'Preview')}
                </Button>
                {canManage && (
                  <Button loading={busy === 'draw'} disabled={!validMonth || !seed.trim() || busy !== null} onClick={runDraw} data-testid="minyi-spot-draw">
                    {t('spot.draw', 'Draw')}
                  </Button>
                )}
              </Flex>
              <Typography variant="pi" textColor="neutral600" data-testid="minyi-spot-method">
                {t(
                  'spot.method',
                  'Method: key = SHA-256 (lowercase hex) of the seed, a line feed and the ledger number; within each responsible unit, the closed complaints sorted by key, the first max(at least, ⌈closed × percent ÷ 100⌉) drawn.'
                )}
              </Typography>
              {error && (
                <Typography textColor="danger600" role="alert" data-testid="minyi-spot-error">
                  {error}
                </Typography>
              )}
            </Flex>
          </Box>

          {preview && (
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} data-testid="minyi-spot-preview-result">
              <Flex direction="column" alignItems="stretch" gap={3}>
                <Typography variant="delta" tag="h2">
                  {t('spot.preview.title', 'Preview of {month} (not recorded)', { month: preview.month })}
                </Typography>
                <Typography textColor="neutral600">
                  {t('spot.settings', 'Seed {seed} · {percent}% · at least {min} per unit', { seed: preview.seed, percent: preview.percent, min: preview.minPerUnit })}
                </Typography>
                <Typography>
                  {preview.units.map((u) => t('spot.unitCount', '{unit}: {drawn} of {closed} closed', { unit: unitLabel(u.unitName), drawn: u.drawn, closed: u.closed ?? '—' })).join('；') || t('spot.preview.empty', 'No complaint was closed in this month.')}
                </Typography>
                {preview.members.length > 0 && (
                  <Table colCount={4} rowCount={preview.members.length + 1}>
                    <Thead>
                      <Tr>
                        <Th><Typography variant="sigma">{t('spot.col.ledgerNo', 'Ledger number')}</Typography></Th>
                        <Th><Typography variant="sigma">{t('spot.col.unit', 'Responsible unit')}</Typography></Th>
                        <Th><Typography variant="sigma">{t('spot.col.rank', 'Rank in unit')}</Typography></Th>
                        <Th><Typography variant="sigma">{t('spot.col.key', 'Sample key')}</Typography></Th>
                      </Tr>
                    </Thead>
                    <Tbody>
                      {preview.members.map((m) => (
                        <Tr key={m.ledgerNo} data-testid="minyi-spot-preview-row">
                          <Td><Typography>{m.ledgerNo}</Typography></Td>
                          <Td><Typography>{unitLabel(m.unitName)}</Typography></Td>
                          <Td><Typography>{m.rank}</Typography></Td>
                          <Td><Typography variant="pi" style={{ fontFamily: 'monospace' }}>{m.sampleKey}</Typography></Td>
                        </Tr>
                      ))}
                    </Tbody>
                  </Table>
                )}
              </Flex>
            </Box>
          )}

          <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Typography variant="delta" tag="h2">
                {t('spot.draw.title', 'The draw of {month}', { month })}
              </Typography>
              {notDrawn && <Typography textColor="neutral600" data-testid="minyi-spot-not-drawn">{t('spot.notDrawn', 'This month has not been drawn yet.')}</Typography>}
              {draw && (
                <>
                  <Typography data-testid="minyi-spot-draw-info">
                    {t('spot.settings', 'Seed {seed} · {percent}% · at least {min} per unit', { seed: draw.seed, percent: draw.percent, min: draw.minPerUnit })}
                    {draw.drawnByName || draw.drawnAt ? ` · ${t('spot.drawnBy', 'drawn by {name} at {at}', { name: draw.drawnByName ?? '—', at: draw.drawnAt ?? '—' })}` : ''}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {t('spot.repeat', 'To repeat it, for each complaint closed in the month: printf \'%s\\n%s\' "{seed}" "LEDGER_NO" | sha256sum', { seed: draw.seed })}
                  </Typography>
                  <Typography>
                    {draw.units
                      .map((u) => (u.closed === null ? t('spot.unitDrawn', '{unit}: {drawn} drawn', { unit: unitLabel(u.unitName), drawn: u.drawn }) : t('spot.unitCount', '{unit}: {drawn} of {closed} closed', { unit: unitLabel(u.unitName), drawn: u.drawn, closed: u.closed })))
                      .join('；')}
                  </Typography>
                  <Table colCount={canManage ? 6 : 5} rowCount={draw.checks.length + 1}>
                    <Thead>
                      <Tr>
                        <Th><Typography variant="sigma">{t('spot.col.ledgerNo', 'Ledger number')}</Typography></Th>
                        <Th><Typography variant="sigma">{t('spot.col.unit', 'Responsible unit')}</Typography></Th>
                        <Th><Typography variant="sigma">{t('spot.col.closed', 'Closed')}</Typography></Th>
                        <Th><Typography variant="sigma">{t('spot.col.state', 'Complaint now')}</Typography></Th>
                        <Th><Typography variant="sigma">{t('spot.col.result', 'Result')}</Typography></Th>
                        {canManage && <Th><Typography variant="sigma">{t('spot.col.record', 'Record')}</Typography></Th>}
                      </Tr>
                    </Thead>
                    <Tbody>
                      {draw.checks.map((k) => (
                        <Tr key={k.id} data-testid={`minyi-spot-row-${k.id}`} data-ledger-no={k.ledgerNo}>
                          <Td><Typography>{k.ledgerNo}</Typography></Td>
                          <Td><Typography>{unitLabel(k.unitName)}</Typography></Td>
                          <Td><Typography>{k.closedAt ?? '—'}</Typography></Td>
                          <Td><Typography>{t(`state.${k.state}`, k.state)}</Typography></Td>
                          <Td>{resultCell(k)}</Td>
                          {canManage && (
                            <Td>
                              {k.result === 'pending' && (
                                <Flex gap={1}>
                                  <Button size="S" variant="success-light" onClick={() => openForm(k, 'passed')} data-testid={`minyi-spot-pass-${k.id}`}>
                                    {t('spot.pass', 'Passed')}
                                  </Button>
                                  <Button size="S" variant="danger-light" onClick={() => openForm(k, 'failed')} data-testid={`minyi-spot-fail-${k.id}`}>
                                    {t('spot.fail', 'Failed')}
                                  </Button>
                                </Flex>
                              )}
                            </Td>
                          )}
                        </Tr>
                      ))}
                    </Tbody>
                  </Table>
                </>
              )}
              {canManage && open && (
                <Box background="neutral100" hasRadius padding={4} data-testid="minyi-spot-form">
                  <Flex direction="column" alignItems="stretch" gap={3}>
                    <Typography variant="delta">
                      {t(`spot.form.${open.result}`, open.result === 'passed' ? 'Record a pass' : 'Record a fail')} · {open.check.ledgerNo}
                    </Typography>
                    {open.result === 'failed' && (
                      <>
                        <Typography textColor="neutral600">{t('spot.form.failHint', 'A fail reopens the complaint: it is rectified again by the new deadline, and counts against its unit.')}</Typography>
                        <Radio.Group aria-label={t('spot.finding', 'Finding')} value={finding} onValueChange={(v: string) => setFinding(v)}>
                          {FINDINGS.map((f) => (
                            <Radio.Item key={f} value={f}>
                              {findingLabel(f)}
                            </Radio.Item>
                          ))}
                        </Radio.Group>
                      </>
                    )}
                    <Field.Root name="minyi-spot-note" hint={t('spot.note.hint', 'No phone numbers or names of citizens.')}>
                      <Field.Label>{open.result === 'failed' && finding === 'other' ? t('spot.noteRequired', 'Note (required for other)') : t('spot.note', 'Note (optional)')}</Field.Label>
                      <Textarea value={note} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setNote(e.target.value)} />
                      <Field.Hint />
                    </Field.Root>
                    {open.result === 'failed' && (
                      <Field.Root name="minyi-spot-deadline" required>
                        <Field.Label>{t('spot.deadline', 'New deadline')}</Field.Label>
                        <TextInput type="date" value={deadline} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDeadline(e.target.value)} />
                      </Field.Root>
                    )}
                    {formError && (
                      <Typography textColor="danger600" role="alert" data-testid="minyi-spot-form-error">
                        {formError}
                      </Typography>
                    )}
                    <Flex gap={2}>
                      <Button loading={busy === 'record'} disabled={!formReady || busy !== null} onClick={record} data-testid="minyi-spot-confirm">
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
          </Box>

          <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Flex justifyContent="space-between" alignItems="center">
                <Typography variant="delta" tag="h2">
                  {t('spot.report.title', 'Report of {month} per unit', { month })}
                </Typography>
                <Button variant="secondary" startIcon={<Download />} loading={busy === 'download'} disabled={!validMonth || !report || report.units.length === 0} onClick={download} data-testid="minyi-spot-download">
                  {t('spot.report.download', 'Download the report (xlsx)')}
                </Button>
              </Flex>
              {report && report.units.length > 0 && (
                <Box data-testid="minyi-spot-report">
                <Table colCount={9} rowCount={report.units.length + 2}>
                  <Thead>
                    <Tr>
                      <Th><Typography variant="sigma">{t('spot.col.unit', 'Responsible unit')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('spot.report.drawn', 'Drawn')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('spot.report.checked', 'Checked')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('spot.report.passed', 'Passed')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('spot.report.failed', 'Failed')}</Typography></Th>
                      {FINDINGS.map((f) => (
                        <Th key={f}><Typography variant="sigma">{findingLabel(f)}</Typography></Th>
                      ))}
                    </Tr>
                  </Thead>
                  <Tbody>
                    {[...report.units.map((u) => ({ ...u, key: String(u.unitId ?? 'none'), label: unitLabel(u.unitName) })), { ...report.total, key: 'total', label: t('spot.report.total', 'Total') }].map((u) => (
                      <Tr key={u.key} data-testid={`minyi-spot-report-${u.key}`}>
                        <Td><Typography fontWeight={u.key === 'total' ? 'bold' : undefined}>{u.label}</Typography></Td>
                        <Td><Typography>{u.drawn}</Typography></Td>
                        <Td><Typography>{u.checked}</Typography></Td>
                        <Td><Typography>{u.passed}</Typography></Td>
                        <Td><Typography>{u.failed}</Typography></Td>
                        {FINDINGS.map((f) => (
                          <Td key={f}><Typography>{u.byFinding[f] ?? 0}</Typography></Td>
                        ))}
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
                </Box>
              )}
              {report && report.units.length === 0 && <Typography textColor="neutral600">{t('spot.report.empty', 'Nothing drawn in this month.')}</Typography>}
            </Flex>
          </Box>
        </Flex>
      </Layouts.Content>
    </Main>
  );
};

export { SpotChecksPage };
