import { ActionIcon, Card, Group, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useBalance } from '../../../api/telephony.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { formatMoney } from '../../../lib/format.js';

/** The Zadarma account balance, refreshable. Why: calls stop when it runs out. */
export function BalanceCard({ configured }: { configured: boolean }) {
  const { t, locale } = useT();
  const balance = useBalance(configured);
  return (
    <Card withBorder radius="md" padding="lg">
      <Group justify="space-between">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('tel.balance')}
          </Text>
          <Text size="xl" fw={700} data-testid="tel-balance">
            {balance.data
              ? formatMoney(balance.data.balance, balance.data.currency, locale)
              : configured
                ? '…'
                : '—'}
          </Text>
        </div>
        <ActionIcon
          variant="subtle"
          onClick={() => void balance.refetch()}
          loading={balance.isFetching}
          aria-label={t('tel.refresh')}
          disabled={!configured}
        >
          <IconRefresh size={18} />
        </ActionIcon>
      </Group>
      <ErrorAlert error={balance.error} />
    </Card>
  );
}
