/**
 * The statistics dashboard's route (its own menu link, admin/src/index.ts). The page itself, with
 * recharts, is a separate chunk loaded only once the permission check has passed, so the rest of
 * the admin never downloads the charts.
 */
import { lazy, Suspense } from 'react';
import { Page } from '@strapi/strapi/admin';

import { PAGE_PERMISSIONS } from '../../permissions';

const DashboardPage = lazy(() => import('./DashboardPage'));

const DashboardApp = () => (
  <Page.Protect permissions={PAGE_PERMISSIONS.dashboard}>
    <Suspense fallback={<Page.Loading />}>
      <DashboardPage />
    </Suspense>
  </Page.Protect>
);

export default DashboardApp;
