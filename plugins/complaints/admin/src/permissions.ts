/**
 * The RBAC actions each admin page needs, as the server's routes check them
 * (server/src/permissions/actions.ts). The menu link shows for a user who may open either page.
 */
export const PAGE_PERMISSIONS = {
  home: [{ action: 'plugin::complaints.complaint.read', subject: null }],
  import: [{ action: 'plugin::complaints.ledger.import', subject: null }],
  sms: [{ action: 'plugin::complaints.sms.read', subject: null }],
  returnVisits: [{ action: 'plugin::complaints.survey.phone-visit', subject: null }],
  dashboard: [{ action: 'plugin::complaints.complaint.read', subject: null }],
  myWork: [{ action: 'plugin::complaints.complaint.read', subject: null }],
  settings: [{ action: 'plugin::complaints.settings.read', subject: null }],
  settingsManage: [{ action: 'plugin::complaints.settings.manage', subject: null }],
  monthClose: [{ action: 'plugin::complaints.month-close.read', subject: null }],
  spotChecks: [{ action: 'plugin::complaints.spot-check.read', subject: null }],
  register: [{ action: 'plugin::complaints.complaint.register', subject: null }],
};

export const MENU_PERMISSIONS = [...PAGE_PERMISSIONS.home, ...PAGE_PERMISSIONS.import, ...PAGE_PERMISSIONS.sms, ...PAGE_PERMISSIONS.returnVisits, ...PAGE_PERMISSIONS.monthClose, ...PAGE_PERMISSIONS.spotChecks, ...PAGE_PERMISSIONS.register];
