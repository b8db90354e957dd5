import category from './category';
import unit from './unit';
import complaint from './complaint';
import problemGroup from './problem-group';
import measure from './measure';
import evidence from './evidence';
import signOff from './sign-off';
import complaintEvent from './complaint-event';
import correction from './correction';
import survey from './survey';
import smsMessage from './sms-message';
import importBatch from './import-batch';
import spotCheck from './spot-check';
import ledgerDigest from './ledger-digest';
import routingRule from './routing-rule';
import jobRun from './job-run';
import monthClose from './month-close';

export default {
  'category': category,
  'unit': unit,
  'complaint': complaint,
  'problem-group': problemGroup,
  'measure': measure,
  'evidence': evidence,
  'sign-off': signOff,
  'complaint-event': complaintEvent,
  'correction': correction,
  'survey': survey,
  'sms-message': smsMessage,
  'import-batch': importBatch,
  'spot-check': spotCheck,
  'ledger-digest': ledgerDigest,
  'routing-rule': routingRule,
  'job-run': jobRun,
  'month-close': monthClose,
};
