import { Page } from "@strapi/strapi/admin";
import { Routes, Route } from "react-router-dom";

import { HomePage } from "./HomePage";
import { ImportPage } from "./ImportPage";

const App = () => {
  return (
    <Routes>
      <Route index element={<HomePage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  );
};

export default App;
