import { Button, Group, Modal, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useT } from '../i18n/useT.js';
import { FormErrors } from './FormErrors.js';

/**
 * A create/edit modal: the form's general errors, its fields, then cancel and save.
 * Why: the deal and lead forms share this frame and its buttons.
 */
export function FormModal({
  title,
  onClose,
  onSubmit,
  formErrors,
  saving,
  children,
}: {
  title: ReactNode;
  onClose: () => void;
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
  /** Server messages not tied to a field. */
  formErrors: string[];
  saving: boolean;
  children: ReactNode;
}) {
  const { t } = useT();
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <FormErrors messages={formErrors} />
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={saving}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
