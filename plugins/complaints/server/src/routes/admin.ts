/** Admin routes, mounted under /complaints. Every route requires an authenticated admin. */
import { ACTION } from '../permissions/actions';

const auth = (...actions: string[]) => ({
  policies: ['admin::isAuthenticatedAdmin', ...(actions.length ? [{ name: 'admin::hasPermissions', config: { actions } }] : [])],
});

export default {
  type: 'admin' as const,
  routes: [
    { method: 'GET', path: '/info', handler: 'info.index', config: auth() },

    // Workflow (the controller checks the permission of the requested action)
    { method: 'GET', path: '/complaints/:documentId/workflow', handler: 'workflow.view', config: auth(ACTION.read) },
    { method: 'POST', path: '/complaints/:documentId/transitions', handler: 'workflow.transition', config: auth() },
    { method: 'POST', path: '/transitions', handler: 'workflow.batch', config: auth() },
    { method: 'POST', path: '/complaints/:documentId/evidence', handler: 'workflow.addEvidence', config: auth(ACTION.evidence) },
    { method: 'GET', path: '/evidence-files/:id', handler: 'workflow.evidenceFile', config: auth(ACTION.read) },
    { method: 'GET', path: '/options', handler: 'workflow.options', config: auth(ACTION.read) },
    { method: 'GET', path: '/problem-groups', handler: 'workflow.listGroups', config: auth(ACTION.read) },
    { method: 'POST', path: '/problem-groups', handler: 'workflow.createGroup', config: auth(ACTION.groups) },
    { method: 'POST', path: '/problem-groups/:documentId/members', handler: 'workflow.addGroupMembers', config: auth(ACTION.groups) },
    { method: 'POST', path: '/problem-groups/:documentId/evidence', handler: 'workflow.addGroupEvidence', config: auth(ACTION.evidence) },

    // Deadlines and warnings
    { method: 'GET', path: '/warnings/overview', handler: 'warnings.overview', config: auth(ACTION.read) },
    { method: 'GET', path: '/jobs/runs', handler: 'warnings.runs', config: auth(ACTION.read) },

    // Ledger integrity
    { method: 'GET', path: '/complaints/:documentId/history', handler: 'ledger.history', config: auth(ACTION.history) },
    { method: 'POST', path: '/complaints/:documentId/corrections', handler: 'ledger.addCorrection', config: auth(ACTION.correct) },
    { method: 'GET', path: '/ledger/verify', handler: 'ledger.verify', config: auth(ACTION.verify) },
    { method: 'GET', path: '/ledger/digests', handler: 'ledger.digests', config: auth(ACTION.verify) },
    { method: 'POST', path: '/ledger/digests', handler: 'ledger.recordDigest', config: auth(ACTION.verify) },
    { method: 'GET', path: '/ledger/digests/:day/check', handler: 'ledger.checkDigest', config: auth(ACTION.verify) },
    { method: 'GET', path: '/ledger/export', handler: 'ledger.exportEvents', config: auth(ACTION.verify) },
    { method: 'POST', path: '/imports', handler: 'imports.upload', config: auth(ACTION.import) },
    { method: 'GET', path: '/imports', handler: 'imports.list', config: auth(ACTION.import) },
    { method: 'GET', path: '/imports/:id', handler: 'imports.status', config: auth(ACTION.import) },
    { method: 'GET', path: '/imports/:id/report', handler: 'imports.report', config: auth(ACTION.import) },
    { method: 'GET', path: '/import-template', handler: 'imports.template', config: auth(ACTION.import) },
  ],
};
