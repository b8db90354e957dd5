import integrityErrors from './integrity-errors';

export default {
  'integrity-errors': integrityErrors,
};
