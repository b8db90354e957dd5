/** 退回交办: the unit sends a demand that is not its own back to the county office, saying why. */
import { parseFields, requiredText } from './input';
import type { Verb } from './types';

const fields = { reason: requiredText('reason', '退回原因', { min: 2, max: 1000 }) };

export const sendBack: Verb<{ reason: string }> = {
  action: 'send_back',
  input: (raw) => parseFields(raw, fields),
  plan: (c, { reason }) => ({
    patch: { sendBackCount: c.sendBackCount + 1, assignedAt: null, responseDeadline: null, warningLevel: 'none' },
    eventData: { reason, responsibleUnitId: c.responsibleUnitId },
  }),
};
