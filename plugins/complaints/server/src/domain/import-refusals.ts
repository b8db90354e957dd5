/**
 * Files the import refuses as a whole, before anything is imported, with a message in Chinese
 * and English that says what to do. Messages never quote the file's content.
 */
import { DomainError } from './errors';
import { FIELD_LABELS_EN, TEMPLATE_HEADERS, type ImportField } from './ledger-template';

export const REFUSAL_CODES = [
  'file_missing',
  'file_empty',
  'file_too_large',
  'file_type',
  'file_xls',
  'file_encrypted',
  'file_unreadable',
  'file_encoding',
  'no_header',
  'missing_columns',
  'no_data',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

const mb = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

export const importRefusal = (code: RefusalCode, details: { maxBytes?: number; missing?: ImportField[] } = {}): DomainError => {
  const d = { refused: true, ...details };
  switch (code) {
    case 'file_missing':
      return new DomainError('validation', code, '请选择要导入的台账文件（字段名 file）', 'Choose a ledger file to import (form field "file")', d);
    case 'file_empty':
      return new DomainError('validation', code, '文件是空的，没有可导入的内容', 'The file is empty: there is nothing to import', d);
    case 'file_too_large':
      return new DomainError(
        'validation',
        code,
        `文件超过大小上限 ${mb(details.maxBytes ?? 0)}，请拆分后分批导入`,
        `The file is larger than the limit of ${mb(details.maxBytes ?? 0)}: split it and import the parts`,
        d
      );
    case 'file_type':
      return new DomainError('validation', code, '不支持的文件类型：请上传 Excel 工作簿（.xlsx）或 CSV 文件', 'Unsupported file type: upload an Excel workbook (.xlsx) or a CSV file', d);
    case 'file_xls':
      return new DomainError(
        'validation',
        code,
        '不支持旧版 Excel 97-2003 格式（.xls）：请在 Excel 中「另存为」Excel 工作簿（.xlsx）后再导入',
        'The old Excel 97-2003 format (.xls) is not supported: save the file as an Excel workbook (.xlsx) and import that',
        d
      );
    case 'file_encrypted':
      return new DomainError(
        'validation',
        code,
        '文件已加密（设有打开密码）：请在 Excel 中取消密码后再导入',
        'The file is encrypted (it has an open password): remove the password in Excel and import it again',
        d
      );
    case 'file_unreadable':
      return new DomainError('validation', code, '文件已损坏或无法读取：请在 Excel 中打开并重新保存后再导入', 'The file is damaged or unreadable: open it in Excel, save it again and import that', d);
    case 'file_encoding':
      return new DomainError(
        'validation',
        code,
        '文件的文字编码无法识别：请在 Excel 中另存为「CSV UTF-8」或「CSV（逗号分隔）」后再导入',
        "The file's text encoding is not recognised: save it from Excel as CSV UTF-8 or CSV (comma delimited) and import that",
        d
      );
    case 'no_header':
      return new DomainError(
        'validation',
        code,
        `未找到可识别的表头：表头行应包含「${TEMPLATE_HEADERS.ledgerNo}」「${TEMPLATE_HEADERS.receivedAt}」「${TEMPLATE_HEADERS.content}」等列，可下载导入模板对照`,
        'No recognisable header row: it should name columns such as 诉求编号 (ledger no.), 反映时间 (received at) and 诉求内容 (content); download the template to compare',
        d
      );
    case 'missing_columns': {
      const missing = details.missing ?? [];
      return new DomainError(
        'validation',
        code,
        `表头缺少必需的列：${missing.map((f) => TEMPLATE_HEADERS[f]).join('、')}`,
        `The header lacks required columns: ${missing.map((f) => FIELD_LABELS_EN[f]).join(', ')}`,
        d
      );
    }
    case 'no_data':
    default:
      return new DomainError('validation', 'no_data', '表头下没有数据行，没有可导入的诉求', 'There are no data rows under the header: nothing to import', d);
  }
};
