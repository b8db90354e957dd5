import { Box, Button, Flex } from '@strapi/design-system';
import { Bell, ListSearch, Message, Pencil, Phone } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

import { PAGE_PERMISSIONS } from '../permissions';
import { getTranslation } from '../utils/getTranslation';


/** The home page's links to My work, the registration form, the SMS outbox, the phone return visits and the spot checks, for the roles that have them. */
export const PageLinks = () => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  // useRBAC names each action by the last part of its id: sms.read → canRead, survey.phone-visit → canPhoneVisit.
  const { allowedActions } = useRBAC([...PAGE_PERMISSIONS.sms, ...PAGE_PERMISSIONS.returnVisits]);
  // spot-check.read would be canRead too, so it is asked on its own.
  const { allowedActions: spotChecks } = useRBAC(PAGE_PERMISSIONS.spotChecks);
  // complaint.register → canRegister.
  const { allowedActions: register } = useRBAC(PAGE_PERMISSIONS.register);
  const canSms = Boolean(allowedActions.canRead);
  const canVisits = Boolean(allowedActions.canPhoneVisit);
  const canSpotChecks = Boolean(spotChecks.canRead);
  const canRegister = Boolean(register.canRegister);
  const { allowedActions: complaints } = useRBAC(PAGE_PERMISSIONS.myWork);
  const canMyWork = Boolean(complaints.canRead);
  if (!canMyWork && !canSms && !canVisits && !canSpotChecks && !canRegister) return null;
  return (
    <Box paddingBottom={4}>
      <Flex gap={2}>
        {canMyWork && (
          <Button startIcon={<Bell />} onClick={() => navigate('my-work')} data-testid="minyi-link-my-work">
            {formatMessage({ id: getTranslation('home.myWork'), defaultMessage: 'My work' })}
          </Button>
        )}
        {canRegister && (
          <Button variant="secondary" startIcon={<Pencil />} onClick={() => navigate('register')} data-testid="minyi-link-register">
            {formatMessage({ id: getTranslation('register.link'), defaultMessage: 'Register a demand' })}
          </Button>
        )}
        {canSms && (
          <Button variant="secondary" startIcon={<Message />} onClick={() => navigate('sms')} data-testid="minyi-link-sms">
            {formatMessage({ id: getTranslation('home.sms'), defaultMessage: 'SMS outbox' })}
          </Button>
        )}
        {canVisits && (
          <Button variant="secondary" startIcon={<Phone />} onClick={() => navigate('return-visits')} data-testid="minyi-link-visits">
            {formatMessage({ id: getTranslation('home.visits'), defaultMessage: 'Phone return visits' })}
          </Button>
        )}
        {canSpotChecks && (
          <Button variant="secondary" startIcon={<ListSearch />} onClick={() => navigate('spot-checks')} data-testid="minyi-link-spot-checks">
            {formatMessage({ id: getTranslation('home.spotChecks'), defaultMessage: 'Spot checks' })}
          </Button>
        )}
      </Flex>
    </Box>
  );
};
