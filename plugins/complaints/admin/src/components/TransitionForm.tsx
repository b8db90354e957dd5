/**
 * The fields of a transition's form, one renderer for them, and the request body they make: the
 * workflow panel's forms and My work's batch measure are the same fields, read the same way.
 */
import { Field, SingleSelect, SingleSelectOption, Textarea, TextInput } from '@strapi/design-system';

export type FieldKind = 'text' | 'textarea' | 'date' | 'select';
export interface FormField {
  name: string;
  kind: FieldKind;
  options?: Array<{ value: string; label: string }>;
  when?: (values: Record<string, string>) => boolean;
}

/** The measure's fields (submit and resubmit): what each mode asks for. */
export function measureForm(t: (id: string, d: string) => string): FormField[] {
  return [
    { name: 'mode', kind: 'select', options: ['immediate', 'deadline', 'phased', 'policy_limited'].map((v) => ({ value: v, label: t(`mode.${v}`, v) })) },
    { name: 'text', kind: 'textarea' },
    { name: 'responsiblePerson', kind: 'text' },
    { name: 'deadline', kind: 'date', when: (v) => v.mode !== 'policy_limited' },
    { name: 'policyRef', kind: 'text', when: (v) => v.mode === 'policy_limited' },
    { name: 'milestones', kind: 'textarea', when: (v) => v.mode === 'phased' },
  ];
}

/**
 * The body of a transition from its form's values: the fields shown for these values, those
 * filled in; milestones typed one a line as "title | due".
 */
export const transitionBody = (action: string, fields: FormField[], values: Record<string, string>): Record<string, unknown> => {
  const body: Record<string, unknown> = { action };
  for (const f of fields) {
    if (f.when && !f.when(values)) continue;
    if (values[f.name] !== undefined && values[f.name] !== '') body[f.name] = values[f.name];
  }
  if (typeof body.milestones === 'string') {
    body.milestones = (body.milestones as string)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [title, due] = line.split(/[|｜]/).map((s) => s.trim());
        return { title, due: due || null };
      });
  }
  return body;
};

/** One field of a form, labelled from the `input.<name>` translations; hidden when `when` says so. */
export const FormInput = ({
  field: f,
  values,
  onChange,
  label,
  namePrefix = 'minyi',
}: {
  field: FormField;
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
  label: string;
  namePrefix?: string;
}) => {
  if (f.when && !f.when(values)) return null;
  const set = (v: string) => onChange(f.name, v);
  return (
    <Field.Root name={`${namePrefix}-${f.name}`}>
      <Field.Label>{label}</Field.Label>
      {f.kind === 'select' ? (
        <SingleSelect value={values[f.name] ?? ''} onChange={(v: string | number) => set(String(v))} placeholder={label}>
          {(f.options ?? []).map((o) => (
            <SingleSelectOption key={o.value || 'none'} value={o.value}>
              {o.label}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      ) : f.kind === 'textarea' ? (
        <Textarea value={values[f.name] ?? ''} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => set(e.target.value)} />
      ) : (
        <TextInput type={f.kind === 'date' ? 'date' : 'text'} value={values[f.name] ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(e.target.value)} />
      )}
    </Field.Root>
  );
};
