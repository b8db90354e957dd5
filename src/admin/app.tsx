import type { StrapiApp } from '@strapi/strapi/admin';

// The county office and the units work in Chinese: a first visit opens in 简体中文. A user's
// own choice (Profile → Interface language) is stored and wins afterwards.
if (typeof window !== 'undefined' && window.localStorage && !window.localStorage.getItem('strapi-admin-language')) {
  window.localStorage.setItem('strapi-admin-language', 'zh-Hans');
}

// Strapi's "Introducing the new Media Library" banner is news for Strapi developers, not for a
// county office: it is marked as already dismissed (Strapi keeps that per instance, under the
// instance's uuid from /admin/init, for either state of its media-library flag).
if (typeof window !== 'undefined' && window.localStorage && typeof fetch === 'function') {
  fetch('/admin/init')
    .then((res) => res.json())
    .then((body: { data?: { uuid?: string | false } }) => {
      const uuid = body?.data?.uuid;
      for (const legacy of ['false', 'true']) window.localStorage.setItem(`STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${legacy}:${uuid}`, 'true');
    })
    .catch(() => undefined);
}

export default {
  config: {
    // The county office and the units work in Chinese; English stays available.
    locales: ['zh-Hans'],
    translations: {
      'zh-Hans': {
        'app.components.LeftMenu.navbrand.title': '民意服务站',
        'app.components.LeftMenu.navbrand.workplace': 'Minyi 管理后台',
        'Auth.form.welcome.title': '欢迎使用民意服务站',
        'Auth.form.welcome.subtitle': '登录管理后台',
      },
      en: {
        'app.components.LeftMenu.navbrand.title': 'Minyi',
        'app.components.LeftMenu.navbrand.workplace': 'Citizen-demand ledger',
        'Auth.form.welcome.title': 'Welcome to Minyi',
        'Auth.form.welcome.subtitle': 'Log in to the admin panel',
      },
    },
    tutorials: false,
    notifications: { releases: false },
  },
  bootstrap(app: StrapiApp) {
    void app;
  },
};
