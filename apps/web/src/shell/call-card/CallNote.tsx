import { Stack, Text, Textarea } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { CallView } from '../../api/types.js';
import { useT } from '../../i18n/useT.js';

/** The note written during the call, saved on the call as the agent types (debounced); it shows on the timeline. */
export function CallNote({ callId }: { callId: string }) {
  const { t } = useT();
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'error'>('idle');
  // After a reload or in a second tab, the note already written comes back (what the agent types wins).
  useEffect(() => {
    let current = true;
    api.get<CallView>(`/calls/${callId}`).then(
      (call) => {
        if (current && call.note) {
          setNote((typed) => typed || call.note);
        }
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [callId]);
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
