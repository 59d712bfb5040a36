import { Button, Group, Modal, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client.js';
import type { EntityPath } from '../api/queries.js';
import { useT } from '../i18n/useT.js';
import { ErrorAlert } from './ErrorAlert.js';

/** Deletes a record after a confirmation, then goes back to its list. Why: one behaviour for every record page. */
export function DeleteButton({
  entity,
  id,
  body,
  afterPath,
  onDeleted,
}: {
  entity: EntityPath;
  id: string;
  body: string;
  afterPath?: string;
  onDeleted?: () => void;
}) {
  const { t } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.delete(`/${entity}/${id}`),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: [entity] });
      notifications.show({ color: 'green', message: t('common.deleted') });
      onDeleted?.();
      if (afterPath) {
        navigate(afterPath);
      }
    },
  });
  return (
    <>
      <Button
        variant="subtle"
        color="red"
        leftSection={<IconTrash size={16} />}
        onClick={() => setConfirming(true)}
      >
        {t('common.delete')}
      </Button>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={<Title order={4}>{t('common.confirmDelete')}</Title>}
      >
        <Text size="sm" mb="md">
          {body}
        </Text>
        <ErrorAlert error={remove.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => remove.mutate()}
            data-testid="confirm-delete"
          >
            {t('common.delete')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
