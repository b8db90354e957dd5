import type { Core } from '@strapi/strapi';

const allowedMediaTypes = [
  'image/*',
  'video/*',
  'audio/*',
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.*',
  'text/plain',
  'text/csv',
];

const deniedTypes = [
  'image/svg+xml',
  'application/vnd.microsoft.portable-executable',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-executable',
  'application/x-dosexec',
  'application/x-sh',
  'text/x-shellscript',
  'application/x-mach-binary',
];

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  complaints: {
    enabled: true,
    resolve: './plugins/complaints',
    // Every key has a default in plugins/complaints/server/src/config; these are the ones
    // a county usually sets through the environment.
    config: {
      timeZone: env('MINYI_TIME_ZONE', 'Asia/Shanghai'),
      jobs: {
        enabled: env.bool('MINYI_JOBS_ENABLED', true),
        warningRule: env('MINYI_WARNING_RULE', '*/10 * * * *'),
        runOnBoot: env.bool('MINYI_JOBS_RUN_ON_BOOT', true),
      },
      demo: {
        enabled: env.bool('MINYI_DEMO', true),
        complaints: env.int('MINYI_DEMO_COMPLAINTS', 3000),
      },
      import: {
        maxFileBytes: env.int('MINYI_IMPORT_MAX_MB', 50) * 1024 * 1024,
      },
      publicPage: {
        countyName: env('MINYI_COUNTY_NAME', '民意服务站'),
        countyNameEn: env('MINYI_COUNTY_NAME_EN', 'Minyi'),
      },
    },
  },
  'users-permissions': {
    config: {
      jwtManagement: 'refresh',
      sessions: {
        httpOnly: true,
      },
    },
  },
  upload: {
    config: {
      security: {
        allowedTypes: allowedMediaTypes,
        deniedTypes,
      },
    },
  },
});

export default config;
