import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Timeline } from '@mantine/core';
import { IconPhoneIncoming, IconPhoneOutgoing } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useCallDetail } from '../../api/call-log.js';
import type { CallDetail } from '../../api/types.js';
import { BlockNumberButton } from '../../components/BlockNumberButton.js';
import { DetailField } from '../../components/DetailField.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { useT } from '../../i18n/useT.js';
import { callLogLink } from '../../lib/call-log-filters.js';
import {
  attributionLabel,
  formatSeconds,
  missedClassLabel,
  outcomeColor,
  outcomeLabel,
  traceLabel,
} from '../../lib/call-log-labels.js';
import { formatDateTime } from '../../lib/format.js';
import { dispositionLabel } from '../../live/call-labels.js';
import { CallRecordingPanel } from './CallRecordingPanel.js';

/** A call's own page: what happened, who it counts for and why, its notifications and its trace. */
export function CallPage() {
  const { id = '' } = useParams();
  const { t, locale } = useT();
  const detail = useCallDetail(id);
  if (detail.error) {
    return <ErrorAlert error={detail.error} />;
  }
  const data = detail.data;
  if (!data) {
    return null;
  }
  const { call } = data;
  const Icon = call.direction === 'in' ? IconPhoneIncoming : IconPhoneOutgoing;
  return (
    <>
      <PageHeader
        title={
          <Group gap="xs">
            <Icon size={26} color={`var(--mantine-color-${call.direction === 'in' ? 'blue' : 'teal'}-6)`} />
            {call.contact?.displayName ?? call.clientE164 ?? call.clientNumber ?? t('popup.hiddenNumber')}
          </Group>
        }
        subtitle={`${call.direction === 'in' ? t('calls.in') : t('calls.out')} · ${formatDateTime(call.startedAt, locale)}`}
        actions={
          <Badge
            size="lg"
            color={outcomeColor(call.outcome)}
            variant="light"
            tt="none"
            data-testid="call-outcome"
          >
            {outcomeLabel(t, call.outcome)}
          </Badge>
        }
      />
      <Stack gap="md">
        <Card withBorder radius="md" padding="md">
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="md">
            <DetailField label={t('calls.who')}>
              {call.contact && (
                <Anchor component={Link} to={`/contacts/${call.contact.id}`} fw={500} display="block">
                  {call.contact.displayName}
                </Anchor>
              )}
              {(call.clientNumber || call.clientE164) && (
                <PhoneLink
                  raw={call.clientNumber ?? ''}
                  e164={call.clientE164}
                  contactId={call.contact?.id}
                />
              )}
              {call.clientE164 && <BlockNumberButton number={call.clientE164} compact />}
            </DetailField>
            <DetailField label={t('calls.attributedTo')}>
              <Text size="sm" data-testid="call-attribution">
                {call.agent?.name ?? '—'}
              </Text>
              <Text size="xs" c="dimmed">
                {attributionLabel(t, call.attribution)}
              </Text>
            </DetailField>
            <DetailField label={t('calls.disposition')}>{dispositionLabel(t, call.disposition)}</DetailField>
            <DetailField label={t('calls.recording')}>
              {call.isRecorded ? t('calls.recorded') : t('calls.notRecorded')}
            </DetailField>
            <DetailField label={t('calls.wait')}>{formatSeconds(call.waitSeconds)}</DetailField>
            <DetailField label={t('calls.duration')}>{formatSeconds(call.talkSeconds)}</DetailField>
            <DetailField label={t('calls.rung')}>{data.ringingExtensions.join(', ')}</DetailField>
            {data.missed && (
              <DetailField label={t('calls.fate')}>
                <Text size="sm" data-testid="call-fate">
                  {missedClassLabel(t, data.missed.classification, data.returnWithinMinutes)}
                </Text>
                {data.missed.secondsToCallBack !== null && (
                  <Text size="xs" c="dimmed">
                    {t('calls.callBackAfter', { time: formatSeconds(data.missed.secondsToCallBack) })}
                  </Text>
                )}
              </DetailField>
            )}
          </SimpleGrid>
          {call.note && (
            <Text size="sm" mt="md" style={{ whiteSpace: 'pre-wrap' }}>
              {call.note}
            </Text>
          )}
          {call.clientE164 && (
            <Anchor
              component={Link}
              to={callLogLink({ client: call.clientE164 })}
              size="sm"
              mt="sm"
              display="block"
            >
              {t('calls.allWithClient')}
            </Anchor>
          )}
        </Card>
        <CallRecordingPanel callId={call.id} />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Legs legs={data.legs} />
          <Trace trace={data.trace} />
        </SimpleGrid>
      </Stack>
    </>
  );
}

function Legs({ legs }: { legs: CallDetail['legs'] }) {
  const { t, locale } = useT();
  return (
    <Card withBorder radius="md" padding="md">
      <Text fw={600} size="sm" mb="xs">
        {t('calls.legs')}
      </Text>
      <Table verticalSpacing={4} data-testid="call-legs">
        <Table.Tbody>
          {legs.map((leg, i) => (
            // A leg has no id of its own: the same notification is stored once, so its position is stable.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <Table.Tr key={i}>
              <Table.Td>
                <Text size="xs" ff="monospace" c="dimmed">
                  {new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(new Date(leg.receivedAt))}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t(`call.leg.${leg.kind}`)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{leg.extension ?? ''}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {leg.disposition ? dispositionLabel(t, leg.disposition) : ''}
                  {leg.duration ? ` · ${formatSeconds(leg.duration)}` : ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Trace({ trace }: { trace: CallDetail['trace'] }) {
  const { t, locale } = useT();
  return (
    <Card withBorder radius="md" padding="md">
      <Text fw={600} size="sm" mb="xs">
        {t('calls.trace')}
      </Text>
      {trace.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('calls.traceEmpty')}
        </Text>
      ) : (
        <Timeline bulletSize={10} lineWidth={2} data-testid="call-trace">
          {trace.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: items are append-only and shown in order
            <Timeline.Item key={i} title={traceLabel(t, item)}>
              <Text size="xs" c="dimmed">
                {formatDateTime(item.at, locale)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Card>
  );
}
