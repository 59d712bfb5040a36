import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Divider,
  Group,
  Modal,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconAddressBook,
  IconPhoneIncoming,
  IconPhoneOutgoing,
  IconTargetArrow,
  IconUserPlus,
  IconX,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useReducer, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client.js';
import type { Contact, ContactCard, User } from '../api/types.js';
import { EntitySelect } from '../components/pickers.js';
import { useT } from '../i18n/useT.js';
import { formatDateTime, formatDuration, formatMoney } from '../lib/format.js';
import { callStatusColor, callStatusLabel } from '../live/call-labels.js';
import { autoCloseDelay, type CallCardState, reduceCallPopups } from '../live/call-popups.js';
import { useLiveEvent } from '../live/useLiveEvent.js';
import { LeadFormModal } from '../pages/leads/LeadForm.js';
import { useNow } from './useNow.js';

/** The live call cards (top right, stacked): who is calling, then the call itself. */
export function CallPopups({ user }: { user: User }) {
  const { t } = useT();
  const [cards, dispatch] = useReducer(reduceCallPopups, []);
  useLiveEvent('call.ringing', (event) => dispatch({ type: 'ringing', event }));
  useLiveEvent('call.answered', (event) =>
    dispatch({ type: 'answered', event, meId: user.id, now: Date.now() }),
  );
  useLiveEvent('call.ended', (event) => dispatch({ type: 'ended', event }));

  if (cards.length === 0) {
    return null;
  }
  return (
    <section
      className="sb-call-popups"
      data-testid="call-popups"
      aria-live="polite"
      aria-label={t('popup.region')}
    >
      {cards.map((card) => (
        <CallPopupCard
          key={card.pbxCallId}
          card={card}
          onClose={() => dispatch({ type: 'dismiss', pbxCallId: card.pbxCallId })}
        />
      ))}
    </section>
  );
}

function CallPopupCard({ card, onClose }: { card: CallCardState; onClose: () => void }) {
  const { t } = useT();
  const now = useNow();
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

  const { ringing } = card;
  const number = ringing.clientNumber || ringing.clientE164 || t('popup.hiddenNumber');
  const DirectionIcon = ringing.direction === 'in' ? IconPhoneIncoming : IconPhoneOutgoing;
  const since = card.answeredAt ?? Date.parse(ringing.startedAt);
  const elapsed = Number.isFinite(since) ? Math.max(0, Math.round((now - since) / 1000)) : null;

  return (
    <Card
      withBorder
      shadow="lg"
      radius="md"
      padding="sm"
      data-testid="call-popup"
      data-phase={card.phase}
      data-pbx-call-id={card.pbxCallId}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <DirectionIcon size={18} color="var(--mantine-color-blue-6)" />
          <div style={{ minWidth: 0 }}>
            <Text size="xs" c="dimmed">
              {ringing.direction === 'in' ? t('popup.incoming') : t('popup.outgoing')} ·{' '}
              {t('popup.extension', { extension: ringing.extension })}
            </Text>
            <Text fw={600} size="sm" truncate data-testid="popup-number">
              {number}
            </Text>
          </div>
        </Group>
        <ActionIcon variant="subtle" color="gray" onClick={onClose} aria-label={t('common.close')}>
          <IconX size={16} />
        </ActionIcon>
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
      </Group>

      {/* Once a colleague has the call, the card only says so while it fades out. */}
      {card.phase !== 'answeredElsewhere' && (
        <>
          <Divider my="xs" />
          {ringing.contact ? <ContactSummary contact={ringing.contact} /> : <UnknownCaller number={number} />}
        </>
      )}

      {card.mine && <CallNote callId={card.callId} />}
    </Card>
  );
}

function ContactSummary({ contact }: { contact: ContactCard }) {
  const { t, locale } = useT();
  return (
    <Stack gap={4} data-testid="popup-contact">
      <Group gap="xs" wrap="nowrap">
        <Anchor component={Link} to={`/contacts/${contact.id}`} fw={600} data-testid="popup-contact-name">
          {contact.displayName}
        </Anchor>
        {contact.doNotCall && (
          <Badge color="red" size="xs" variant="light">
            {t('contact.doNotCall')}
          </Badge>
        )}
      </Group>
      {contact.company && (
        <Anchor component={Link} to={`/companies/${contact.company.id}`} size="sm">
          {contact.company.name}
        </Anchor>
      )}
      {contact.responsibleUser && (
        <Text size="xs" c="dimmed">
          {t('common.responsible')}: {contact.responsibleUser.name}
        </Text>
      )}
      {contact.openDeals.length > 0 && (
        <Section title={t('popup.openDeals')}>
          {contact.openDeals.slice(0, 3).map((deal) => (
            <Group key={deal.id} justify="space-between" gap="xs" wrap="nowrap">
              <Anchor component={Link} to={`/deals/${deal.id}`} size="sm" truncate>
                {deal.title}
              </Anchor>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(deal.amount, deal.currency, locale)} · {deal.stageName}
              </Text>
            </Group>
          ))}
        </Section>
      )}
      {contact.openTasks.length > 0 && (
        <Section title={t('popup.openTasks')}>
          {contact.openTasks.slice(0, 3).map((task) => (
            <Text key={task.id} size="sm" truncate>
              {task.title}
              {task.dueAt && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {formatDateTime(task.dueAt, locale)}
                </Text>
              )}
            </Text>
          ))}
        </Section>
      )}
      {contact.lastCalls.length > 0 && (
        <Section title={t('popup.lastCalls')}>
          {contact.lastCalls.slice(0, 3).map((call) => (
            <Text key={call.id} size="xs">
              {call.direction === 'in' ? '↙' : '↗'} {formatDateTime(call.startedAt, locale)} ·{' '}
              {callStatusLabel(t, call.status)}
              {call.duration ? ` · ${formatDuration(call.duration)}` : ''}
            </Text>
          ))}
        </Section>
      )}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt={4}>
        {title}
      </Text>
      {children}
    </div>
  );
}

/** An unknown caller: create a contact or a lead from the number, or add it to an existing contact. */
function UnknownCaller({ number }: { number: string }) {
  const { t } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [leadOpen, setLeadOpen] = useState(false);
  const [pickOpen, setPickOpen] = useState(false);
  const [contactId, setContactId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [linked, setLinked] = useState<{ id: string; name: string } | null>(null);

  async function addToContact() {
    if (!contactId) {
      return;
    }
    setSaving(true);
    try {
      const contact = await api.get<Contact>(`/contacts/${contactId}`);
      const phones = [
        ...contact.phones.map((p) => ({ raw: p.raw, label: p.label })),
        { raw: number, label: 'mobile' },
      ];
      const saved = await api.patch<Contact>(`/contacts/${contactId}`, { phones });
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      setLinked({ id: saved.id, name: saved.displayName });
      setPickOpen(false);
      notifications.show({ color: 'green', message: t('popup.numberAdded', { name: saved.displayName }) });
    } catch (error) {
      notifications.show({ color: 'red', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setSaving(false);
    }
  }

  if (linked) {
    return (
      <Anchor component={Link} to={`/contacts/${linked.id}`} fw={600}>
        {linked.name}
      </Anchor>
    );
  }
  return (
    <Stack gap={6} data-testid="popup-unknown">
      <Text size="sm" c="dimmed">
        {t('popup.unknown')}
      </Text>
      <Group gap={6}>
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconUserPlus size={14} />}
          onClick={() => navigate(`/contacts/new?phone=${encodeURIComponent(number)}`)}
          data-testid="popup-create-contact"
        >
          {t('popup.createContact')}
        </Button>
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconTargetArrow size={14} />}
          onClick={() => setLeadOpen(true)}
        >
          {t('popup.createLead')}
        </Button>
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconAddressBook size={14} />}
          onClick={() => setPickOpen(true)}
        >
          {t('popup.addToContact')}
        </Button>
      </Group>
      {leadOpen && (
        <LeadFormModal
          onClose={() => setLeadOpen(false)}
          onSaved={(lead) => navigate(`/leads/${lead.id}`)}
          initial={{ title: t('popup.leadTitle', { number }), source: 'call', notes: number }}
        />
      )}
      <Modal
        opened={pickOpen}
        onClose={() => setPickOpen(false)}
        title={t('popup.addToContactTitle', { number })}
      >
        <Stack>
          <EntitySelect
            entity="contacts"
            label={t('lead.contact')}
            value={contactId}
            onChange={setContactId}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPickOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button onClick={() => void addToContact()} loading={saving} disabled={!contactId}>
              {t('popup.addNumber')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** The note written during the call, saved on the call as the agent types (debounced). */
function CallNote({ callId }: { callId: string }) {
  const { t } = useT();
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'error'>('idle');
  const save = useDebouncedCallback(
    async (value: string) => {
      setState('saving');
      try {
        await api.patch(`/calls/${callId}`, { note: value });
        setState('saved');
      } catch {
        setState('error');
      }
      // Flushed on unmount so closing the card right after typing keeps the last words.
    },
    { delay: 600, flushOnUnmount: true },
  );
  return (
    <Stack gap={2} mt="xs">
      <Textarea
        size="xs"
        autosize
        minRows={2}
        maxRows={6}
        placeholder={t('popup.notePlaceholder')}
        aria-label={t('popup.notePlaceholder')}
        value={note}
        onChange={(event) => {
          setNote(event.currentTarget.value);
          save(event.currentTarget.value);
        }}
        data-testid="popup-note"
      />
      <Text
        size="xs"
        c={state === 'error' ? 'red' : 'dimmed'}
        h={16}
        data-testid="popup-note-state"
        data-state={state}
      >
        {state === 'saving'
          ? t('popup.noteSaving')
          : state === 'saved'
            ? t('popup.noteSaved')
            : state === 'error'
              ? t('popup.noteError')
              : ''}
      </Text>
    </Stack>
  );
}
