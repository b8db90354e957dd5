/**
 * The state machine's table against the legal arrows copied by hand from DOMAIN.md
 * (tests/helpers/legal-arrows.ts); tests/api/workflow-scope.test.api.ts drives every other
 * pair through the transition route.
 */
import { actionsFrom } from '../../../plugins/complaints/server/src/domain/complaint-state';
import { ACTIONS, LEGAL, STATES } from '../../helpers/legal-arrows';

describe('legal transitions', () => {
  const illegal: Array<[string, string]> = [];
  for (const s of STATES) for (const a of ACTIONS) if (!LEGAL.has(`${s}:${a}`)) illegal.push([s, a]);

  it('the domain allows exactly the legal arrows copied from DOMAIN.md, 17 of the 160 pairs', () => {
    const allowed = STATES.flatMap((s) => actionsFrom(s as any).map((a) => `${s}:${a}`));
    expect([...allowed].sort()).toEqual([...LEGAL].sort());
    expect(illegal.length).toBe(160 - 17);
  });
});
