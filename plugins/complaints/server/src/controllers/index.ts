import info from './info';
import ledger from './ledger';

export default {
  info,
  ledger,
};
