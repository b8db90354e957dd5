import { Button, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';

export interface Paged<T> {
  data: T[];
  meta: { page: number; pageSize: number; total: number };
}

/** The server's bilingual message of a refused call (Strapi's fetch client puts the body on the error). */
export const errorMessage = (e: unknown): string => {
  const err = e as { response?: { data?: { error?: { message?: string } } }; message?: string };
  return err.response?.data?.error?.message ?? err.message ?? String(e);
};

/** Previous / next, with "page x of y". */
export const Pager = ({ meta, onPage }: { meta: Paged<unknown>['meta']; onPage: (page: number) => void }) => {
  const { formatMessage } = useIntl();
  const pages = Math.max(1, Math.ceil(meta.total / meta.pageSize));
  return (
    <Flex gap={3} alignItems="center">
      <Button variant="tertiary" size="S" disabled={meta.page <= 1} onClick={() => onPage(meta.page - 1)}>
        {formatMessage({ id: getTranslation('pager.previous'), defaultMessage: 'Previous' })}
      </Button>
      <Typography variant="pi">
        {formatMessage({ id: getTranslation('pager.status'), defaultMessage: 'Page {page} of {pages} · {total} in all' }, { page: meta.page, pages, total: meta.total })}
      </Typography>
      <Button variant="tertiary" size="S" disabled={meta.page >= pages} onClick={() => onPage(meta.page + 1)}>
        {formatMessage({ id: getTranslation('pager.next'), defaultMessage: 'Next' })}
      </Button>
    </Flex>
  );
};
