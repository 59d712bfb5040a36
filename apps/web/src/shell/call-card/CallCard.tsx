import { ActionIcon, Badge, Card, Divider, Group, Text, Tooltip } from '@mantine/core';
import {
  IconChevronDown,
  IconChevronUp,
  IconGripVertical,
  IconPhoneIncoming,
  IconPhoneOutgoing,
  IconX,
} from '@tabler/icons-react';
import { type PointerEvent, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client.js';
import type { ContactCard, User } from '../../api/types.js';
import { BlockNumberButton } from '../../components/BlockNumberButton.js';
import { useT } from '../../i18n/useT.js';
import { formatDuration } from '../../lib/format.js';
import { formatPhone } from '../../lib/phone-format.js';
import { callStatusColor, callStatusLabel } from '../../live/call-labels.js';
import { autoCloseDelay, type CallCardState } from '../../live/call-popups.js';
import { useNow } from '../useNow.js';
import { CallContactPicker } from './CallContactPicker.js';
import { CallContactSummary } from './CallContactSummary.js';
import { CallNote } from './CallNote.js';
import { CallUnknownCaller } from './CallUnknownCaller.js';
import { CallWrapUp } from './CallWrapUp.js';

/**
 * One call's card: ringing → in call with a note → ended with the outcome and a follow-up (the user's own call),
 * or answered elsewhere / ended (fading out). It can be minimised to its header line and moved by its grip.
 */
export function CallCard({
  card,
  me,
  onClose,
  onContactLinked,
  onDragStart,
}: {
  card: CallCardState;
  me: User;
  onClose: () => void;
  onContactLinked: (contact: ContactCard) => void;
  onDragStart: (event: PointerEvent) => void;
}) {
  const { t } = useT();
  const now = useNow();
  const [minimised, setMinimised] = useState(false);
  const delay = autoCloseDelay(card);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    if (delay === null) {
      return;
    }
    const timer = setTimeout(() => closeRef.current(), delay);
    return () => clearTimeout(timer);
  }, [delay]);

  // Once the call is the user's (answered or placed), the server keeps its wrap-up open until the card is closed:
  // a reload or another tab brings the card back after the call too. Every tab says so; it is idempotent.
  const restoredWrapUp = card.ended?.wrapUp !== undefined;
  useEffect(() => {
    if (card.mine && !restoredWrapUp) {
      // Best effort: if it fails the card works all the same, only a reload would not bring it back.
      api.put(`/calls/${card.callId}/wrap-up`, { open: true }).catch(() => undefined);
    }
  }, [card.mine, card.callId, restoredWrapUp]);

  const { ringing } = card;
  const number = ringing.clientNumber || ringing.clientE164 || t('popup.hiddenNumber');
  const DirectionIcon = ringing.direction === 'in' ? IconPhoneIncoming : IconPhoneOutgoing;
  const since = card.answeredAt ?? Date.parse(ringing.startedAt);
  const elapsed = Number.isFinite(since) ? Math.max(0, Math.round((now - since) / 1000)) : null;
  // Shown in the one phone format (lib/phone-format.ts); the number as received goes to what the card saves.
  const shownNumber = ringing.clientE164 ? formatPhone(ringing.clientE164, number) : number;
  const title = ringing.contact?.displayName ?? shownNumber;

  return (
    <Card
      withBorder
      shadow="lg"
      radius="md"
      padding="sm"
      data-testid="call-popup"
      data-phase={card.phase}
      data-pbx-call-id={card.pbxCallId}
      data-call-id={card.callId}
      data-minimised={minimised ? 'true' : 'false'}
    >
      <Group justify="space-between" wrap="nowrap" gap={4}>
        <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
          <Tooltip label={t('popup.move')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-label={t('popup.move')}
              onPointerDown={onDragStart}
              style={{ cursor: 'grab', touchAction: 'none' }}
              data-testid="popup-grip"
            >
              <IconGripVertical size={14} />
            </ActionIcon>
          </Tooltip>
          <DirectionIcon size={18} color="var(--mantine-color-blue-6)" style={{ flexShrink: 0 }} />
          <div style={{ minWidth: 0 }}>
            <Text size="xs" c="dimmed" truncate>
              {ringing.direction === 'in' ? t('popup.incoming') : t('popup.outgoing')}
              {ringing.extension ? ` · ${t('popup.extension', { extension: ringing.extension })}` : ''}
            </Text>
            <Text fw={600} size="sm" truncate data-testid="popup-number">
              {minimised ? title : shownNumber}
            </Text>
          </div>
        </Group>
        <Group gap={0} wrap="nowrap">
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={() => setMinimised((m) => !m)}
            aria-label={minimised ? t('popup.expand') : t('popup.minimise')}
            data-testid={minimised ? 'popup-expand' : 'popup-minimise'}
          >
            {minimised ? <IconChevronDown size={16} /> : <IconChevronUp size={16} />}
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={onClose}
            aria-label={t('common.close')}
            data-testid="popup-close"
          >
            <IconX size={16} />
          </ActionIcon>
        </Group>
      </Group>

      <Group gap="xs" mt={6}>
        {card.phase === 'ringing' && (
          <Badge color="blue" variant="light" className="sb-ringing">
            {t('popup.ringing')}
          </Badge>
        )}
        {card.phase === 'inCall' && (
          <Badge color="green" variant="filled" data-testid="popup-in-call">
            {t('popup.inCall')} · {formatDuration(elapsed)}
          </Badge>
        )}
        {card.phase === 'answeredElsewhere' && (
          <Text size="sm" c="dimmed" data-testid="popup-answered-by">
            {t('popup.answeredBy', { name: card.answeredBy?.name ?? card.answeredBy?.extension ?? '—' })}
          </Text>
        )}
        {card.phase === 'ended' && card.ended && (
          <Badge color={callStatusColor(card.ended.status)} variant="light" data-testid="popup-outcome">
            {callStatusLabel(t, card.ended.status)}
            {card.ended.duration ? ` · ${formatDuration(card.ended.duration)}` : ''}
          </Badge>
        )}
        {ringing.clientE164 && <BlockNumberButton number={ringing.clientE164} compact />}
      </Group>

      {/* Minimised, the card keeps only its header line; the note and the wrap-up stay mounted (kept, not lost). */}
      <div style={minimised ? { display: 'none' } : undefined}>
        {/* Once a colleague has the call, the card only says so while it fades out. */}
        {(card.phase !== 'answeredElsewhere' || card.pinned) && (
          <>
            <Divider my="xs" />
            {ringing.contact ? (
              <>
                <CallContactSummary contact={ringing.contact} />
                <CallContactPicker
                  callId={card.callId}
                  number={ringing.clientE164 ?? ringing.clientNumber}
                  current={ringing.contact}
                  onContactLinked={onContactLinked}
                />
              </>
            ) : (
              <CallUnknownCaller
                number={number}
                callId={card.callId}
                me={me}
                onContactLinked={onContactLinked}
              />
            )}
          </>
        )}
        {card.mine && <CallNote callId={card.callId} />}
        {card.mine && card.phase === 'ended' && (
          <CallWrapUp
            callId={card.callId}
            contact={ringing.contact ? { id: ringing.contact.id, name: ringing.contact.displayName } : null}
            number={number}
            me={me}
            initialOutcome={card.ended?.wrapUp?.outcome ?? null}
            onDone={onClose}
          />
        )}
      </div>
    </Card>
  );
}
