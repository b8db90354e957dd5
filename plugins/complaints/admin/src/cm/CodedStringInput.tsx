/**
 * The Content Manager's string input, for the Minyi string fields that hold a code (an event's
 * type and states, its actor's fixed names; cm/labels.ts isCoded): shown read-only as the code's label. These
 * fields are written only by the ledger. Every other string field, of any type, gets Strapi's
 * own input with the props the Content Manager gives it. Registered through
 * `app.addFields({ type: 'string' })`.
 */
import type * as React from 'react';
import { Field, TextInput } from '@strapi/design-system';
import { InputRenderer, unstable_useContentManagerContext as useContentManagerContext, useField } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';
import { isCoded, minyiType, valueKey } from './labels';

type InputProps = Parameters<typeof InputRenderer>[0];
interface Props {
  name: string;
  label?: React.ReactNode;
  unique?: boolean;
  mainField?: unknown;
  [prop: string]: unknown;
}

const CodedValue = ({ name, label, type, fieldName }: { name: string; label: string; type: string; fieldName: string }) => {
  const { formatMessage } = useIntl();
  const field = useField<string | null>(name);
  const key = field.value ? valueKey(type, fieldName, field.value) : null;
  const value = key ? formatMessage({ id: getTranslation(key), defaultMessage: field.value! }) : (field.value ?? '');
  return (
    <Field.Root name={name}>
      <Field.Label>{label}</Field.Label>
      <TextInput value={value} disabled readOnly />
    </Field.Root>
  );
};

export const CodedStringInput = (props: Props) => {
  const { model } = useContentManagerContext();
  const type = minyiType(model);
  const fieldName = props.name.split('.').pop() ?? props.name;
  if (type && isCoded(type, fieldName)) return <CodedValue name={props.name} label={String(props.label)} type={type} fieldName={fieldName} />;
  // These two are the Content Manager's, not the form input's (Strapi drops them the same way).
  const { unique: _unique, mainField: _mainField, ...rest } = props;
  return <InputRenderer {...({ ...rest, type: 'string' } as unknown as InputProps)} />;
};
