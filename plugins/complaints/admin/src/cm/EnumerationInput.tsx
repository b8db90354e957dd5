/**
 * The Content Manager's enumeration input, with each value's label instead of its code on the
 * Minyi types (cm/labels.ts). Registered through `app.addFields({ type: 'enumeration' })`, so it
 * takes the place of Strapi's own input for every enumeration: another plugin's type gets what
 * Strapi shows (the value, looked up as a message id). Disabled, required, hint and errors are
 * the Content Manager's, passed through as Strapi's own input takes them.
 */
import * as React from 'react';
import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { unstable_useContentManagerContext as useContentManagerContext, useField } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import type { CmFieldProps } from './field-props';
import { minyiType, valueKey } from './labels';

interface Props extends CmFieldProps {
  attribute: { enum?: string[] };
  placeholder?: string;
}

export const EnumerationInput = ({ name, label, hint, labelAction, required, disabled, attribute }: Props) => {
  const { formatMessage } = useIntl();
  const { model } = useContentManagerContext();
  const field = useField<string | null>(name);
  const type = minyiType(model);
  // A field inside a component is named `component.field`: its label key is the field's own name.
  const fieldName = name.split('.').pop() ?? name;
  const labelOf = (value: string) => {
    const key = type ? valueKey(type, fieldName, value) : null;
    return key ? formatMessage({ id: getTranslation(key), defaultMessage: value }) : formatMessage({ id: value, defaultMessage: value });
  };
  return (
    <Field.Root error={field.error} name={name} hint={hint} required={required}>
      <Field.Label action={labelAction}>{label}</Field.Label>
      <SingleSelect
        onChange={(value: string | number) => field.onChange(name, value === '' ? null : String(value))}
        value={field.value ?? undefined}
        disabled={disabled}
        placeholder={formatMessage({ id: 'components.InputSelect.option.placeholder', defaultMessage: 'Choose here' })}
      >
        <SingleSelectOption value="" disabled={required} hidden={required}>
          {formatMessage({ id: 'components.InputSelect.option.placeholder', defaultMessage: 'Choose here' })}
        </SingleSelectOption>
        {(attribute.enum ?? []).map((value) => (
          <SingleSelectOption key={value} value={value}>
            {labelOf(value)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};
