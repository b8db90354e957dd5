/** Admin routes, mounted under /complaints. Every route requires an authenticated admin. */
import { ACTION } from '../permissions/actions';

const auth = (...actions: string[]) => ({
  policies: ['admin::isAuthenticatedAdmin', ...(actions.length ? [{ name: 'admin::hasPermissions', config: { actions } }] : [])],
});

export default {
  type: 'admin' as const,
  routes: [
    { method: 'GET', path: '/info', handler: 'info.index', config: auth() },
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
