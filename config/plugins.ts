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

type Env = Core.Config.Shared.ConfigParams['env'];

/** The Aliyun template code of each message type (template keys of domain/sms-templates.ts). */
const ALIYUN_TEMPLATE_KEYS = ['registered_notice', 'accepted_notice', 'closed_survey.link', 'closed_survey.reply', 'survey_reminder.link', 'survey_reminder.reply'];

/**
 * The SMS provider's settings, from the environment. Only the chosen provider's are passed on
 * (an unused provider's variables are ignored); with none set the provider is `console`, which
 * needs nothing. A chosen provider missing one stops the start with a line naming the variable.
 */
const smsOptions = (env: Env, provider: string): Record<string, unknown> => {
  if (provider === 'twilio') {
    return {
      accountSid: env('TWILIO_ACCOUNT_SID', ''),
      authToken: env('TWILIO_AUTH_TOKEN', ''),
      messagingServiceSid: env('TWILIO_MESSAGING_SERVICE_SID', ''),
      from: env('TWILIO_FROM', ''),
      // The public URL of the delivery-report route (…/webhooks/twilio/status); empty: no reports.
      statusCallback: env('TWILIO_STATUS_CALLBACK', ''),
    };
  }
  if (provider === 'aliyun') {
    return {
      accessKeyId: env('ALIYUN_ACCESS_KEY_ID', ''),
      accessKeySecret: env('ALIYUN_ACCESS_KEY_SECRET', ''),
      signName: env('ALIYUN_SMS_SIGN_NAME', ''),
      templates: Object.fromEntries(ALIYUN_TEMPLATE_KEYS.map((k) => [k, env(`ALIYUN_SMS_TEMPLATE_${k.replace('.', '_').toUpperCase()}`, '')])),
      links: env.bool('ALIYUN_SMS_LINKS', false),
      uplink: env.bool('ALIYUN_SMS_UPLINK', false),
      webhookSecret: env('ALIYUN_SMS_WEBHOOK_SECRET', ''),
      ...(env('ALIYUN_SMS_ENDPOINT', '') ? { endpoint: env('ALIYUN_SMS_ENDPOINT') } : {}),
    };
  }
  return {};
};

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
        explicitGc: env.bool('MINYI_IMPORT_EXPLICIT_GC', true),
      },
      export: {
        explicitGc: env.bool('MINYI_EXPORT_EXPLICIT_GC', true),
      },
      sms: {
        provider: env('MINYI_SMS_PROVIDER', 'console'),
        options: smsOptions(env, env('MINYI_SMS_PROVIDER', 'console')),
        // Empty: server.url (PUBLIC_URL).
        webhookBaseUrl: env('MINYI_SMS_WEBHOOK_BASE_URL', ''),
      },
      publicPage: {
        countyName: env('MINYI_COUNTY_NAME', '民意服务站'),
        countyNameEn: env('MINYI_COUNTY_NAME_EN', 'Minyi'),
        cacheSeconds: env.int('MINYI_PUBLIC_CACHE_SECONDS', 60),
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
