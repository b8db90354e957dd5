import exportController from './export';
import imports from './imports';
import info from './info';
import ledger from './ledger';
import publicRoutes from './public';
import rates from './rates';
import spotChecks from './spot-checks';
import statistics from './statistics';
import warnings from './warnings';
import workflow from './workflow';

export default {
  export: exportController,
  imports,
  info,
  ledger,
  public: publicRoutes,
  rates,
  spotChecks,
  statistics,
  warnings,
  workflow,
};
