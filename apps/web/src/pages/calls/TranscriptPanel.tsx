import { Badge, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { paths } from '../../api/generated/openapi.js';
import { useT } from '../../i18n/useT.js';

type Transcript = paths['/api/calls/{id}/transcript']['get']['responses'][200]['content']['application/json'];

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * Zadarma's transcript of the call beside its audio, phrase by phrase with the speaker; a phrase seeks the player
 * to where it was said. Nothing is shown where Zadarma made no transcript.
 */
export function TranscriptPanel({ callId, audio }: { callId: string; audio: HTMLAudioElement | null }) {
  const { t } = useT();
  const transcript = useQuery({
    queryKey: ['calls', callId, 'transcript'],
    queryFn: ({ signal }) =>
      api.get<Transcript>(`/calls/${encodeURIComponent(callId)}/transcript`, undefined, signal),
  });
  if (!transcript.data?.available) {
    return null;
  }
  return (
    <Stack gap={4} data-testid="transcript">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">
        {t('rec.transcript')}
      </Text>
      {transcript.data.phrases.map((phrase) => (
        <UnstyledButton
          key={`${phrase.channel}-${phrase.start}`}
          onClick={() => {
            if (audio) {
              audio.currentTime = phrase.start;
            }
          }}
          data-testid="transcript-phrase"
        >
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="xs" c="dimmed" ff="monospace" w={36} ta="right">
              {clock(phrase.start)}
            </Text>
            <Badge size="xs" variant="light" color={phrase.speaker === 'agent' ? 'teal' : 'grape'} w={64}>
              {t(phrase.speaker === 'agent' ? 'rec.speaker.agent' : 'rec.speaker.client')}
            </Badge>
            <Text size="sm">{phrase.text}</Text>
          </Group>
        </UnstyledButton>
      ))}
    </Stack>
  );
}
