import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { ApiError } from '../api/client.js';
import { useT } from '../i18n/useT.js';

/** Shows an error's own sentence (the server names what was wrong). */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useT();
  if (!error) {
    return null;
  }
  const message =
    error instanceof ApiError && error.code === 'SB_ERR_NOT_FOUND'
      ? t('common.notFound')
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" my="sm">
      {message}
    </Alert>
  );
}
