/**
 * One rule for a new complaint's original fields, whatever creates it (the import, the Content
 * Manager, the Document Service, a later citizen intake): the import's row rules
 * (import-row.ts validateRow): required ledger number, date and content; dates from 1990 up to
 * today; column lengths.
 */
import { DomainError } from './errors';
import { IMPORT_FIELDS } from './ledger-template';
import { rowErrorMessage, validateRow, type RowOptions } from './import-row';

export const complaintRowErrors = (data: Record<string, unknown>, opts: RowOptions): DomainError | null => {
  const cells: Record<string, unknown> = {};
  for (const f of IMPORT_FIELDS) cells[f] = data[f];
  const result = validateRow(cells, opts);
  if (result.ok) return null;
  const messages = result.errors.map((e) => rowErrorMessage(e));
  return new DomainError(
    'validation',
    'invalid_complaint',
    `诉求无法登记：${messages.map((m) => m.zh).join('；')}`,
    `The complaint cannot be recorded: ${messages.map((m) => m.en).join('; ')}`,
    { fields: [...new Set(result.errors.map((e) => e.field))], errors: result.errors }
  );
};
