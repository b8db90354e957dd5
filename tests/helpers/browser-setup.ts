import { applyTestEnv } from './env';
import globalSetup from './global-setup';
import { chromiumPath, ensureAdminBuild } from './browser';

/** Browser project: compile the app, and build the admin bundle when needed. */
export default async function browserSetup(): Promise<void> {
  await globalSetup();
  applyTestEnv();
  if (!chromiumPath()) return; // the test file reports the skip (a failure when CI is set)
  ensureAdminBuild();
}
