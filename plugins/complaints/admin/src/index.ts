import { getTranslation } from './utils/getTranslation';
import { PLUGIN_ID } from './pluginId';
import { MENU_PERMISSIONS, PAGE_PERMISSIONS } from './permissions';
import { Initializer } from './components/Initializer';
import { PluginIcon } from './components/PluginIcon';
import { LedgerPanel } from './components/LedgerPanel';
import { WorkflowPanel } from './components/WorkflowPanel';
import { AssignBulkAction } from './components/AssignBulkAction';
import { minyiColumns, minyiFilters } from './cm/minyi-lists';
import { contentManagerMessages, fieldsFromMessages } from './cm/labels';
import { CountyDateTimeInput } from './cm/CountyDateTimeInput';
import { EnumerationInput } from './cm/EnumerationInput';
import { CodedStringInput } from './cm/CodedStringInput';
import { Bell, ChartPie, WarningCircle } from '@strapi/icons';

import type { ComponentType } from 'react';
import type { StrapiApp, WidgetArgs } from '@strapi/strapi/admin';

const plugin: StrapiApp['appPlugins'][string] = {
  register(app) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: {
        id: `${PLUGIN_ID}.plugin.name`,
        defaultMessage: 'Minyi',
      },
      Component: () => import('./pages/App'),
      permissions: MENU_PERMISSIONS,
    });

    // My work (我的待办): the user's queues, first in the menu.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/my-work`,
      icon: Bell,
      intlLabel: { id: getTranslation('mywork.menu'), defaultMessage: 'My work' },
      Component: () => import('./pages/MyWorkRoute'),
      permissions: PAGE_PERMISSIONS.myWork,
      position: 1,
    });

    // The statistics dashboard: its own menu link and route; the page (and recharts) load on demand.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/dashboard`,
      icon: ChartPie,
      intlLabel: { id: getTranslation('dashboard.menu'), defaultMessage: 'Statistics dashboard' },
      Component: () => import('./pages/Dashboard'),
      permissions: PAGE_PERMISSIONS.dashboard,
    });

    // Settings → Minyi: the configuration (read-only) and the routing table's check.
    app.addSettingsLink(
      { id: PLUGIN_ID, intlLabel: { id: getTranslation('settings.section'), defaultMessage: 'Minyi' } },
      {
        id: `${PLUGIN_ID}-settings`,
        to: PLUGIN_ID,
        intlLabel: { id: getTranslation('settings.link'), defaultMessage: 'Configuration' },
        Component: () => import('./pages/SettingsPage'),
        permissions: PAGE_PERMISSIONS.settings,
      }
    );

    // Homepage widget: deadline warnings per unit, own unit first (GET /complaints/warnings/overview).
    // Put first on the homepage (the reducer form of register): it is what a county user opens the admin for.
    const warningsWidget: WidgetArgs = {
      icon: WarningCircle,
      title: { id: getTranslation('widget.warnings.title'), defaultMessage: 'Deadline warnings' },
      component: async () => (await import('./components/WarningsWidget')).WarningsWidget,
      pluginId: PLUGIN_ID,
      id: 'warnings',
      permissions: [{ action: 'plugin::complaints.complaint.read' }],
      link: { label: { id: getTranslation('widget.warnings.link'), defaultMessage: 'See all' }, href: `/plugins/${PLUGIN_ID}` },
    };
    // The user's queues with their counts, each opening its queue.
    const myWorkWidget: WidgetArgs = {
      icon: Bell,
      title: { id: getTranslation('mywork.widget.title'), defaultMessage: 'My work' },
      component: async () => (await import('./components/MyWorkWidget')).MyWorkWidget,
      pluginId: PLUGIN_ID,
      id: 'my-work',
      permissions: [{ action: 'plugin::complaints.complaint.read' }],
      link: { label: { id: getTranslation('mywork.widget.link'), defaultMessage: 'Open my work' }, href: `/plugins/${PLUGIN_ID}/my-work` },
    };
    app.widgets.register((widgets) => [myWorkWidget, warningsWidget, ...widgets]);

    // An enumeration in the edit form shows its values' labels (cm/EnumerationInput.tsx); so does
    // a string field that holds a code (cm/CodedStringInput.tsx). A date-time reads in the
    // county's zone (cm/CountyDateTimeInput.tsx).
    app.addFields([
      { type: 'enumeration', Component: EnumerationInput as ComponentType },
      { type: 'string', Component: CodedStringInput as ComponentType },
      { type: 'datetime', Component: CountyDateTimeInput as ComponentType },
    ]);

    app.registerPlugin({
      id: PLUGIN_ID,
      initializer: Initializer,
      isReady: false,
      name: PLUGIN_ID,
    });
  },

  bootstrap(app) {
    const cm = app.getPlugin('content-manager') as unknown as {
      apis: { addEditViewSidePanel: (panels: unknown[]) => void; addBulkAction: (actions: unknown[]) => void };
    };
    cm.apis.addEditViewSidePanel([WorkflowPanel, LedgerPanel]);
    cm.apis.addBulkAction([AssignBulkAction]);
    // The Minyi lists in the county's words (cm/minyi-lists.tsx).
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', minyiColumns);
    app.registerHook('Admin/CM/pages/ListView/inject-in-filters', minyiFilters);
  },

  registerTrads({ locales }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as {
            default: Record<string, string>;
          };
          const newData: Record<string, string> = {};
          for (const key of Object.keys(data)) newData[getTranslation(key)] = data[key];
          // The Content Manager's own keys for the Minyi types' names and field labels (cm/labels.ts).
          Object.assign(newData, contentManagerMessages(data, fieldsFromMessages(data)));
          return { data: newData, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};

export default plugin;
