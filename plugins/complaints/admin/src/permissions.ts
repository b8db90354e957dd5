/**
 * The RBAC actions each admin page needs, as the server's routes check them
 * (server/src/permissions/actions.ts). The menu link shows for a user who may open either page.
 */
export const PAGE_PERMISSIONS = {
  home: [{ action: 'plugin::complaints.complaint.read', subject: null }],
  import: [{ action: 'plugin::complaints.ledger.import', subject: null }],
  dashboard: [{ action: 'plugin::complaints.complaint.read', subject: null }],
};

export const MENU_PERMISSIONS = [...PAGE_PERMISSIONS.home, ...PAGE_PERMISSIONS.import];
