import { badInput, badInputBody } from './bad-input';
import contentManagerFaults from './content-manager-faults';
import integrityErrors from './integrity-errors';

export default {
  'bad-input': badInput,
  'bad-input-body': badInputBody,
  'content-manager-faults': contentManagerFaults,
  'integrity-errors': integrityErrors,
};
