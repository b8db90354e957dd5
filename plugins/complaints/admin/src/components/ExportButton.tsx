/**
 * The Export button: downloads GET /complaints/export (the month's ledger, or a filtered list)
 * as xlsx. The server writes the file while it sends it, so its size is not known in advance:
 * the button shows how many rows the file will hold (the X-Export-Rows header) and how much has
 * arrived, and the file is saved when it is complete. Reusable by any page: pass the month
 * and/or the filters of the list being shown (the same query parameters as the counts).
 */
import { useState } from 'react';
import { Button, Flex, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useAuth, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';

export interface ExportButtonProps {
  /** YYYY-MM: the month's rectification ledger 整改台账. */
  month?: string;
  /** The list's filters (domain/filters.ts names), e.g. { state: 'closed', responsibleUnit: '3' }. */
  filters?: Record<string, string>;
  label?: string;
}

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

/** The UTF-8 name of a Content-Disposition (RFC 6266), else its plain one. */
const fileNameOf = (disposition: string | null, fallback: string) => {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (utf8) return decodeURIComponent(utf8[1]);
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
};

const ExportButton = ({ month, filters = {}, label }: ExportButtonProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const token = useAuth('ExportButton', (s) => s.token);
  const { get } = useFetchClient();
  const [state, setState] = useState<{ rows: number | null; bytes: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const query = new URLSearchParams({ ...(month ? { month } : {}), ...filters }).toString();
  const path = `/complaints/export${query ? `?${query}` : ''}`;

  const run = async () => {
    setError(null);
    setState({ rows: null, bytes: 0 });
    try {
      const base = (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';
      const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token ?? ''}` }, credentials: 'include' });
      if (res.status === 401) {
        // An expired session token: the admin's own client renews it (no progress shown then).
        const r = await get<Blob>(path, { responseType: 'blob' });
        saveBlob(r.data, fileNameOf(null, 'minyi-export.xlsx'));
        return;
      }
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => null);
        throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
      }
      const rows = Number(res.headers.get('X-Export-Rows'));
      const reader = res.body.getReader();
      const parts: BlobPart[] = [];
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value as BlobPart);
        bytes += value.length;
        setState({ rows: Number.isFinite(rows) ? rows : null, bytes });
      }
      saveBlob(new Blob(parts, { type: res.headers.get('Content-Type') ?? undefined }), fileNameOf(res.headers.get('Content-Disposition'), 'minyi-export.xlsx'));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setState(null);
    }
  };

  return (
    <Flex gap={2} alignItems="center">
      <Button variant="secondary" startIcon={<Download />} loading={state !== null} onClick={run}>
        {label ?? (month ? t('export.month', 'Export the {month} ledger', { month }) : t('export.list', 'Export this list'))}
      </Button>
      {state && (
        <Typography variant="pi" textColor="neutral600" aria-live="polite">
          {state.rows === null
            ? t('export.starting', 'Starting the export…')
            : t('export.progress', '{rows} rows: {mb} MB received', { rows: state.rows.toLocaleString(), mb: (state.bytes / 1048576).toFixed(1) })}
        </Typography>
      )}
      {error && (
        <Typography variant="pi" textColor="danger600" role="alert">
          {t('export.failed', 'Export failed: {message}', { message: error })}
        </Typography>
      )}
    </Flex>
  );
};

export { ExportButton };
