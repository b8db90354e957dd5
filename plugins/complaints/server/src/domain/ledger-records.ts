/**
 * Ledger records (measures, evidence, sign-offs, surveys, SMS, corrections, import batches,
 * digests, job runs, problem groups, spot checks, history events) are written only by the
 * workflow, which records each one's history event. Nothing else may create, change or
 * remove one.
 */
import { DomainError } from './errors';

export const ledgerRecordWriteRefused = (action: string) =>
  new DomainError(
    'forbidden',
    'ledger_record_read_only',
    `台账记录（措施、佐证、验收、回访、短信、更正、导入批次、摘要、任务记录）只能由办理流程写入，不能${action === 'delete' ? '删除' : action === 'create' || action === 'clone' ? '新增或复制' : '修改'}`,
    `Ledger records (measures, evidence, sign-offs, surveys, SMS, corrections, import batches, digests, job runs) are written only by the workflow; they cannot be ${action === 'delete' ? 'deleted' : action === 'create' || action === 'clone' ? 'created or cloned' : 'changed'} here`,
    { action }
  );
