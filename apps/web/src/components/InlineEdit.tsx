import { ActionIcon, Group, Select, Text, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconPencil, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api } from '../api/client.js';
import type { EntityPath } from '../api/queries.js';
import { useT } from '../i18n/useT.js';
import { mapServerErrors } from '../lib/form-errors.js';
import { UserSelect } from './pickers.js';

/** How a field is edited in place: a text input, a choice among options, or a user (an owner). */
type InlineEditor =
  | { readonly kind: 'text'; readonly type?: 'text' | 'email' | 'tel' | 'number' | 'date' }
  | { readonly kind: 'select'; readonly data: readonly { value: string; label: string }[] }
  | { readonly kind: 'user' };

export interface InlineEditProps {
  label: string;
  /** `data-testid` of the field; its parts are `${testId}-edit`, `-input`, `-save`, `-cancel`. */
  testId: string;
  entity: EntityPath;
  id: string;
  /** The value the editor starts from. */
  value: string | null;
  /** What the page shows when not editing. */
  display: ReactNode;
  editor: InlineEditor;
  /** The PATCH body for a new value (only the fields this one changes). */
  toBody: (value: string | null) => Record<string, unknown>;
  /** Server paths whose refusals belong to this field (`*` is an array index); any other refusal shows here too. */
  fields: readonly string[];
  /** Server path → field path (a contact's `phones.0.number` is its `phones.0.raw`). */
  rename?: (path: string) => string;
}

/**
 * A record page's field, edited where it is shown: the pencil opens the editor, Enter or ✓ saves it alone (a
 * PATCH of that field), Escape or ✕ cancels. The server's refusal stays under the input, in the user's
 * language, until the value is changed or the edit cancelled. Why: a change of owner or stage should not need
 * the whole form, and a refusal must say what was wrong where the user is looking.
 */
export function InlineEdit({
  label,
  testId,
  entity,
  id,
  value,
  display,
  editor,
  toBody,
  fields,
  rename,
}: InlineEditProps) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<string | null>(value);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  function start() {
    setDraft(value);
    setError(null);
    setEditing(true);
  }

  function cancel() {
    setEditing(false);
    setError(null);
  }

  async function save() {
    setSaving(true);
    setError(null);
    try {
      await api.patch(`/${entity}/${id}`, toBody(draft));
      await queryClient.invalidateQueries({ queryKey: [entity] });
      setEditing(false);
    } catch (failure) {
      const { fieldErrors, rest } = mapServerErrors(failure, fields, rename);
      setError([...Object.values(fieldErrors), ...rest].join(' · '));
    } finally {
      setSaving(false);
    }
  }

  const common = {
    size: 'xs' as const,
    'aria-label': label,
    error,
    disabled: saving,
    'data-testid': `${testId}-input`,
    style: { flex: 1, minWidth: 0 },
  };
  const onChange = (next: string | null) => {
    setDraft(next);
    setError(null);
  };

  return (
    <div data-testid={testId}>
      <Group gap={4} wrap="nowrap">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {label}
        </Text>
        {!editing && (
          <Tooltip label={`${t('common.edit')} · ${label}`}>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="xs"
              aria-label={`${t('common.edit')} · ${label}`}
              onClick={start}
              data-testid={`${testId}-edit`}
            >
              <IconPencil size={12} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      {editing ? (
        <Group
          gap={4}
          wrap="nowrap"
          align="flex-start"
          mt={2}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              cancel();
            } else if (event.key === 'Enter' && editor.kind === 'text') {
              event.preventDefault();
              void save();
            }
          }}
        >
          {editor.kind === 'text' && (
            <TextInput
              {...common}
              type={editor.type ?? 'text'}
              value={draft ?? ''}
              onChange={(event) => onChange(event.currentTarget.value)}
              data-autofocus
              autoFocus
            />
          )}
          {editor.kind === 'select' && (
            <Select
              {...common}
              data={[...editor.data]}
              value={draft}
              onChange={onChange}
              allowDeselect={false}
              comboboxProps={{ withinPortal: false }}
            />
          )}
          {editor.kind === 'user' && (
            <UserSelect
              {...common}
              assignable
              value={draft}
              onChange={onChange}
              comboboxProps={{ withinPortal: false }}
            />
          )}
          <ActionIcon
            variant="light"
            color="blue"
            aria-label={t('common.save')}
            onClick={() => void save()}
            loading={saving}
            data-testid={`${testId}-save`}
          >
            <IconCheck size={16} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('common.cancel')}
            onClick={cancel}
            data-testid={`${testId}-cancel`}
          >
            <IconX size={16} />
          </ActionIcon>
        </Group>
      ) : (
        <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }} data-testid={`${testId}-value`}>
          {display === '' || display === null || display === undefined ? '—' : display}
        </Text>
      )}
    </div>
  );
}
