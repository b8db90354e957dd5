/**
 * Registration (登记): a demand the county office received by visit, phone or letter, typed in
 * once. The form is read by domain/registration.ts; the complaint is created through the
 * Document Service, so the complaint guard applies the import's row rules again, freezes the
 * originals and starts the history chain with the `created` event (the clerk as actor); the
 * ledger number comes from the configured registration series (services/ledger-series.ts).
 * A citizen who left a mobile number gets the same SMS as an online demand, with its ledger
 * number (registered_notice), queued in the same transaction as the complaint.
 */
import type { Core } from '@strapi/strapi';
import { COMPLAINT_UID, TABLE } from '../constants';
import { parsePhone } from '../domain/phone';
import { readRegistrationForm } from '../domain/registration';
import { getConfig, getService, inTransaction } from '../utils';
import { createInSeries } from './ledger-series';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Reads and records a registration; returns the new complaint's ledger number and document id. */
  async register(body: unknown, now = new Date()): Promise<{ ledgerNo: string; documentId: string }> {
    const cfg = getConfig(strapi);
    const towns = await getService('intake', strapi).towns();
    const form = readRegistrationForm(body, { towns, now, timeZone: cfg.timeZone });
    return createInSeries(
      strapi,
      cfg.registration.ledgerPrefix,
      now,
      async (ledgerNo) => {
        const doc = (await strapi.db.transaction(async () => {
          const created = (await strapi.documents(COMPLAINT_UID as any).create({
            data: {
              ledgerNo,
              receivedAt: form.receivedAt.toISOString(),
              channel: form.channel,
              complainantName: form.complainantName,
              phone: form.phone,
              town: form.town,
              village: form.village,
              address: form.address,
              content: form.content,
            } as any,
          })) as { documentId: string };
          if (form.phone && parsePhone(form.phone).kind === 'mobile') {
            await inTransaction(strapi, async (trx) => {
              const row = (await trx(TABLE.complaint).where('document_id', created.documentId).first('id')) as { id: number };
              await getService('sms', strapi).noticeRegistered(Number(row.id), form.phone as string, ledgerNo, now);
            });
          }
          return created;
        })) as { documentId: string };
        return { ledgerNo, documentId: doc.documentId };
      },
      'registration'
    );
  },
});
