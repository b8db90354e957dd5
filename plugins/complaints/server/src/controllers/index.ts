import imports from './imports';
import info from './info';
import ledger from './ledger';

export default {
  imports,
  info,
  ledger,
};
