import type * as React from 'react';

/** The props the Content Manager gives an input registered with `app.addFields` (the ones Minyi's inputs read). */
export interface CmFieldProps {
  name: string;
  label: string;
  hint?: React.ReactNode;
  labelAction?: React.ReactNode;
  required?: boolean;
  disabled?: boolean;
}
