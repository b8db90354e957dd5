import access from './access';
import adminConfig from './admin-config';
import bulk from './bulk';
import complaintQuery from './complaint-query';
import contacts from './contacts';
import corrections from './corrections';
import demo from './demo';
import evidence from './evidence';
import exportService from './export';
import history from './history';
import importBatches from './import-batches';
import importStore from './import-store';
import importer from './importer';
import intake from './intake';
import jobs from './jobs';
import ledger from './ledger';
import monthCloses from './month-closes';
import panel from './panel';
import privateFiles from './private-files';
import publicLimits from './public-limits';
import publicResults from './public-results';
import problemGroups from './problem-groups';
import queues from './queues';
import registrations from './registrations';
import roles from './roles';
import settings from './settings';
import sms from './sms';
import smsAdmin from './sms-admin';
import spotChecks from './spot-checks';
import statistics from './statistics';
import statsColumns from './stats-columns';
import surveys from './surveys';
import triggers from './triggers';
import warnings from './warnings';
import workflow from './workflow';
import { ledgerWriterService } from '../utils/ledger-writer';

export const SERVICES = {
  access,
  'admin-config': adminConfig,
  bulk,
  'complaint-query': complaintQuery,
  contacts,
  corrections,
  demo,
  evidence,
  export: exportService,
  history,
  'import-batches': importBatches,
  'import-store': importStore,
  importer,
  intake,
  jobs,
  ledger,
  'month-closes': monthCloses,
  panel,
  'private-files': privateFiles,
  'public-limits': publicLimits,
  'public-results': publicResults,
  'problem-groups': problemGroups,
  queues,
  registrations,
  roles,
  settings,
  sms,
  'sms-admin': smsAdmin,
  'spot-checks': spotChecks,
  statistics,
  'stats-columns': statsColumns,
  surveys,
  triggers,
  warnings,
  workflow,
};

/** Every service method runs as Minyi's own code (utils/ledger-writer.ts). */
const wrapped: Record<string, unknown> = {};
for (const [name, factory] of Object.entries(SERVICES)) wrapped[name] = ledgerWriterService(factory as (...args: any[]) => any);
export default wrapped as typeof SERVICES;
