import imports from './imports';
import info from './info';
import ledger from './ledger';
import warnings from './warnings';
import workflow from './workflow';

export default {
  imports,
  info,
  ledger,
  warnings,
  workflow,
};
