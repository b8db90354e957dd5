import adminConfig from './admin-config';
import actors from './actors';
import bulk from './bulk';
import contacts from './contacts';
import corrections from './corrections';
import demo from './demo';
import history from './history';
import importStore from './import-store';
import importer from './importer';
import jobs from './jobs';
import ledger from './ledger';
import roles from './roles';
import triggers from './triggers';

export default {
  'admin-config': adminConfig,
  actors,
  bulk,
  contacts,
  corrections,
  demo,
  history,
  'import-store': importStore,
  importer,
  jobs,
  ledger,
  roles,
  triggers,
};
