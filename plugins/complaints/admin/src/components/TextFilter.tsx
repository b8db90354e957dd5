import { useEffect, useState } from 'react';
import { Box, Field, TextInput } from '@strapi/design-system';

/**
 * A typed filter (a keyword, a ledger number): applied when the field is left or Enter is
 * pressed, not on every key. `idPrefix` names the page it stands on (its field name and test id).
 */
export const TextFilter = ({
  idPrefix,
  name,
  label,
  value,
  placeholder,
  width = '20rem',
  onApply,
}: {
  idPrefix: string;
  name: string;
  label: string;
  value: string;
  placeholder?: string;
  width?: string;
  onApply: (v: string) => void;
}) => {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <Box width={width}>
      <Field.Root name={`${idPrefix}-${name}`}>
        <Field.Label>{label}</Field.Label>
        <TextInput
          data-testid={`${idPrefix}-filter-${name}`}
          value={text}
          placeholder={placeholder}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => setText(e.target.value)}
          onBlur={() => onApply(text.trim())}
          onKeyDown={(e: React.KeyboardEvent<HTMLInputElement>) => {
            if (e.key === 'Enter') onApply(text.trim());
          }}
        />
      </Field.Root>
    </Box>
  );
};
