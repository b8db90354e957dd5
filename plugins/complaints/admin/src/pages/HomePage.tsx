import { useEffect, useState } from 'react';
import { Box, Button, Flex, Grid, Main, Typography } from '@strapi/design-system';
import { Upload } from '@strapi/icons';
import { Layouts, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

import { getTranslation } from '../utils/getTranslation';
import { WarningsOverviewPanel } from '../components/WarningsWidget';
import { PageLinks } from '../components/PageLinks';
import { MonthCloseLink } from '../components/MonthCloseLink';
import { ExportButton } from '../components/ExportButton';

interface Info {
  version: string;
  database: string;
  triggers: string[];
  counts: { complaints: number; events: number; units: number; categories: number };
}

const Stat = ({ label, value }: { label: string; value: number | string }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Typography variant="alpha">{value}</Typography>
    </Flex>
  </Box>
);

const IMPORT_PERMISSIONS = { import: [{ action: 'plugin::complaints.ledger.import', subject: null }] };

/** The month before this one, YYYY-MM (the ledger a county exports at the start of a month). */
const lastMonth = () => {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

const HomePage = () => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const { allowedActions } = useRBAC(IMPORT_PERMISSIONS);
  const { get } = useFetchClient();
  const [info, setInfo] = useState<Info | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  useEffect(() => {
    get<{ data: Info }>('/complaints/info')
      .then((res) => setInfo(res.data.data))
      .catch((e: Error) => setError(e.message));
  }, [get]);

  return (
    <Main>
      <Layouts.Header
        title={t('plugin.name', 'Minyi')}
        subtitle={t('home.subtitle', 'Citizen-demand ledger')}
        primaryAction={
          allowedActions.canImport ? (
            <Button startIcon={<Upload />} onClick={() => navigate('import')}>
              {t('home.import', 'Import the ledger')}
            </Button>
          ) : undefined
        }
        secondaryAction={<ExportButton month={lastMonth()} />}
      />
      <Layouts.Content>
        <PageLinks />
        <MonthCloseLink />
        {error && <Typography textColor="danger600">{error}</Typography>}
        {info && (
          <Grid.Root gap={4}>
            <Grid.Item col={3} s={6}>
              <Stat label={t('home.complaints', 'Complaints')} value={info.counts.complaints} />
            </Grid.Item>
            <Grid.Item col={3} s={6}>
              <Stat label={t('home.events', 'History events')} value={info.counts.events} />
            </Grid.Item>
            <Grid.Item col={3} s={6}>
              <Stat label={t('home.units', 'Units')} value={info.counts.units} />
            </Grid.Item>
            <Grid.Item col={3} s={6}>
              <Stat label={t('home.categories', 'Categories')} value={info.counts.categories} />
            </Grid.Item>
          </Grid.Root>
        )}
        {/* The server decides who may read the warnings: the panel hides itself on 403. */}
        <WarningsOverviewPanel compact={false} hideWhenForbidden>
          {(content) => (
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} marginTop={6}>
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Typography variant="delta" tag="h2">
                  {t('home.warnings', 'Deadline warnings')}
                </Typography>
                {content}
              </Flex>
            </Box>
          )}
        </WarningsOverviewPanel>
      </Layouts.Content>
    </Main>
  );
};

export { HomePage };
