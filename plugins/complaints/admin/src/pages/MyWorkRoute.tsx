import { Page } from '@strapi/strapi/admin';

import { PAGE_PERMISSIONS } from '../permissions';
import { MyWorkPage } from './MyWorkPage';

/** My work's own menu link and route (plugins/complaints/my-work), checked like every page. */
const MyWorkRoute = () => (
  <Page.Protect permissions={PAGE_PERMISSIONS.myWork}>
    <MyWorkPage />
  </Page.Protect>
);

export default MyWorkRoute;
