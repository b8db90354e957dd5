import { Box, Button } from '@strapi/design-system';
import { Lock } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

import { PAGE_PERMISSIONS } from '../permissions';
import { getTranslation } from '../utils/getTranslation';

/** The home page's link to the month close, for the roles that read closed months. */
export const MonthCloseLink = () => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const { allowedActions } = useRBAC(PAGE_PERMISSIONS.monthClose);
  if (!allowedActions.canRead) return null;
  return (
    <Box paddingBottom={4}>
      <Button variant="secondary" startIcon={<Lock />} onClick={() => navigate('month-close')} data-testid="minyi-link-month-close">
        {formatMessage({ id: getTranslation('home.monthClose'), defaultMessage: 'Month close' })}
      </Button>
    </Box>
  );
};
