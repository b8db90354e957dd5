/** The SMS providers by name (config `sms.provider`). */
import aliyunProvider from './aliyun';
import consoleProvider from './console';
import twilioProvider from './twilio';
import type { SmsProvider, SmsProviderContext, SmsProviderModule } from './types';

export const SMS_PROVIDERS: Record<string, SmsProviderModule> = {
  console: consoleProvider,
  twilio: twilioProvider,
  aliyun: aliyunProvider,
};

/** Builds the configured provider; a misconfiguration throws SmsConfigError naming the setting. */
export const createSmsProvider = (name: string, options: Record<string, unknown>, context: SmsProviderContext): SmsProvider => {
  const mod = SMS_PROVIDERS[name];
  if (!mod) throw new Error(`SMS provider misconfigured 短信服务配置有误: sms.provider "${name}" is not one of ${Object.keys(SMS_PROVIDERS).join(', ')}`);
  return mod.init(options, context);
};

export * from './types';
