import { findUnrecordedRecords } from '../../../plugins/complaints/server/src/domain/ledger-records-check';

describe('records without their history event', () => {
  const events = [
    { complaintId: 1, type: 'submit_measure', data: { version: 1 } },
    { complaintId: 1, type: 'resubmit_measure', data: { version: 2 } },
    { complaintId: 1, type: 'evidence_added', data: { evidenceId: 10 } },
    { complaintId: 1, type: 'sign', data: { step: 'unit_head', round: 1 } },
    { complaintId: 1, type: 'reject_signoff', data: { step: 'lead_unit_head', round: 1, reason: 'x' } },
    { complaintId: 2, type: 'approve_measure', data: { version: 1 } },
  ];
  const recorded = {
    measures: [{ id: 1, complaintId: 1, version: 1 }, { id: 2, complaintId: 1, version: 2 }],
    evidence: [{ id: 10, complaintId: 1 }],
    signOffs: [
      { id: 5, complaintId: 1, round: 1, step: 'unit_head', decision: 'signed' },
      { id: 6, complaintId: 1, round: 1, step: 'lead_unit_head', decision: 'rejected' },
    ],
  };

  it('finds none when every record has its event', () => {
    expect(findUnrecordedRecords(events, recorded)).toEqual([]);
  });

  const cases: Array<[string, Partial<typeof recorded>, Array<{ kind: string; id: number; complaintId: number }>]> = [
    ['a measure version nobody submitted', { measures: [...recorded.measures, { id: 3, complaintId: 1, version: 3 }] }, [{ kind: 'measure', id: 3, complaintId: 1 }]],
    ['a measure of another complaint (approve is not a submission)', { measures: [{ id: 4, complaintId: 2, version: 1 }] }, [{ kind: 'measure', id: 4, complaintId: 2 }]],
    ['an evidence item no event names', { evidence: [{ id: 10, complaintId: 1 }, { id: 11, complaintId: 1 }] }, [{ kind: 'evidence', id: 11, complaintId: 1 }]],
    ['an evidence id moved to another complaint', { evidence: [{ id: 10, complaintId: 2 }] }, [{ kind: 'evidence', id: 10, complaintId: 2 }]],
    ['a second copy of a recorded sign-off', { signOffs: [...recorded.signOffs, { id: 7, complaintId: 1, round: 1, step: 'unit_head', decision: 'signed' }] }, [{ kind: 'signOff', id: 7, complaintId: 1 }]],
    ['a sign-off with the decision flipped', { signOffs: [{ id: 5, complaintId: 1, round: 1, step: 'unit_head', decision: 'rejected' }, recorded.signOffs[1]] }, [{ kind: 'signOff', id: 5, complaintId: 1 }]],
    ['a county leader sign-off never signed', { signOffs: [...recorded.signOffs, { id: 8, complaintId: 1, round: 1, step: 'county_leader', decision: 'signed' }] }, [{ kind: 'signOff', id: 8, complaintId: 1 }]],
  ];
  it.each(cases)('%s', (_label, change, expected) => {
    expect(findUnrecordedRecords(events, { ...recorded, ...change })).toEqual(expected);
  });
});
