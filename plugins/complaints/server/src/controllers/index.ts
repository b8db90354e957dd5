import info from './info';
import ledger from './ledger';
import workflow from './workflow';

export default {
  info,
  ledger,
  workflow,
};
