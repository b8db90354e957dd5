import { useAuth, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import { COMPLAINT_UID } from './LedgerPanel';

const ASSIGN_ACTION = 'plugin::complaints.complaint.transition.assign';

interface ListContext {
  model: string;
  documents: Array<{ documentId: string; state?: string }>;
}

/**
 * "交办 Assign" in the Content Manager list of complaints: the county office filters the list
 * (say, classified complaints of one category and town), selects them and assigns them all to
 * their responsible units with one click, through the all-or-nothing batch route.
 */
export const AssignBulkAction = ({ model, documents }: ListContext) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  // The user's own permissions, loaded with the session: known at the first render, so the
  // action is there as soon as the selection is (the batch route checks the permission again).
  const canAssign = useAuth('AssignBulkAction', (s) => s.permissions.some((p) => p.action === ASSIGN_ACTION));

  if (model !== COMPLAINT_UID || !canAssign) return null;
  const classified = documents.filter((d) => d.state === 'classified');
  const skipped = documents.length - classified.length;

  return {
    label: t('bulk.assign.label', '交办 Assign ({count})', { count: classified.length }),
    variant: 'default' as const,
    disabled: classified.length === 0,
    dialog: {
      type: 'dialog' as const,
      title: t('bulk.assign.title', '交办所选诉求 Assign the selection'),
      content:
        t('bulk.assign.content', '将 {count} 件已分类诉求交办给各自的责任单位。 Assign {count} classified complaints to their responsible units.', {
          count: classified.length,
        }) +
        (skipped > 0
          ? ` ${t('bulk.assign.skipped', '另有 {skipped} 件不是“已分类”状态，不会交办。 {skipped} others are not classified and are left as they are.', { skipped })}`
          : ''),
      confirmLabel: t('bulk.assign.confirm', '交办 Assign'),
      onConfirm: async () => {
        try {
          const res = await post<{ data: unknown[] }>('/complaints/transitions', {
            action: 'assign',
            documentIds: classified.map((d) => d.documentId),
          });
          toggleNotification({
            type: 'success',
            message: t('bulk.assign.done', '已交办 {count} 件 / {count} assigned', { count: res.data.data.length }),
          });
          // The list reloads with the new states.
          window.setTimeout(() => window.location.reload(), 800);
        } catch (e) {
          const err = e as { response?: { data?: { error?: { message?: string } } }; message: string };
          toggleNotification({ type: 'danger', message: err.response?.data?.error?.message ?? err.message });
        }
      },
    },
  };
};
