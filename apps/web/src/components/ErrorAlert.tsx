import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { ApiError } from '../api/client.js';
import { useT } from '../i18n/useT.js';
import { apiErrorMessage } from '../lib/api-error-message.js';

/** Shows what went wrong, in the user's language (lib/api-error-message.ts). */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useT();
  if (!error) {
    return null;
  }
  const message =
    error instanceof ApiError && error.code === 'SB_ERR_NOT_FOUND'
      ? t('common.notFound')
      : apiErrorMessage(error);
  return (
    <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" my="sm">
      {message}
    </Alert>
  );
}
