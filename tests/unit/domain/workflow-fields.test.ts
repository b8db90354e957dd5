import { readFileSync } from 'fs';
import { join } from 'path';
import { ORIGINAL_FIELDS } from '../../../plugins/complaints/server/src/domain/original-fields';
import { WORKFLOW_FIELDS } from '../../../plugins/complaints/server/src/domain/workflow-fields';

const schema = JSON.parse(
  readFileSync(join(__dirname, '../../../plugins/complaints/server/src/content-types/complaint/schema.json'), 'utf8')
) as { attributes: Record<string, unknown> };
const attributes = Object.keys(schema.attributes);

describe('fields only the workflow changes', () => {
  it('are complaint attributes, none of them an original field', () => {
    expect(WORKFLOW_FIELDS.filter((f) => !attributes.includes(f))).toEqual([]);
    expect(WORKFLOW_FIELDS.filter((f) => (ORIGINAL_FIELDS as readonly string[]).includes(f))).toEqual([]);
  });

  it('leave only the public summary and the screening note editable', () => {
    const fixed = new Set<string>([...ORIGINAL_FIELDS, ...WORKFLOW_FIELDS]);
    expect(attributes.filter((f) => !fixed.has(f))).toEqual(['summary', 'invalidNote']);
  });

  // [field, only the workflow changes it]
  it.each([
    ['state', true],
    ['mode', true],
    ['deadline', true],
    ['warningLevel', true],
    ['chainHash', true],
    ['problemGroup', true],
    ['summary', false],
    ['invalidNote', false],
    ['phone', false],
  ])('%s → %s', (field, workflow) => {
    expect((WORKFLOW_FIELDS as readonly string[]).includes(field)).toBe(workflow);
  });
});
