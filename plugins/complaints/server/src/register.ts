import type { Core } from '@strapi/strapi';
import { createComplaintGuard } from './document-middlewares/complaint-guard';
import { createLedgerRecordsGuard } from './document-middlewares/ledger-records-guard';
import { isForbiddenPermission } from './permissions/forbidden';
import { uploadCleanup } from './middlewares/upload-cleanup';
import { createReadScope } from './document-middlewares/read-scope';
import { createRoleProjection } from './middlewares/role-projection';
import { createCmStatusField } from './middlewares/cm-status-field';
import { MIGRATIONS } from './database/migrations';
import { siteRoutes } from './routes/content-api';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // The plugin's own tables and storage settings (database/migrations), before the schema sync.
  for (const migration of MIGRATIONS) strapi.db.migrations.providers.internal.register(migration);

  // First layer of the integrity guard (Document Service).
  strapi.documents.use(createComplaintGuard(strapi) as any);
  strapi.documents.use(createLedgerRecordsGuard() as any);
  strapi.documents.use(createReadScope(strapi) as any);

  // What a role sees of a complaint, on every admin response (domain/complaint-projection.ts).
  strapi.server.use(createRoleProjection(strapi));
  // A Minyi type's own `status` field on the Content Manager's answers (middlewares/cm-status-field.ts).
  strapi.server.use(createCmStatusField(strapi));

  // Registered before the app's middlewares (so around strapi::body): no uploaded ledger is
  // left on disk by a refused request.
  strapi.server.use(uploadCleanup);

  // The public page at `/`, `/submit`, `/track` (and its files): on the root router now, so they
  // answer before strapi::public's redirect of `/` to the admin, registered at bootstrap.
  strapi.server.routes(siteRoutes(strapi as any) as any);

  // Super Admin gets every permission on each boot; drop the ones the ledger forbids.
  (strapi.service('admin::role') as any).hooks.willResetSuperAdminPermissions.register((permissions: Array<{ action: string; subject?: string | null }>) =>
    permissions.filter((p) => !isForbiddenPermission(p))
  );
};

export default register;
