import adminConfig from './admin-config';
import actors from './actors';
import bulk from './bulk';
import contacts from './contacts';
import corrections from './corrections';
import demo from './demo';
import evidence from './evidence';
import history from './history';
import importStore from './import-store';
import importer from './importer';
import jobs from './jobs';
import ledger from './ledger';
import problemGroups from './problem-groups';
import roles from './roles';
import sms from './sms';
import surveys from './surveys';
import triggers from './triggers';
import warnings from './warnings';
import workflow from './workflow';

export default {
  'admin-config': adminConfig,
  actors,
  bulk,
  contacts,
  corrections,
  demo,
  evidence,
  history,
  'import-store': importStore,
  importer,
  jobs,
  ledger,
  'problem-groups': problemGroups,
  roles,
  sms,
  surveys,
  triggers,
  warnings,
  workflow,
};
