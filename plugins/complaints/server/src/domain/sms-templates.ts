/**
 * The messages Minyi sends, with Chinese defaults (configuration may replace any of them). A
 * message carries the ledger number and, where the destination allows links, a link; it never
 * carries the citizen's name, the content or the address. Only these four types exist.
 */
export type SmsTemplate = 'registered_notice' | 'accepted_notice' | 'closed_survey' | 'survey_reminder';

export type SurveyVariant = 'link' | 'reply';

export const DEFAULT_TEMPLATES: Record<string, string> = {
  registered_notice: '【{county}】您的诉求已登记，编号{ledgerNo}。我们将尽快处理。',
  accepted_notice: '【{county}】您反映的诉求（编号{ledgerNo}）已由{unit}受理，我们会跟踪办理结果。{trackLine}',
  'closed_survey.link': '【{county}】您反映的诉求（编号{ledgerNo}）已办结，请对办理结果进行评价：{surveyUrl}',
  'closed_survey.reply': '【{county}】您反映的诉求（编号{ledgerNo}）已办结，请回复数字评价：1满意，2基本满意，3不满意。',
  'survey_reminder.link': '【{county}】提醒：请对诉求（编号{ledgerNo}）的办理结果进行评价：{surveyUrl}',
  'survey_reminder.reply': '【{county}】提醒：请回复数字评价诉求（编号{ledgerNo}）的办理结果：1满意，2基本满意，3不满意。',
};

/** The template key for a message type and, for surveys, the way it is answered. */
export const templateKey = (template: SmsTemplate, variant?: SurveyVariant): string =>
  template === 'closed_survey' || template === 'survey_reminder' ? `${template}.${variant ?? 'link'}` : template;

/**
 * Fills `{name}` slots. A slot without a value is an error, not an empty string: a message with
 * a hole in it must not reach a citizen.
 */
export const renderTemplate = (text: string, params: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`SMS template slot {${name}} has no value`);
    return v;
  });

/**
 * The slots a message's text uses, with their values: what a template provider (Aliyun) sends as
 * the parameters of the approved template, and nothing more (a reply survey's parameters hold no
 * survey link).
 */
export const usedParams = (
  template: SmsTemplate,
  variant: SurveyVariant | undefined,
  params: Record<string, string>,
  overrides: Record<string, string> = {}
): Record<string, string> => {
  const key = templateKey(template, variant);
  const text = overrides[key] ?? DEFAULT_TEMPLATES[key] ?? '';
  const out: Record<string, string> = {};
  for (const [, name] of text.matchAll(/\{(\w+)\}/g)) if (params[name] !== undefined) out[name] = params[name];
  return out;
};

export const renderMessage = (
  template: SmsTemplate,
  variant: SurveyVariant | undefined,
  params: Record<string, string>,
  overrides: Record<string, string> = {}
): string => {
  const key = templateKey(template, variant);
  const text = overrides[key] ?? DEFAULT_TEMPLATES[key];
  if (!text) throw new Error(`no SMS template ${key}`);
  return renderTemplate(text, params);
};
