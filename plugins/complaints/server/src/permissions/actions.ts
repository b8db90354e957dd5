/**
 * The plugin's RBAC actions, as data (registered in bootstrap). Action ids become
 * `plugin::complaints.<uid>`.
 */
import { ACTIONS as TRANSITIONS, TRANSITIONS as RULES } from '../domain/complaint-state';

const plugin = (uid: string, displayName: string, subCategory: string) => ({
  section: 'plugins' as const,
  pluginName: 'complaints',
  uid,
  displayName,
  subCategory,
});

export const ACTIONS = [
  plugin('complaint.read', 'Read complaints in the workflow panel 查看诉求', 'complaints'),
  ...TRANSITIONS.map((a) => {
    const rule = RULES.find((r) => r.action === a)!;
    return plugin(`complaint.transition.${a.replace(/_/g, '-')}`, `${rule.label.en} ${rule.label.zh}`, 'transitions');
  }),
  plugin('evidence.upload', 'Upload evidence 上传成效佐证', 'complaints'),
  plugin('problem-group.manage', 'Manage problem groups 管理共性问题小类', 'complaints'),
  plugin('complaint.history', 'Read history and corrections 查看履历与更正', 'ledger'),
  plugin('complaint.correct', 'Correct an original field 更正原始字段', 'ledger'),
  plugin('ledger.verify', 'Verify the ledger and export digests 校验台账与导出摘要', 'ledger'),
  plugin('ledger.import', 'Import ledger files 导入台账', 'ledger'),
  plugin('complaint.register', 'Register a demand received by visit, phone or letter 登记诉求', 'ledger'),
  plugin('sms.read', 'Read the SMS outbox and the opt-out list 查看短信发件箱与退订名单', 'sms'),
  plugin('sms.manage', 'Decide on failed and uncertain SMS, keep the opt-out list 处理短信与维护退订名单', 'sms'),
  plugin('survey.phone-visit', 'Record phone return visits 登记电话回访', 'sms'),
  plugin('spot-check.manage', 'Draw spot checks and record results 抽取抽查样本并记录结果', 'ledger'),
  plugin('spot-check.read', 'Read spot checks and their report 查看抽查与抽查报告', 'ledger'),
  plugin('month-close.manage', 'Close a month and record corrections 月度封账与更正', 'ledger'),
  plugin('month-close.read', 'Read closed months, frozen against live 查看封账快照与现值对比', 'ledger'),
  plugin('settings.read', "Read Minyi's settings and the routing check 查看系统设置与交办规则检查", 'settings'),
  plugin('settings.manage', 'Change the warning thresholds and the ranking at run time 修改预警阈值与排名设置', 'settings'),
];

export const actionId = (uid: string): string => `plugin::complaints.${uid}`;

/** RBAC action uids allow only lowercase letters, dots and hyphens: screen_invalid → screen-invalid. */
export const transitionActionId = (action: string): string => actionId(`complaint.transition.${action.replace(/_/g, '-')}`);

export const ACTION = {
  read: actionId('complaint.read'),
  history: actionId('complaint.history'),
  correct: actionId('complaint.correct'),
  verify: actionId('ledger.verify'),
  evidence: actionId('evidence.upload'),
  groups: actionId('problem-group.manage'),
  import: actionId('ledger.import'),
  register: actionId('complaint.register'),
  smsRead: actionId('sms.read'),
  smsManage: actionId('sms.manage'),
  returnVisit: actionId('survey.phone-visit'),
  spotCheck: actionId('spot-check.manage'),
  spotCheckRead: actionId('spot-check.read'),
  monthClose: actionId('month-close.manage'),
  monthCloseRead: actionId('month-close.read'),
  settingsRead: actionId('settings.read'),
  settingsManage: actionId('settings.manage'),
} as const;
