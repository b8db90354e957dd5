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

// Each page checks its own permission: the menu link is shown for either, and a URL can be typed.
const App = () => {
  return (
    <Routes>
      <Route
        index
        element={
          <Page.Protect permissions={PAGE_PERMISSIONS.home}>
            <HomePage />
          </Page.Protect>
        }
      />
      <Route
        path="import"
        element={
          <Page.Protect permissions={PAGE_PERMISSIONS.import}>
            <ImportPage />
          </Page.Protect>
        }
      />
      <Route
        path="sms"
        element={
          <Page.Protect permissions={PAGE_PERMISSIONS.sms}>
            <SmsPage />
          </Page.Protect>
        }
      />
      <Route
        path="return-visits"
        element={
          <Page.Protect permissions={PAGE_PERMISSIONS.returnVisits}>
            <ReturnVisitsPage />
          </Page.Protect>
        }
      />
      <Route
        path="month-close"
        element={
          <Page.Protect permissions={PAGE_PERMISSIONS.monthClose}>
            <MonthClosePage />
          </Page.Protect>
        }
      />
      <Route
        path="spot-checks"
        element={
          <Page.Protect permissions={PAGE_PERMISSIONS.spotChecks}>
            <SpotChecksPage />
          </Page.Protect>
        }
      />
      <Route
        path="register"
        element={
          <Page.Protect permissions={PAGE_PERMISSIONS.register}>
            <RegisterPage />
          </Page.Protect>
        }
      />
      <Route
        path="complaints/:documentId"
        element={
          <Page.Protect permissions={PAGE_PERMISSIONS.home}>
            <ComplaintPage />
          </Page.Protect>
        }
      />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  );
};

export default App;
