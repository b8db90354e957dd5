/**
 * Database lifecycle backstop: the second layer of the integrity guard. It covers query-engine
 * paths (`strapi.db.query(...)`), which the Document Service middleware never sees. Raw SQL
 * bypasses it too; only the triggers stop that.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { COMPLAINT_UID, EVENT_UID, LEDGER_RECORD_UIDS } from '../constants';
import { DomainError, isDomainError } from '../domain/errors';
import { ORIGINAL_FIELDS, assertOriginalsUnchanged, deleteForbiddenError } from '../domain/original-fields';
import { ledgerRecordWriteRefused } from '../domain/ledger-records';
import { isLedgerWriter } from '../utils/ledger-writer';
import { toStrapiError } from '../utils';

export const LAYER = 'db-lifecycle';

const refuse = (e: DomainError) => new errors.ValidationError(e.message, { ...e.details, layer: LAYER });

const appendOnly = () =>
  refuse(new DomainError('validation', 'history_append_only', '履历只能追加，不能修改或删除', 'History is append-only: events cannot be changed or deleted'));

export const subscribeLedgerBackstop = (strapi: Core.Strapi): void => {
  const guardUpdate = async (event: any) => {
    const { where, data } = event.params ?? {};
    if (!data || typeof data !== 'object') return;
    const present = ORIGINAL_FIELDS.filter((f) => Object.prototype.hasOwnProperty.call(data, f));
    if (present.length === 0) return;
    const rows = (await strapi.db.query(COMPLAINT_UID as any).findMany({ where, select: ['id', ...present] })) as Array<Record<string, unknown>>;
    for (const row of rows) {
      try {
        assertOriginalsUnchanged(row, data);
      } catch (e) {
        throw isDomainError(e) ? refuse(e) : e;
      }
    }
    // Unchanged in every row: do not rewrite it (the trigger compares raw stored values).
    for (const f of present) delete data[f];
  };

  strapi.db.lifecycles.subscribe({
    models: [COMPLAINT_UID],
    beforeUpdate: guardUpdate,
    beforeUpdateMany: guardUpdate,
    async beforeDelete() {
      throw refuse(deleteForbiddenError());
    },
    async beforeDeleteMany() {
      throw refuse(deleteForbiddenError());
    },
  } as any);

  // Ledger records: written through the query engine only by Minyi's own services.
  const ledgerWriterOnly = (action: string) => async () => {
    if (isLedgerWriter()) return;
    const e = ledgerRecordWriteRefused(action);
    e.details.layer = LAYER;
    throw toStrapiError(e);
  };
  strapi.db.lifecycles.subscribe({
    models: LEDGER_RECORD_UIDS.filter((uid) => uid !== EVENT_UID),
    beforeCreate: ledgerWriterOnly('create'),
    beforeCreateMany: ledgerWriterOnly('create'),
    beforeUpdate: ledgerWriterOnly('update'),
    beforeUpdateMany: ledgerWriterOnly('update'),
    beforeDelete: ledgerWriterOnly('delete'),
    beforeDeleteMany: ledgerWriterOnly('delete'),
  } as any);

  strapi.db.lifecycles.subscribe({
    models: [EVENT_UID],
    beforeCreate: ledgerWriterOnly('create'),
    beforeCreateMany: ledgerWriterOnly('create'),
    async beforeUpdate() {
      throw appendOnly();
    },
    async beforeUpdateMany() {
      throw appendOnly();
    },
    async beforeDelete() {
      throw appendOnly();
    },
    async beforeDeleteMany() {
      throw appendOnly();
    },
  } as any);
};
