import { badInput, badInputBody } from './bad-input';
import integrityErrors from './integrity-errors';

export default {
  'bad-input': badInput,
  'bad-input-body': badInputBody,
  'integrity-errors': integrityErrors,
};
