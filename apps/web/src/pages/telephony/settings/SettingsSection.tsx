import { Card, Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled card of the telephony settings page. Why: every card of the page looks the same. */
export function Section({
  title,
  icon,
  children,
  testId,
}: {
  title: string;
  icon?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card withBorder radius="md" padding="lg" data-testid={testId}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={4}>{title}</Title>
      </Group>
      {children}
    </Card>
  );
}
