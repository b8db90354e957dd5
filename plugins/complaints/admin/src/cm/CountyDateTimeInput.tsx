/**
 * The Content Manager's date-time input, in the county's zone (the server's `timeZone`) instead
 * of the browser's: a unit operator abroad, or a laptop set to UTC, reads 2026-03-02 00:30 where
 * the county does. Registered through `app.addFields({ type: 'datetime' })`, it takes the place
 * of Strapi's own input (the same design-system picker, the same ISO value stored): the picker
 * is given the county's wall clock, and a time picked is read as the county's. The field's hint
 * names the zone. Disabled, required, hint and errors are the Content Manager's.
 */
import * as React from 'react';
import { DateTimePicker, Field } from '@strapi/design-system';
import { useField } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { countyWallDate, instantOfCountyWall, useCountyZone } from '../utils/county-time';
import { getTranslation } from '../utils/getTranslation';
import type { CmFieldProps } from './field-props';

const MAX_DATE = new Date(2099, 11, 31);

export const CountyDateTimeInput = ({ name, label, hint, labelAction, required, disabled }: CmFieldProps) => {
  const { formatMessage } = useIntl();
  const field = useField<string | Date | null>(name);
  const timeZone = useCountyZone();
  const instant = field.value ? new Date(field.value) : null;
  const shown = instant && !Number.isNaN(instant.getTime()) ? countyWallDate(instant, timeZone) : undefined;
  const zoneNote = formatMessage({ id: getTranslation('cm.datetime.zone'), defaultMessage: 'County time ({zone})' }, { zone: timeZone });
  return (
    <Field.Root error={field.error} name={name} hint={hint ? <>{hint} · {zoneNote}</> : zoneNote} required={required}>
      <Field.Label action={labelAction}>{label}</Field.Label>
      <div data-testid={`minyi-datetime-${name}`}>
        <DateTimePicker
          clearLabel={formatMessage({ id: 'clearLabel', defaultMessage: 'Clear' })}
          onChange={(date: Date | undefined) => field.onChange(name, date ? instantOfCountyWall(date, timeZone).toISOString() : null)}
          onClear={() => field.onChange(name, null)}
          value={shown}
          maxDate={MAX_DATE}
          disabled={disabled}
        />
      </div>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};
