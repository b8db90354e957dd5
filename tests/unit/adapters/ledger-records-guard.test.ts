/**
 * The ledger-records guard (Document Service middleware): every write on a ledger record type
 * from outside Minyi's own services is a 403 naming the action; the same write made inside a
 * Minyi service (asLedgerWriter) passes and returns what `next` did.
 */
import { errors } from '@strapi/utils';
import { createLedgerRecordsGuard } from '../../../plugins/complaints/server/src/document-middlewares/ledger-records-guard';
import { asLedgerWriter } from '../../../plugins/complaints/server/src/utils/ledger-writer';
import { refusal } from './fake-strapi';

const MEASURE = 'plugin::complaints.measure';
const guard = createLedgerRecordsGuard();

const MESSAGES: Record<string, string> = {
  create:
    '台账记录（措施、佐证、验收、回访、短信、更正、导入批次、摘要、任务记录）只能由办理流程写入，不能新增或复制 / Ledger records (measures, evidence, sign-offs, surveys, SMS, corrections, import batches, digests, job runs) are written only by the workflow; they cannot be created or cloned here',
  update:
    '台账记录（措施、佐证、验收、回访、短信、更正、导入批次、摘要、任务记录）只能由办理流程写入，不能修改 / Ledger records (measures, evidence, sign-offs, surveys, SMS, corrections, import batches, digests, job runs) are written only by the workflow; they cannot be changed here',
  delete:
    '台账记录（措施、佐证、验收、回访、短信、更正、导入批次、摘要、任务记录）只能由办理流程写入，不能删除 / Ledger records (measures, evidence, sign-offs, surveys, SMS, corrections, import batches, digests, job runs) are written only by the workflow; they cannot be deleted here',
};
MESSAGES.clone = MESSAGES.create;
MESSAGES.publish = MESSAGES.update;

describe('ledger records through the Document Service', () => {
  it.each(['create', 'update', 'delete', 'clone', 'publish'])('refuses %s from outside Minyi (403, zh / en)', async (action) => {
    const next = jest.fn(async () => ({ id: 1 }));
    const e = await refusal(() => guard({ uid: MEASURE, action, params: {} }, next));
    expect(e).toBeInstanceOf(errors.ForbiddenError);
    expect(e.details).toEqual({ code: 'ledger_record_read_only', action, layer: 'document-middleware' });
    expect(e.message).toBe(MESSAGES[action]);
    expect(next).not.toHaveBeenCalled();
  });

  it.each(['create', 'update', 'delete'])('positive control: %s inside a Minyi service passes', async (action) => {
    const next = jest.fn(async () => ({ id: 1 }));
    await expect(asLedgerWriter(() => guard({ uid: MEASURE, action, params: {} }, next))).resolves.toEqual({ id: 1 });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('positive control: anyone reads a ledger record', async () => {
    const next = jest.fn(async () => [{ id: 1 }]);
    await expect(guard({ uid: MEASURE, action: 'findMany', params: {} }, next)).resolves.toEqual([{ id: 1 }]);
  });

  it('leaves the types that are not ledger records alone', async () => {
    const next = jest.fn(async () => ({ id: 2 }));
    await expect(guard({ uid: 'plugin::complaints.category', action: 'delete', params: {} }, next)).resolves.toEqual({ id: 2 });
  });
});
