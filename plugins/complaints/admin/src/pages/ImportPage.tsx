import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  Badge,
  Box,
  Button,
  Flex,
  Grid,
  Main,
  ProgressBar,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Download, Upload } from '@strapi/icons';
import { BackButton, Layouts, Page, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import { useCountyTime } from '../utils/county-time';

export interface ImportBatch {
  id: number;
  code: string;
  fileName: string | null;
  status: 'queued' | 'parsing' | 'committing' | 'done' | 'failed';
  progress: number;
  totalRows: number;
  importedCount: number;
  alreadyPresentCount: number;
  conflictCount: number;
  inFileDuplicateCount: number;
  errorCount: number;
  suggestionCount: number;
  importedByName: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  failure: string | null;
  sameFileAs?: Array<{ id: number; code: string; status: string }>;
}

const PERMISSIONS = { import: [{ action: 'plugin::complaints.ledger.import', subject: null }] };
const RUNNING = ['queued', 'parsing', 'committing'];

const COUNTS: Array<[keyof ImportBatch, string, string]> = [
  ['totalRows', 'import.count.total', 'Data rows'],
  ['importedCount', 'import.count.imported', 'Imported'],
  ['alreadyPresentCount', 'import.count.present', 'Already present'],
  ['conflictCount', 'import.count.conflicts', 'Conflicts'],
  ['inFileDuplicateCount', 'import.count.duplicates', 'Duplicates in the file'],
  ['errorCount', 'import.count.errors', 'Rows with errors'],
  ['suggestionCount', 'import.count.suggestions', 'Screening suggestions'],
];

/** Saves a downloaded file (the admin's fetch client returns a Blob for responseType "blob"). */
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

const Count = ({ label, value, tone }: { label: string; value: number; tone?: 'danger' | 'warning' | 'success' }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Typography variant="beta" textColor={tone && value > 0 ? `${tone}600` : 'neutral800'}>
        {value.toLocaleString()}
      </Typography>
    </Flex>
  </Box>
);

const ImportPage = () => {
  const { formatMessage } = useIntl();
  const when = useCountyTime();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { get, post } = useFetchClient();
  const { isLoading: checking, allowedActions } = useRBAC(PERMISSIONS);
  const input = useRef<HTMLInputElement | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [batch, setBatch] = useState<ImportBatch | null>(null);
  const [recent, setRecent] = useState<ImportBatch[]>([]);

  const loadRecent = useCallback(() => {
    get<{ data: ImportBatch[] }>('/complaints/imports', { params: { limit: 10 } })
      .then((res) => setRecent(res.data.data))
      .catch(() => undefined);
  }, [get]);

  useEffect(() => {
    if (allowedActions.canImport) loadRecent();
  }, [allowedActions.canImport, loadRecent]);

  // Poll the batch while it runs: the import works in the background on the server.
  useEffect(() => {
    if (!batch || !RUNNING.includes(batch.status)) return undefined;
    const timer = setTimeout(() => {
      get<{ data: ImportBatch }>(`/complaints/imports/${batch.id}`)
        .then((res) => {
          setBatch(res.data.data);
          if (!RUNNING.includes(res.data.data.status)) loadRecent();
        })
        .catch((e: Error) => setError(e.message));
    }, 800);
    return () => clearTimeout(timer);
  }, [batch, get, loadRecent]);

  const start = async () => {
    if (!file) return;
    setUploading(true);
    setError(null);
    setBatch(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const res = await post<{ data: ImportBatch }>('/complaints/imports', form);
      setBatch(res.data.data);
      setFile(null);
      if (input.current) input.current.value = '';
    } catch (e) {
      const err = e as { response?: { data?: { error?: { message?: string } } }; message: string };
      setError(err.response?.data?.error?.message ?? err.message);
    } finally {
      setUploading(false);
    }
  };

  const download = async (url: string, name: string) => {
    try {
      const res = await get<Blob>(url, { responseType: 'blob' });
      saveBlob(res.data, name);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (checking) return <Page.Loading />;
  if (!allowedActions.canImport) return <Page.NoPermissions />;

  const statusLabel = (s: ImportBatch['status']) =>
    ({
      queued: t('import.status.queued', 'Queued'),
      parsing: t('import.status.parsing', 'Reading and checking rows'),
      committing: t('import.status.committing', 'Saving'),
      done: t('import.status.done', 'Done'),
      failed: t('import.status.failed', 'Failed'),
    })[s];

  return (
    <Main>
      <Layouts.Header
        navigationAction={<BackButton fallback="/plugins/complaints" disabled={false} />}
        title={t('import.title', 'Import the ledger')}
        subtitle={t('import.subtitle', 'Excel (.xlsx) or CSV; rows already imported are recognised by their ledger number')}
        primaryAction={
          <Button variant="secondary" startIcon={<Download />} onClick={() => download('/complaints/import-template', 'minyi-ledger-template.xlsx')}>
            {t('import.template', 'Download the template')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="delta" tag="h2">
                {t('import.choose', 'Choose a file')}
              </Typography>
              <Typography textColor="neutral600">
                {t(
                  'import.help',
                  'Headers: 诉求编号, 反映时间, 来源, 反映人, 联系电话, 乡镇, 村(社区), 详细地址, 诉求内容 (English names accepted). The header may be below a title; other columns are kept as they are.'
                )}
              </Typography>
              <Flex gap={4} wrap="wrap">
                <input
                  ref={input}
                  type="file"
                  aria-label={t('import.choose', 'Choose a file')}
                  accept=".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                  onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                />
                <Button startIcon={<Upload />} onClick={start} loading={uploading} disabled={!file || uploading}>
                  {t('import.start', 'Import')}
                </Button>
              </Flex>
              {error && (
                <Alert variant="danger" closeLabel={t('import.close', 'Close')} title={t('import.refused', 'Not imported')} onClose={() => setError(null)}>
                  {error}
                </Alert>
              )}
            </Flex>
          </Box>

          {batch && (
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Flex gap={3} alignItems="center">
                  <Typography variant="delta" tag="h2">
                    {batch.fileName}
                  </Typography>
                  <Badge>{batch.code}</Badge>
                  <Typography textColor={batch.status === 'failed' ? 'danger600' : 'neutral600'}>{statusLabel(batch.status)}</Typography>
                </Flex>
                {RUNNING.includes(batch.status) && (
                  <Flex direction="column" alignItems="stretch" gap={2}>
                    <ProgressBar value={batch.progress} size="M" />
                    <Typography variant="pi" textColor="neutral600">
                      {t('import.progress', '{progress}% · {rows} rows read', { progress: batch.progress, rows: batch.totalRows })}
                    </Typography>
                  </Flex>
                )}
                {batch.status === 'failed' && (
                  <Alert variant="danger" closeLabel={t('import.close', 'Close')} title={t('import.failed', 'The import failed; nothing was imported')}>
                    {batch.failure}
                  </Alert>
                )}
                {batch.status === 'done' && (
                  <>
                    <Grid.Root gap={3}>
                      {COUNTS.map(([key, id, label]) => (
                        <Grid.Item key={key} col={3} s={6}>
                          <Count
                            label={t(id, label)}
                            value={Number(batch[key] ?? 0)}
                            tone={key === 'errorCount' || key === 'conflictCount' ? 'danger' : key === 'suggestionCount' || key === 'inFileDuplicateCount' ? 'warning' : key === 'importedCount' ? 'success' : undefined}
                          />
                        </Grid.Item>
                      ))}
                    </Grid.Root>
                    {(batch.sameFileAs?.length ?? 0) > 0 && (
                      <Typography textColor="neutral600">
                        {t('import.sameFile', 'The same file was imported before as {codes}.', { codes: (batch.sameFileAs ?? []).map((b) => b.code).join(', ') })}
                      </Typography>
                    )}
                    {batch.suggestionCount > 0 && (
                      <Typography textColor="neutral600">
                        {t('import.suggestionsHelp', 'Suggestions are for screening: a person confirms each one; nothing was marked invalid.')}
                      </Typography>
                    )}
                  </>
                )}
                {!RUNNING.includes(batch.status) && (
                  <Box>
                    <Button variant="secondary" startIcon={<Download />} onClick={() => download(`/complaints/imports/${batch.id}/report`, `minyi-import-${batch.code}.xlsx`)}>
                      {t('import.report', 'Download the result report')}
                    </Button>
                  </Box>
                )}
              </Flex>
            </Box>
          )}

          {recent.length > 0 && (
            <Box>
              <Box paddingBottom={2}>
                <Typography variant="delta" tag="h2">
                  {t('import.recent', 'Recent imports')}
                </Typography>
              </Box>
              <Table colCount={7} rowCount={recent.length + 1}>
                <Thead>
                  <Tr>
                    <Th><Typography variant="sigma">{t('import.col.batch', 'Batch')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('import.col.file', 'File')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('import.col.status', 'Status')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('import.count.imported', 'Imported')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('import.count.errors', 'Rows with errors')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('import.col.by', 'By, at')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('import.col.report', 'Report')}</Typography></Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {recent.map((b) => (
                    <Tr key={b.id}>
                      <Td><Typography>{b.code}</Typography></Td>
                      <Td><Typography>{b.fileName}</Typography></Td>
                      <Td><Typography textColor={b.status === 'failed' ? 'danger600' : 'neutral800'}>{statusLabel(b.status)}</Typography></Td>
                      <Td><Typography>{b.importedCount}</Typography></Td>
                      <Td><Typography>{b.errorCount}</Typography></Td>
                      <Td>
                        <Typography>
                          {b.importedByName ?? ''} {b.startedAt ? when(b.startedAt) : ''}
                        </Typography>
                      </Td>
                      <Td>
                        {!RUNNING.includes(b.status) && (
                          <Button variant="tertiary" size="S" startIcon={<Download />} onClick={() => download(`/complaints/imports/${b.id}/report`, `minyi-import-${b.code}.xlsx`)}>
                            xlsx
                          </Button>
                        )}
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            </Box>
          )}
        </Flex>
      </Layouts.Content>
    </Main>
  );
};

export { ImportPage };
