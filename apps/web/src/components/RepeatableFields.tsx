import { ActionIcon, Button, Card, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import type { FormArrayElement, UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useT } from '../i18n/useT.js';

export interface RepeatableFieldsProps<Values> {
  form: UseFormReturnType<Values>;
  /** Form path of the list, e.g. `phones`. */
  path: string;
  /** Current list items (only their count matters here). */
  items: readonly unknown[];
  /** Key of each item's text value, e.g. `raw` or `email`. */
  valueKey: string;
  title: string;
  inputLabel: string;
  placeholder: string;
  type: 'tel' | 'email';
  labelOptions: { value: string; label: string }[];
  /** Item appended by the add button. */
  newItem: FormArrayElement<Values, string>;
  addLabel: string;
  /** Rendered under the add button, inside the same stack. */
  children?: ReactNode;
}

/**
 * A card editing a list of `{ value, label }` rows (text input, label select, remove) with an add button.
 * Why: the contact form edits phones and emails with the same controls.
 */
export function RepeatableFields<Values>({
  form,
  path,
  items,
  valueKey,
  title,
  inputLabel,
  placeholder,
  type,
  labelOptions,
  newItem,
  addLabel,
  children,
}: RepeatableFieldsProps<Values>) {
  const { t } = useT();
  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={5} mb="xs">
        {title}
      </Title>
      <Stack gap="xs">
        {items.map((_, index) => (
          <Group key={form.key(`${path}.${index}`)} gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              placeholder={placeholder}
              aria-label={inputLabel}
              type={type}
              name={`${path}.${index}.${valueKey}`}
              style={{ flex: 1 }}
              {...form.getInputProps(`${path}.${index}.${valueKey}`)}
            />
            <Select
              aria-label={t('common.label')}
              data={labelOptions}
              w={120}
              allowDeselect={false}
              {...form.getInputProps(`${path}.${index}.label`)}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={t('common.remove')}
              onClick={() => form.removeListItem(path, index)}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => form.insertListItem(path, newItem)}
          >
            {addLabel}
          </Button>
        </Group>
        {children}
      </Stack>
    </Card>
  );
}
