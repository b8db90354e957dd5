/**
 * The complaint page (诉求详情), Minyi's own: the originals read-only, as the role's projection
 * shows them (GET /complaints/complaints/:documentId/workflow masks what the role may not see);
 * the classification by name, the units as 责任单位 and 牵头单位; the workflow (what this user
 * may do now, every measure, evidence, sign-offs and whose signature is next) and the history
 * with its chain's verdict. The same pieces as the Content Manager's side panels, on a page that
 * waits for nothing else: My work's rows open it.
 */
import { useState } from 'react';
import { Box, Flex, Grid, Main, Typography } from '@strapi/design-system';
import { Layouts } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link, useParams } from 'react-router-dom';

import { LedgerPanelContent } from '../components/LedgerPanel';
import { Section } from '../components/Section';
import { WorkflowPanelContent, type WorkflowData } from '../components/WorkflowPanel';
import { getTranslation } from '../utils/getTranslation';

const COMPLAINT_EDIT = '/content-manager/collection-types/plugin::complaints.complaint';

const Row = ({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) => (
  <Flex gap={3} alignItems="flex-start">
    <Box width="10rem" shrink={0}>
      <Typography textColor="neutral600">{label}</Typography>
    </Box>
    <Typography data-testid={testId} style={{ whiteSpace: 'pre-wrap' }}>
      {value === null || value === undefined || value === '' ? '—' : value}
    </Typography>
  </Flex>
);

export const ComplaintPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const { documentId = '' } = useParams<{ documentId: string }>();
  const [data, setData] = useState<WorkflowData | null>(null);
  const c = data?.complaint;
  // The received time in the county's zone, which the workflow view carries.
  const when = (iso: string) => formatDate(iso, { dateStyle: 'short', timeStyle: 'short', timeZone: data?.timeZone });
  const value = (kind: string, v: string | null | undefined) => (v ? t(`${kind}.${v}`, v) : null);

  return (
    <Main>
      <Layouts.Header
        title={c ? `${t('complaint.title', 'Complaint')} ${c.ledgerNo}` : t('complaint.title', 'Complaint')}
        subtitle={c ? `${c.town ?? ''}${c.village ? ` · ${c.village}` : ''}` : undefined}
        navigationAction={
          <Link to="/plugins/complaints/my-work" data-testid="minyi-complaint-back">
            {t('complaint.back', '← My work')}
          </Link>
        }
      />
      <Layouts.Content>
        <Grid.Root gap={4}>
          <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
            <Section title={t('complaint.originals', 'As received (read-only)')} testId="minyi-complaint-originals">
              <Row label={t('cm.field.ledgerNo', 'Ledger no.')} value={c?.ledgerNo} testId="minyi-complaint-ledgerNo" />
              <Row label={t('cm.field.receivedAt', 'Received')} value={c?.receivedAt ? when(c.receivedAt) : null} testId="minyi-complaint-receivedAt" />
              <Row label={t('cm.field.channel', 'Channel')} value={value('dashboard.value.channel', c?.channel)} testId="minyi-complaint-channel" />
              <Row label={t('cm.field.town', 'Town')} value={c?.town} />
              <Row label={t('cm.field.village', 'Village')} value={c?.village} />
              <Row label={t('cm.field.complainantName', 'Name')} value={c?.complainantName} testId="minyi-complaint-name" />
              <Row label={t('cm.field.phone', 'Phone')} value={c?.phone} testId="minyi-complaint-phone" />
              <Row label={t('cm.field.content', 'Content')} value={c?.content} testId="minyi-complaint-content" />
            </Section>
            <Section title={t('complaint.classification', 'Classification and handling')} testId="minyi-complaint-classification">
              <Row label={t('cm.field.category', 'Category')} value={c?.categoryCode ? `${c.categoryCode} ${c.categoryName ?? ''}`.trim() : null} testId="minyi-complaint-category" />
              <Row label={t('cm.field.level', 'Level')} value={value('level', c?.level)} />
              <Row label={t('cm.field.responsibleUnit', 'Responsible unit')} value={c?.responsibleUnit} testId="minyi-complaint-responsibleUnit" />
              <Row label={t('cm.field.leadUnit', 'Lead unit')} value={c?.leadUnit} testId="minyi-complaint-leadUnit" />
              <Row label={t('cm.field.nature', 'Nature')} value={value('nature', c?.nature)} />
              <Row label={t('cm.field.problemGroup', 'Problem group')} value={data?.problemGroup ? `${data.problemGroup.code} ${data.problemGroup.name}` : null} />
              <Row label={t('cm.field.mode', 'Mode')} value={value('mode', c?.mode)} />
              <Row label={t('cm.field.summary', 'Summary')} value={c?.summary} />
            </Section>
            <Section title={t('complaint.history', 'History')} testId="minyi-complaint-history">
              {documentId && <LedgerPanelContent documentId={documentId} />}
            </Section>
          </Grid.Item>
          <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
            <Section title={t('complaint.workflow', 'Handling')} testId="minyi-complaint-workflow">
              {documentId && <WorkflowPanelContent documentId={documentId} onData={setData} />}
            </Section>
            <Link to={`${COMPLAINT_EDIT}/${documentId}`} data-testid="minyi-complaint-cm">
              <Typography textColor="primary600">{t('complaint.inCm', 'Open in the Content Manager')}</Typography>
            </Link>
          </Grid.Item>
        </Grid.Root>
      </Layouts.Content>
    </Main>
  );
};
