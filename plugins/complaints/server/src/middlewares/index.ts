import { badInput, badInputBody } from './bad-input';
import integrityErrors from './integrity-errors';
import privateFiles from './private-files';

export default {
  'bad-input': badInput,
  'bad-input-body': badInputBody,
  'integrity-errors': integrityErrors,
  'private-files': privateFiles,
};
