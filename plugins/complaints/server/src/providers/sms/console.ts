/**
 * The embedded default: nothing leaves the machine. The message is recorded in the outbox as sent
 * and one line is logged with the phone masked. Links and replies "work" (the demo answers
 * surveys through the link page and can post replies to the inbound route by hand).
 */
import { randomBytes } from 'crypto';
import { maskPhone } from '../../domain/masking';
import type { SmsProviderModule } from './types';

const consoleProvider: SmsProviderModule = {
  init(_options, { log }) {
    return {
      name: 'console',
      async send({ to, template, body }) {
        const id = `console-${randomBytes(8).toString('hex')}`;
        log(`[complaints] sms (console) to ${maskPhone(to)}: ${template ?? 'message'}, ${body.length} characters, id ${id}`);
        return { providerMessageId: id, status: 'sent' };
      },
      capabilities() {
        return { links: true, replies: true };
      },
      // The console provider records every send in the outbox before it returns, so a crash
      // between the two leaves nothing it could have sent.
      async reconcile() {
        return { found: false };
      },
    };
  },
};

export default consoleProvider;
