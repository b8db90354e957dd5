import { winston, formats } from '@strapi/logger';
import { redact } from '../plugins/complaints/server/src/domain/redact';

const LEVELS = winston.config.npm.levels;

/**
 * The transport's level is a threshold (error < warn < info < http < ...): LOG_LEVEL=http logs
 * each request and everything more severe. Warnings and errors are written whatever LOG_LEVEL
 * says, so a 500 is never silent.
 */
const threshold = (wanted: string | undefined): string => {
  const level = wanted && wanted in LEVELS ? wanted : 'http';
  return LEVELS[level] < LEVELS.warn ? 'warn' : level;
};

/** A logged Error keeps its stack; winston copies message and stack onto the info object. */
const withStack = winston.format((info) => {
  const stack = typeof info.stack === 'string' ? info.stack : '';
  const message = typeof info.message === 'string' ? info.message : JSON.stringify(info.message);
  info.message = stack && !message.includes(stack) ? `${message}\n${stack}` : message;
  delete info.stack;
  return info;
});

/** Every line leaves the process without citizens' phones, ID numbers or names. */
const redaction = winston.format((info) => {
  info.message = redact(String(info.message));
  for (const key of Object.keys(info)) {
    if (key !== 'message' && key !== 'level' && typeof info[key] === 'string') info[key] = redact(info[key] as string);
  }
  return info;
});

export default {
  transports: [
    new winston.transports.Console({
      level: threshold(process.env.LOG_LEVEL),
      format: winston.format.combine(withStack(), redaction(), formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' })),
    }),
  ],
};
