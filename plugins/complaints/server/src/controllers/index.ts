import exportController from './export';
import imports from './imports';
import info from './info';
import ledger from './ledger';
import monthCloses from './month-closes';
import publicApi from './public-api';
import publicPage from './public-page';
import publicRoutes from './public';
import queues from './queues';
import rates from './rates';
import settings from './settings';
import registrations from './registrations';
import smsAdmin from './sms-admin';
import spotChecks from './spot-checks';
import statistics from './statistics';
import warnings from './warnings';
import workflow from './workflow';

export default {
  export: exportController,
  imports,
  info,
  ledger,
  monthCloses,
  public: publicRoutes,
  publicApi,
  publicPage,
  queues,
  rates,
  settings,
  registrations,
  smsAdmin,
  spotChecks,
  statistics,
  warnings,
  workflow,
};
