import adminConfig from './admin-config';
import bulk from './bulk';
import demo from './demo';
import history from './history';
import roles from './roles';
import triggers from './triggers';

export default {
  'admin-config': adminConfig,
  bulk,
  demo,
  history,
  roles,
  triggers,
};
