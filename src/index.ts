import type { Core } from '@strapi/strapi';
import { checkDatabase } from './database-check';

/**
 * Citizens have no accounts (they track a demand by number and phone tail), so the
 * users-permissions registration route stays closed, whatever the settings page last saved.
 * Here rather than in the plugin: users-permissions writes its default settings in its own
 * bootstrap, which must have run.
 */
const closePublicRegistration = async (strapi: Core.Strapi) => {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
  const advanced = (await store.get({})) as Record<string, unknown> | null;
  if (advanced && advanced.allow_register !== false) await store.set({ value: { ...advanced, allow_register: false } });
};

export default {
  /**
   * Fails fast with one clear line when the database cannot be reached, instead of a stack
   * trace from deep inside the driver.
   */
  async register({ strapi }: { strapi: Core.Strapi }) {
    const problem = await checkDatabase(strapi.config.get('database.connection') as any);
    if (problem) {
      // eslint-disable-next-line no-console
      console.error(`\nMinyi cannot start: ${problem}\n`);
      process.exit(1);
    }
  },

  /**
   * Roles are created here, not in the plugin's bootstrap: plugin bootstraps run before the
   * admin's, and the admin creates Super Admin only when no role exists yet.
   */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    const complaints = strapi.plugin('complaints');
    if (!complaints) {
      throw new Error('The complaints plugin is not loaded: run `npm run build:plugin` (plugins/complaints/dist is missing).');
    }
    const roles = await complaints.service('roles').setup();
    await closePublicRegistration(strapi);
    const demo = strapi.config.get('plugin::complaints.demo') as { enabled: boolean };
    if (process.env.NODE_ENV === 'development' && demo?.enabled) {
      await complaints.service('demo').seedIfEmpty(roles);
    }
  },
};
