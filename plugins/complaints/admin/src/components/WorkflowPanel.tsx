import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Badge,
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Textarea,
  Typography,
} from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { errorMessage } from '../pages/sms-shared';
import { getTranslation } from '../utils/getTranslation';
import { groupsOfCategory, useProblemGroups } from './GroupPicker';
import { FormInput, measureForm, transitionBody, type FormField } from './TransitionForm';
import { COMPLAINT_UID } from './LedgerPanel';

export interface WorkflowData {
  complaint: {
    ledgerNo: string;
    receivedAt: string | null;
    channel: string | null;
    complainantName: string | null;
    town: string | null;
    village: string | null;
    summary: string | null;
    content: string | null;
    level: string | null;
    categoryName: string | null;
    nature: string | null;
    mode: string | null;
    reopenCount: number;
    state: string;
    stateLabel: { zh: string; en: string };
    phone: string | null;
    contactPhone: string | null;
    responsibleUnit: string | null;
    leadUnit: string | null;
    deadline: string | null;
    responseDeadline: string | null;
    warningLevel: string | null;
    signStep: string | null;
    categoryCode: string | null;
  };
  available: string[];
  /** The reopen request of the latest survey (a dissatisfied answer), or null. */
  reopenRequest: {
    state: 'pending' | 'confirmed' | 'rejected';
    round: number;
    answer: string | null;
    answeredVia: string | null;
    answeredAt: string | null;
    comment: string | null;
  } | null;
  canUploadEvidence: boolean;
  /** Whether this user may put the complaint into a problem group now (domain/problem-group.ts mayJoinAGroup). */
  canJoinGroup: boolean;
  /** The complaint's problem group and how many complaints it holds. */
  problemGroup: { documentId: string; code: string; name: string; members: number } | null;
  measures: Array<{
    version: number;
    mode: string;
    text: string;
    responsiblePerson: string | null;
    deadline: string | null;
    policyRef: string | null;
    milestones: Array<{ title: string; due: string | null }> | null;
    reviewState: string;
    reviewComment: string | null;
    reviewedByName: string | null;
  }>;
  evidence: Array<{ id: number; aspect: string; text: string; amount: number | string | null; files: Array<{ id: number; name: string; url: string }> }>;
  signOffs: Array<{ round: number; step: string; decision: string; reason: string | null; signerName: string | null; signerUnitName: string | null; signedAt: string | null }>;
  timeZone: string;
}

/** YYYY-MM-DD HH:mm of an instant in the county's zone. */
const formatTime = (iso: string, timeZone: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value])
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};

/** The outcome of the last action, kept across the reload that shows the stored document. */
const RESULT_KEY = (documentId: string) => `minyi.workflow.result.${documentId}`;

/** A measure as the measure form's values: what a resubmission starts from. */
const measureValues = (m: WorkflowData['measures'][number]): Record<string, string> => {
  const v: Record<string, string> = { mode: m.mode, text: m.text };
  if (m.responsiblePerson) v.responsiblePerson = m.responsiblePerson;
  if (m.deadline) v.deadline = m.deadline;
  if (m.policyRef) v.policyRef = m.policyRef;
  if (m.milestones?.length) v.milestones = m.milestones.map((x) => (x.due ? `${x.title} | ${x.due}` : x.title)).join('\n');
  return v;
};


const WARNING_COLORS: Record<string, [string, string]> = {
  yellow: ['warning100', 'warning700'],
  orange: ['warning200', 'warning700'],
  red: ['danger100', 'danger700'],
};

/** The complaint's workflow: its state, what this user may do now, measures, evidence, sign-offs. `onData` is told each answer. */
export const WorkflowPanelContent = ({ documentId, onData }: { documentId: string; onData?: (data: WorkflowData) => void }) => {
  const { formatMessage, locale } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [data, setData] = useState<WorkflowData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<{ categories: Array<{ code: string; name: string }>; units: Array<{ id: number; name: string }> } | null>(null);
  const { groups, reload: reloadGroups, create: createGroupIn } = useProblemGroups(false);
  const [files, setFiles] = useState<FileList | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [groupName, setGroupName] = useState('');
  const [wholeGroup, setWholeGroup] = useState(false);

  // The message of the action that led to the reload, shown until the next action.
  useEffect(() => {
    const kept = window.sessionStorage.getItem(RESULT_KEY(documentId));
    if (kept) {
      setResult(kept);
      window.sessionStorage.removeItem(RESULT_KEY(documentId));
    }
  }, [documentId]);

  // The latest listener, without making each new one a new load.
  const told = useRef(onData);
  told.current = onData;
  const load = useCallback(() => {
    get<{ data: WorkflowData }>(`/complaints/complaints/${documentId}/workflow`)
      .then((res) => {
        setData(res.data.data);
        told.current?.(res.data.data);
      })
      // Strapi 5's fetch client puts the HTTP status on the error itself.
      .catch((e: { status?: number; response?: { status?: number }; message: string }) =>
        setError((e.status ?? e.response?.status) === 404 ? t('workflow.hidden', 'Not in your scope') : e.message)
      );
  }, [documentId, get]);
  useEffect(load, [load]);

  useEffect(() => {
    if (open === 'classify' && !options) get<{ data: typeof options }>('/complaints/options').then((r) => setOptions(r.data.data));
    if (open === 'accept' || open === 'group') reloadGroups().catch(() => undefined);
  }, [open]);

  const FORMS: Record<string, FormField[]> = useMemo(
    () => ({
      screen_invalid: [
        { name: 'reason', kind: 'select', options: ['unclear_content', 'unclear_subject', 'no_contact', 'duplicate', 'out_of_scope', 'other'].map((v) => ({ value: v, label: t(`invalid.${v}`, v) })) },
        { name: 'duplicateOf', kind: 'text', when: (v) => v.reason === 'duplicate' },
        { name: 'note', kind: 'textarea' },
      ],
      reinstate: [{ name: 'note', kind: 'textarea' }],
      classify: [
        { name: 'categoryCode', kind: 'select', options: (options?.categories ?? []).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` })) },
        { name: 'level', kind: 'select', options: ['county', 'township'].map((v) => ({ value: v, label: t(`level.${v}`, v) })) },
        { name: 'responsibleUnitId', kind: 'select', options: [{ value: '', label: t('workflow.byRouting', '(routing table)') }, ...(options?.units ?? []).map((u) => ({ value: String(u.id), label: u.name }))] },
      ],
      assign: [],
      send_back: [{ name: 'reason', kind: 'textarea' }],
      accept: [
        { name: 'nature', kind: 'select', options: ['individual', 'common'].map((v) => ({ value: v, label: t(`nature.${v}`, v) })) },
        // Only the groups of the complaint's own category can take it.
        { name: 'problemGroup', kind: 'select', options: groupsOfCategory(groups, data?.complaint.categoryCode ?? null).map((g) => ({ value: g.documentId, label: `${g.code} ${g.name}` })), when: (v) => v.nature === 'common' },
      ],
      // 归入共性问题小类: an accepted complaint joins one of the unit's groups of its category.
      group: [
        { name: 'problemGroup', kind: 'select', options: groupsOfCategory(groups, data?.complaint.categoryCode ?? null).map((g) => ({ value: g.documentId, label: `${g.code} ${g.name}` })) },
      ],
      submit_measure: measureForm(t),
      resubmit_measure: measureForm(t),
      return_measure: [{ name: 'comment', kind: 'textarea' }],
      approve_measure: [{ name: 'comment', kind: 'textarea' }],
      complete: [],
      sign: [{ name: 'comment', kind: 'textarea' }],
      reject_signoff: [{ name: 'reason', kind: 'textarea' }],
      reopen: [
        { name: 'reason', kind: 'textarea' },
        { name: 'deadline', kind: 'date' },
      ],
      confirm_reopen: [
        { name: 'deadline', kind: 'date' },
        { name: 'comment', kind: 'textarea' },
      ],
      reject_reopen: [{ name: 'reason', kind: 'textarea' }],
    }),
    [options, groups, locale, data]
  );

  const submit = async (action: string) => {
    setBusy(true);
    try {
      const body = transitionBody(action, FORMS[action] ?? [], values);
      let message: string;
      if (action === 'group') {
        // Not a transition: the complaint joins a group (POST /problem-groups/:documentId/members).
        const res = await post<{ data: { group: string; added: number } }>(`/complaints/problem-groups/${values.problemGroup ?? ''}/members`, { documentIds: [documentId] });
        message = `${t('workflow.done', 'Done')}: ${t('action.group', 'Add to a problem group')} → ${res.data.data.group}`;
      } else if (wholeGroup && data?.problemGroup) {
        // The whole group in one step: every member or none (the existing batch).
        const res = await post<{ data: Array<{ to: string }>; meta: { count: number } }>('/complaints/transitions', { ...body, group: data.problemGroup.documentId });
        const to = res.data.data[0]?.to ?? '';
        message = `${formatMessage({ id: getTranslation('workflow.groupDone'), defaultMessage: 'Done for {count} complaints' }, { count: res.data.meta.count })}: ${t(`action.${action}`, action)} → ${t(`state.${to}`, to)}`;
      } else {
        const res = await post<{ data: { to: string } }>(`/complaints/complaints/${documentId}/transitions`, body);
        message = `${t('workflow.done', 'Done')}: ${t(`action.${action}`, action)} → ${t(`state.${res.data.data.to}`, res.data.data.to)}`;
      }
      toggleNotification({ type: 'success', message });
      setOpen(null);
      setValues({});
      // The edit view's form shows the stored document: reload it with the new state, and keep
      // the message to show after the reload.
      window.sessionStorage.setItem(RESULT_KEY(documentId), message);
      window.location.reload();
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  /** A new problem group of the complaint's category, for the user's unit, chosen at once. */
  const createGroup = async () => {
    setBusy(true);
    try {
      const made = await createGroupIn(data?.complaint.categoryCode ?? null, groupName);
      setValues((prev) => ({ ...prev, problemGroup: made.documentId }));
      setGroupName('');
      setResult(`${t('workflow.groupCreated', 'Problem group created')}: ${made.code}`);
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  /** Opens (or closes) an action's form; a resubmission starts from the measure that was returned. */
  const openAction = (a: string) => {
    if (open === a) {
      setOpen(null);
      return;
    }
    setOpen(a);
    setResult(null);
    setWholeGroup(false);
    const last = data?.measures[data.measures.length - 1];
    setValues(a === 'resubmit_measure' && last ? measureValues(last) : {});
  };

  const upload = async () => {
    setBusy(true);
    try {
      const form = new FormData();
      form.append('aspect', values.aspect ?? 'other');
      form.append('text', values.evidenceText ?? '');
      if (values.amount) form.append('amount', values.amount);
      Array.from(files ?? []).forEach((f) => form.append('files', f));
      await post(`/complaints/complaints/${documentId}/evidence`, form);
      toggleNotification({ type: 'success', message: t('workflow.evidenceAdded', 'Evidence added') });
      setValues({});
      setFiles(null);
      load();
    } catch (e) {
      toggleNotification({ type: 'danger', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const download = async (url: string, name: string) => {
    const res = await get<Blob>(url, { responseType: 'blob' } as never);
    const href = URL.createObjectURL(res.data);
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    a.click();
    URL.revokeObjectURL(href);
  };

  if (error) return <Typography textColor="neutral600">{error}</Typography>;
  if (!data) return <Typography textColor="neutral600">…</Typography>;
  const c = data.complaint;
  const warn = c.warningLevel && WARNING_COLORS[c.warningLevel];
  // An accepted complaint outside any group may join one (the server's domain rule says who).
  const groupable = data.canJoinGroup;

  const input = (f: FormField) => (
    <FormInput key={f.name} field={f} values={values} label={t(`input.${f.name}`, f.name)} onChange={(name, v) => setValues((prev) => ({ ...prev, [name]: v }))} />
  );

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%" data-testid="minyi-workflow-panel">
      <Flex gap={2} wrap="wrap">
        <Badge data-testid="minyi-state">{locale.startsWith('zh') ? c.stateLabel.zh : c.stateLabel.en}</Badge>
        {warn && (
          <Badge backgroundColor={warn[0]} textColor={warn[1]}>
            {t(`warning.${c.warningLevel}`, String(c.warningLevel))}
          </Badge>
        )}
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        {c.responsibleUnit ?? '—'} · {c.leadUnit ?? '—'}
        {c.deadline ? ` · ${t('input.deadline', 'Deadline')} ${c.deadline}` : ''}
        {c.state === 'assigned' && c.responseDeadline ? ` · ${t('workflow.responseDeadline', 'Respond by')} ${c.responseDeadline}` : ''}
      </Typography>
      {c.contactPhone && (
        <Typography variant="pi">
          {t('field.phone', 'Phone')}: {c.contactPhone}
        </Typography>
      )}

      {result && (
        <Box padding={3} hasRadius background="success100" data-testid="minyi-result">
          <Typography variant="pi" textColor="success700">{result}</Typography>
        </Box>
      )}

      {c.state === 'signing' && (
        <Typography variant="pi" fontWeight="bold" data-testid="minyi-next-signer">
          {t('workflow.nextSigner', 'Next signature')}: {t(`signStep.${c.signStep ?? 'unit_head'}`, c.signStep ?? 'unit_head')}
        </Typography>
      )}

      {data.reopenRequest && (
        <Box padding={3} hasRadius background={data.reopenRequest.state === 'pending' ? 'warning100' : 'neutral100'} data-testid="minyi-reopen-request">
          <Typography variant="sigma" textColor="neutral700">
            {formatMessage({ id: getTranslation('reopenRequest.title'), defaultMessage: 'Reopen request (survey round {round})' }, { round: data.reopenRequest.round })}
          </Typography>
          <Typography variant="pi" tag="p" data-testid="minyi-reopen-request-state">
            {t(`reopenRequest.${data.reopenRequest.state}`, data.reopenRequest.state)}
          </Typography>
          <Typography variant="pi" tag="p">
            {t('reopenRequest.answer', "The citizen's answer")}: {data.reopenRequest.answer ? t(`survey.answer.${data.reopenRequest.answer}`, data.reopenRequest.answer) : '—'}
            {data.reopenRequest.answeredVia ? ` · ${t(`survey.via.${data.reopenRequest.answeredVia}`, data.reopenRequest.answeredVia)}` : ''}
          </Typography>
          <Typography variant="pi" tag="p" data-testid="minyi-reopen-request-comment">
            {t('reopenRequest.comment', 'Comment')}: {data.reopenRequest.comment ?? t('reopenRequest.noComment', '(no comment)')}
          </Typography>
        </Box>
      )}

      {data.available.length === 0 && (
        <Typography variant="pi" textColor="neutral600">
          {t('workflow.nothing', 'Nothing for you to do on this complaint now.')}
        </Typography>
      )}
      <Flex gap={2} wrap="wrap">
        {[...data.available, ...(groupable ? ['group'] : [])].map((a) => (
          <Button key={a} size="S" variant={open === a ? 'default' : 'secondary'} onClick={() => openAction(a)} data-testid={`minyi-action-${a}`}>
            {t(`action.${a}`, a)}
          </Button>
        ))}
      </Flex>
      {open && (
        <Flex direction="column" alignItems="stretch" gap={2}>
          {(FORMS[open] ?? []).map(input)}
          {((open === 'accept' && values.nature === 'common') || open === 'group') && (
            <Flex gap={2} alignItems="flex-end" data-testid="minyi-new-group">
              <Box flex="1">
                <Field.Root name="minyi-new-group-name">
                  <Field.Label>{t('workflow.newGroup', 'Or a new problem group of this category')}</Field.Label>
                  <TextInput value={groupName} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setGroupName(e.target.value)} data-testid="minyi-new-group-name" />
                </Field.Root>
              </Box>
              <Button variant="secondary" onClick={createGroup} loading={busy} disabled={groupName.trim().length < 2} data-testid="minyi-new-group-create">
                {t('workflow.createGroup', 'Create')}
              </Button>
            </Flex>
          )}
          {data.problemGroup && data.problemGroup.members > 1 && open !== 'accept' && open !== 'send_back' && (
            <Checkbox checked={wholeGroup} onCheckedChange={(on: boolean | 'indeterminate') => setWholeGroup(on === true)} data-testid="minyi-whole-group">
              {formatMessage(
                { id: getTranslation('workflow.wholeGroup'), defaultMessage: 'For the whole problem group {name} ({count} complaints): all or none' },
                { name: `${data.problemGroup.code} ${data.problemGroup.name}`, count: data.problemGroup.members }
              )}
            </Checkbox>
          )}
          <Button onClick={() => submit(open)} loading={busy} data-testid="minyi-submit">
            {t('workflow.confirm', 'Confirm')}: {t(`action.${open}`, open)}
          </Button>
        </Flex>
      )}

      {data.measures.length > 0 && (
        <Box>
          <Typography variant="sigma" textColor="neutral600">
            {t('workflow.measures', 'Measures')}
          </Typography>
          {data.measures.map((m) => (
            <Box key={m.version} paddingTop={1} data-testid="minyi-measure">
              <Typography variant="pi" tag="p">
                v{m.version} · {t(`mode.${m.mode}`, m.mode)} · {t(`review.${m.reviewState}`, m.reviewState)}
                {m.deadline ? ` · ${t('input.deadline', 'Deadline')} ${m.deadline}` : ''}
                {m.responsiblePerson ? ` · ${t('input.responsiblePerson', 'Responsible person')} ${m.responsiblePerson}` : ''} — {m.text}
              </Typography>
              {m.policyRef && <Typography variant="pi" tag="p">{t('input.policyRef', 'Policy reference')}: {m.policyRef}</Typography>}
              {(m.milestones ?? []).map((x, i) => (
                <Typography key={i} variant="pi" tag="p" textColor="neutral600">· {x.title}{x.due ? ` ${x.due}` : ''}</Typography>
              ))}
              {m.reviewComment && (
                <Typography variant="pi" tag="p" textColor="neutral600" data-testid="minyi-measure-review">
                  {t('workflow.reviewComment', 'Review')}{m.reviewedByName ? `（${m.reviewedByName}）` : ''}: {m.reviewComment}
                </Typography>
              )}
            </Box>
          ))}
        </Box>
      )}

      {(data.evidence.length > 0 || data.canUploadEvidence) && (
        <Box>
          <Typography variant="sigma" textColor="neutral600">
            {t('workflow.evidence', 'Evidence')}
          </Typography>
          {data.evidence.map((e) => (
            <Box key={e.id} paddingTop={1}>
              <Typography variant="pi">
                {t(`aspect.${e.aspect}`, e.aspect)} — {e.text}
                {e.amount !== null && e.amount !== undefined && e.amount !== '' ? ` · ${t('input.amount', 'Amount (yuan)')} ${e.amount}` : ''}
              </Typography>
              {e.files.map((f) => (
                <Button key={f.id} size="S" variant="tertiary" onClick={() => download(f.url, f.name)}>
                  {f.name}
                </Button>
              ))}
            </Box>
          ))}
          {data.canUploadEvidence && (
            <Flex direction="column" alignItems="stretch" gap={2} paddingTop={2}>
              <Field.Root name="minyi-aspect">
                <Field.Label>{t('input.aspect', 'Aspect')}</Field.Label>
                <SingleSelect value={values.aspect ?? ''} onChange={(v: string | number) => setValues((p) => ({ ...p, aspect: String(v) }))}>
                  {['funds', 'policy', 'project', 'facility', 'staffing', 'mechanism', 'beneficiaries', 'other'].map((a) => (
                    <SingleSelectOption key={a} value={a}>
                      {t(`aspect.${a}`, a)}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              </Field.Root>
              <Field.Root name="minyi-evidence-text">
                <Field.Label>{t('input.evidenceText', 'Description')}</Field.Label>
                <Textarea value={values.evidenceText ?? ''} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setValues((p) => ({ ...p, evidenceText: e.target.value }))} />
              </Field.Root>
              {values.aspect === 'funds' && (
                <Field.Root name="minyi-amount">
                  <Field.Label>{t('input.amount', 'Amount (yuan)')}</Field.Label>
                  <TextInput value={values.amount ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValues((p) => ({ ...p, amount: e.target.value }))} />
                </Field.Root>
              )}
              <input type="file" multiple onChange={(e) => setFiles(e.target.files)} data-testid="minyi-evidence-files" />
              <Button variant="secondary" onClick={upload} loading={busy} disabled={!values.aspect || !values.evidenceText}>
                {t('workflow.upload', 'Add evidence')}
              </Button>
            </Flex>
          )}
        </Box>
      )}

      {data.signOffs.length > 0 && (
        <Box data-testid="minyi-signoffs">
          <Typography variant="sigma" textColor="neutral600">
            {t('workflow.signOffs', 'Sign-offs')}
          </Typography>
          {data.signOffs.map((so, i) => (
            <Typography key={i} variant="pi" tag="p" data-testid="minyi-signoff">
              {t(`signStep.${so.step}`, so.step)} · {so.signerName ?? '—'}{so.signerUnitName ? `（${so.signerUnitName}）` : ''} · {t(`signDecision.${so.decision}`, so.decision)}
              {so.signedAt ? ` · ${formatTime(so.signedAt, data.timeZone)}` : ''}
              {so.reason ? ` — ${so.reason}` : ''}
            </Typography>
          ))}
        </Box>
      )}
    </Flex>
  );
};

/** Edit-view side panel of a complaint: the transitions this user may make now, each with its form. */
export const WorkflowPanel = ({ model, documentId }: { model: string; documentId?: string }) => {
  // Called by the Content Manager as a hook, on every render of the edit view.
  const { formatMessage } = useIntl();
  if (model !== COMPLAINT_UID || !documentId) return null;
  return {
    title: formatMessage({ id: getTranslation('cm.panel.workflow'), defaultMessage: 'Workflow' }),
    content: <WorkflowPanelContent documentId={documentId} />,
  };
};
