import { Alert, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useT } from '../i18n/useT.js';

/** Form-level errors (those the server did not tie to one field). */
export function FormErrors({ messages }: { messages: string[] }) {
  const { t } = useT();
  if (messages.length === 0) {
    return null;
  }
  return (
    <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" title={t('common.fixErrors')}>
      {messages.map((message) => (
        <Text key={message} size="sm">
          {message}
        </Text>
      ))}
    </Alert>
  );
}
