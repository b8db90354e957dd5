import integrityErrors from './integrity-errors';
import privateFiles from './private-files';

export default {
  'integrity-errors': integrityErrors,
  'private-files': privateFiles,
};
