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
        // The Content Manager's own zh-Hans strings that Strapi 5.54 leaves in English on these
        // screens (its zh-Hans file carries them under a doubled prefix, so they never match).
        'global.search': '搜索',
        'content-manager.header.name': '内容管理',
        'global.plugins.content-manager': '内容管理',
        'content-manager.plugin.name': '内容管理',
        'content-manager.containers.Home.pluginHeaderTitle': '内容管理',
        'content-manager.HeaderLayout.button.label-add-entry': '创建新条目',
        'content-manager.pages.ListView.header-subtitle': '找到 {number} 条',
        'content-manager.components.TableDelete.label': '已选择 {number} 条',
        'content-manager.containers.edit.panels.default.title': '条目',
        'content-manager.preview.panel.title': '预览',
        'content-manager.preview.panel.button-configuration': '设置预览',
        'content-manager.relation.add': '添加或创建关联',
        'content-manager.form.Input.hint.text': '{min, select, undefined {} other {最少 {min}}}{divider}{max, select, undefined {} other {最多 {max}}}{unit}{br}{description}',
        'content-manager.form.Input.hint.character.unit': '{maxValue, plural, other { 个字符}}',
        // The Content Manager's menu search box, and the homepage (its greeting and, for Super
        // Admin, Strapi's own widgets; a Minyi role does not get those, see register below).
        'global.home': '首页',
        'global.marketplace': '插件市场',
        'search.placeholder': '搜索',
        'content-manager.components.LeftMenu.collection-types': '集合类型',
        'content-manager.components.LeftMenu.single-types': '单一类型',
        'content-manager.containers.list.table.row-actions': '行操作',
        'content-manager.containers.edit.header.more-actions': '更多操作',
        'components.ViewSettings.tooltip': '视图设置',
        'clearLabel': '清除',
        'app.component.search.label': '搜索{target}',
        'HomePage.header.title': '您好，{name}',
        'HomePage.header.subtitle': '欢迎使用民意服务站',
        'HomePage.addWidget.button': '添加组件',
        'widget.profile.title': '个人资料',
        'global.profile.settings': '个人设置',
        'widget.key-statistics.title': '项目统计',
        'widget.key-statistics.list.entries': '条目',
        'widget.key-statistics.list.assets': '文件',
        'widget.key-statistics.list.contentTypes': '内容类型',
        'widget.key-statistics.list.components': '组件',
        'widget.key-statistics.list.locales': '语言',
        'widget.key-statistics.list.admins': '管理员',
        'widget.key-statistics.list.webhooks': 'Webhook',
        'widget.key-statistics.list.apiTokens': 'API 令牌',
        'content-manager.widget.last-edited.title': '最近编辑的条目',
        'content-manager.widget.last-published.title': '最近发布的条目',
        'content-manager.widget.chart-entries.title': '条目',
        'content-manager.widget.last-edited.no-data': '没有编辑过的条目',
        'content-manager.widget.last-published.no-data': '没有发布的条目',
        'content-manager.widget.chart-entries.count.label': '{count, plural, other {条}}',
        'content-manager.widget.chart-entries.tooltip': '{count} 条',
        'content-manager.actions.edit.label': '编辑',
        'content-manager.containers.List.draft': '草稿',
        'content-manager.containers.List.modified': '已修改',
        'content-manager.containers.List.published': '已发布',
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
  register(app: StrapiApp) {
    // Strapi's own homepage widgets (profile, project statistics, last edited and last published
    // entries…) are for the Strapi administrator: each asks for a permission no Minyi role holds
    // instead of its own, so a county user's homepage holds Minyi's widgets only. (Adding it to
    // their own would not do: the homepage counts the user's matching permissions, and a Minyi
    // role matches the Content Manager's read once per type.) Runs after every plugin registered.
    app.widgets.register((widgets) =>
      widgets.map((w) => (w.pluginId === 'complaints' ? w : { ...w, permissions: [{ action: 'admin::roles.read' }] }))
    );
  },
  bootstrap(app: StrapiApp) {
    void app;
  },
};
