/**
 * Ledger numbers drawn from a configured series, <prefix><year><6 digits> (domain/intake.ts
 * ledgerNoOf): the next number after the highest of the year, and the next again when two
 * demands recorded at once draw the same one (the unique ledger number refuses the second).
 * The public intake (WEB…) and the county office's registration (REG…) both draw here.
 */
import type { Core } from '@strapi/strapi';
import { TABLE } from '../constants';
import { calendarDay } from '../domain/calendar';
import { ledgerNoOf, seriesNumber } from '../domain/intake';
import { getConfig, safeDbError } from '../utils';

const ATTEMPTS = 5;

/** Runs `create` with the series' next ledger number of `now`'s year (in the county's time zone); returns its result. */
export const createInSeries = async <T>(strapi: Core.Strapi, prefix: string, now: Date, create: (ledgerNo: string) => Promise<T>, what: string): Promise<T> => {
  const knex = strapi.db.connection;
  const year = calendarDay(now, getConfig(strapi).timeZone).slice(0, 4);
  for (let attempt = 0; ; attempt += 1) {
    const last = (await knex(TABLE.complaint).where('ledger_no', 'like', `${prefix}${year}%`).orderBy('ledger_no', 'desc').first('ledger_no')) as { ledger_no: string } | undefined;
    const ledgerNo = ledgerNoOf(prefix, year, (last ? (seriesNumber(last.ledger_no, prefix, year) ?? 0) : 0) + 1);
    try {
      return await create(ledgerNo);
    } catch (e) {
      const taken = (await knex(TABLE.complaint).where('ledger_no', ledgerNo).first('id')) !== undefined;
      if (taken && attempt < ATTEMPTS) continue;
      throw e instanceof Error && (e as any).name === 'ValidationError' ? e : safeDbError(e, what);
    }
  }
};
