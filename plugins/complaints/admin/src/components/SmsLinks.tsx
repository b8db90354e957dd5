import { Box, Button, Flex } from '@strapi/design-system';
import { Message, Phone } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

import { PAGE_PERMISSIONS } from '../permissions';
import { getTranslation } from '../utils/getTranslation';

const PERMISSIONS = { sms: PAGE_PERMISSIONS.sms, visits: PAGE_PERMISSIONS.returnVisits };

/** The home page's links to the SMS outbox and the phone return visits, for the roles that have them. */
export const SmsLinks = () => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const { allowedActions } = useRBAC(PERMISSIONS);
  if (!allowedActions.canSms && !allowedActions.canVisits) return null;
  return (
    <Box paddingBottom={4}>
      <Flex gap={2}>
        {allowedActions.canSms && (
          <Button variant="secondary" startIcon={<Message />} onClick={() => navigate('sms')} data-testid="minyi-link-sms">
            {formatMessage({ id: getTranslation('home.sms'), defaultMessage: 'SMS outbox' })}
          </Button>
        )}
        {allowedActions.canVisits && (
          <Button variant="secondary" startIcon={<Phone />} onClick={() => navigate('return-visits')} data-testid="minyi-link-visits">
            {formatMessage({ id: getTranslation('home.visits'), defaultMessage: 'Phone return visits' })}
          </Button>
        )}
      </Flex>
    </Box>
  );
};
