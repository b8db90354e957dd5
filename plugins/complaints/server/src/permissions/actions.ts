/**
 * The plugin's RBAC actions, as data (registered in bootstrap). Action ids become
 * `plugin::complaints.<uid>`.
 */
const plugin = (uid: string, displayName: string, subCategory: string) => ({
  section: 'plugins' as const,
  pluginName: 'complaints',
  uid,
  displayName,
  subCategory,
});

export const ACTIONS = [
  plugin('complaint.history', 'Read history and corrections 查看履历与更正', 'ledger'),
  plugin('complaint.correct', 'Correct an original field 更正原始字段', 'ledger'),
  plugin('ledger.verify', 'Verify the ledger and export digests 校验台账与导出摘要', 'ledger'),
  plugin('ledger.import', 'Import ledger files 导入台账', 'ledger'),
];

export const actionId = (uid: string): string => `plugin::complaints.${uid}`;

export const ACTION = {
  history: actionId('complaint.history'),
  correct: actionId('complaint.correct'),
  verify: actionId('ledger.verify'),
  import: actionId('ledger.import'),
} as const;
