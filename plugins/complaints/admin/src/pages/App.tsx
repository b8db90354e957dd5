import { Page } from "@strapi/strapi/admin";
import { Routes, Route } from "react-router-dom";

import { PAGE_PERMISSIONS } from "../permissions";
import { ComplaintPage } from "./ComplaintPage";
import { HomePage } from "./HomePage";
import { ImportPage } from "./ImportPage";
import { MonthClosePage } from "./MonthClosePage";
import { RegisterPage } from "./RegisterPage";
import { ReturnVisitsPage } from "./ReturnVisitsPage";
import { SmsPage } from "./SmsPage";
import { SpotChecksPage } from "./SpotChecksPage";

/** The plugin's pages: each checks its own permission (the menu link is shown for either, and a URL can be typed). */
const PAGES: Array<{ path: string | null; permissions: keyof typeof PAGE_PERMISSIONS; Component: () => JSX.Element | null }> = [
  { path: null, permissions: 'home', Component: HomePage },
  { path: 'import', permissions: 'import', Component: ImportPage },
  { path: 'sms', permissions: 'sms', Component: SmsPage },
  { path: 'return-visits', permissions: 'returnVisits', Component: ReturnVisitsPage },
  { path: 'month-close', permissions: 'monthClose', Component: MonthClosePage },
  { path: 'spot-checks', permissions: 'spotChecks', Component: SpotChecksPage },
  { path: 'register', permissions: 'register', Component: RegisterPage },
  { path: 'complaints/:documentId', permissions: 'home', Component: ComplaintPage },
];

const App = () => (
  <Routes>
    {PAGES.map(({ path, permissions, Component }) => {
      const element = (
        <Page.Protect permissions={PAGE_PERMISSIONS[permissions]}>
          <Component />
        </Page.Protect>
      );
      return path === null ? <Route key="index" index element={element} /> : <Route key={path} path={path} element={element} />;
    })}
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
