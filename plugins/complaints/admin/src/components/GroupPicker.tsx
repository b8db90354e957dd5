/**
 * The user's problem groups (GET /complaints/problem-groups) and a picker of one of them for a
 * category, with a field to create a new group of that category on the spot
 * (POST /complaints/problem-groups). The workflow panel and My work use the same pieces.
 */
import { useCallback, useEffect, useState } from 'react';
import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';

export interface ProblemGroupOption {
  documentId: string;
  code: string;
  name: string;
  categoryCode: string | null;
}

/** The groups this user may see, reloaded on demand; `create` adds one and reloads the list. */
export const useProblemGroups = (enabled = true) => {
  const { get, post } = useFetchClient();
  const [groups, setGroups] = useState<ProblemGroupOption[]>([]);
  const reload = useCallback(async () => {
    const res = await get<{ data: ProblemGroupOption[] }>('/complaints/problem-groups');
    setGroups(res.data.data);
    return res.data.data;
  }, [get]);
  useEffect(() => {
    if (enabled) reload().catch(() => setGroups([]));
  }, [enabled, reload]);
  const create = useCallback(
    async (categoryCode: string | null, name: string) => {
      const res = await post<{ data: { documentId: string; code: string } }>('/complaints/problem-groups', { categoryCode, name: name.trim() });
      await reload();
      return res.data.data;
    },
    [post, reload]
  );
  return { groups, reload, create };
};

/** Only a group of the complaint's own category can take it. */
export const groupsOfCategory = (groups: ProblemGroupOption[], categoryCode: string | null) =>
  groups.filter((g) => !categoryCode || g.categoryCode === categoryCode);

interface GroupPickerProps {
  categoryCode: string | null;
  value: string;
  onChange: (documentId: string) => void;
  /** Told of a created group (its code), or of a refusal (the message). */
  onCreated: (code: string) => void;
  onError: (message: string) => void;
  errorMessage: (e: unknown) => string;
  testIdPrefix: string;
}

export const GroupPicker = ({ categoryCode, value, onChange, onCreated, onError, errorMessage, testIdPrefix }: GroupPickerProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const { groups, create } = useProblemGroups();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const mine = groupsOfCategory(groups, categoryCode);

  const make = async () => {
    setBusy(true);
    try {
      const made = await create(categoryCode, name);
      onChange(made.documentId);
      setName('');
      onCreated(made.code);
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex gap={2} alignItems="flex-end" wrap="wrap" data-testid={`${testIdPrefix}-group-picker`}>
      <Box width="24rem">
        <Field.Root name={`${testIdPrefix}-group`}>
          <Field.Label>{t('group.pick', 'Problem group')}</Field.Label>
          <SingleSelect
            aria-label={t('group.pick', 'Problem group')}
            placeholder={mine.length ? t('group.choose', 'Choose a group') : t('group.noneYet', 'No group of this category yet')}
            value={value}
            onChange={(v: string | number) => onChange(String(v))}
          >
            {mine.map((g) => (
              <SingleSelectOption key={g.documentId} value={g.documentId}>
                {`${g.code} ${g.name}`}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
      </Box>
      <Box width="20rem">
        <Field.Root name={`${testIdPrefix}-new-group-name`}>
          <Field.Label>{t('workflow.newGroup', 'Or a new problem group of this category')}</Field.Label>
          <TextInput value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} data-testid={`${testIdPrefix}-new-group-name`} />
        </Field.Root>
      </Box>
      <Button variant="secondary" onClick={make} loading={busy} disabled={name.trim().length < 2} data-testid={`${testIdPrefix}-new-group-create`}>
        {t('workflow.createGroup', 'Create')}
      </Button>
    </Flex>
  );
};
