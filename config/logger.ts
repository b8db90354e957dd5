import { winston, formats } from '@strapi/logger';

/** LOG_LEVEL=warn keeps test and batch output readable; the default logs each request. */
export default {
  transports: [
    new winston.transports.Console({
      level: process.env.LOG_LEVEL || 'http',
      format: winston.format.combine(formats.levelFilter(process.env.LOG_LEVEL || 'http'), formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' })),
    }),
  ],
};
