import { Alert, Anchor, Box, Group, Loader, Stack, Switch, Text } from '@mantine/core';
import { IconDownload, IconMicrophoneOff, IconPlayerPlay } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client.js';
import type { paths } from '../../api/generated/openapi.js';
import { useMe } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useT } from '../../i18n/useT.js';
import { TranscriptPanel } from './TranscriptPanel.js';

type RecordingSummary =
  paths['/api/calls/{id}/recording/summary']['get']['responses'][200]['content']['application/json'];

/**
 * The waveform over the native player: wavesurfer.js is loaded only when a recording is shown, and drives the same
 * `<audio>` element, so play, pause and seeking (HTTP Range on our endpoint) stay the browser's own.
 */
function Waveform({ audio, label }: { audio: HTMLAudioElement | null; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!audio || !container.current) {
      return;
    }
    let destroyed = false;
    let destroy: (() => void) | null = null;
    void import('wavesurfer.js').then(({ default: WaveSurfer }) => {
      if (destroyed || !container.current) {
        return;
      }
      const surfer = WaveSurfer.create({
        container: container.current,
        media: audio,
        height: 56,
        waveColor: '#94d3c5',
        progressColor: '#0c8599',
        cursorColor: '#0b7285',
        barWidth: 2,
        barGap: 1,
        normalize: true,
        dragToSeek: true,
        fetchParams: { credentials: 'same-origin' },
      });
      destroy = () => surfer.destroy();
    });
    return () => {
      destroyed = true;
      destroy?.();
    };
  }, [audio]);
  return <Box ref={container} aria-label={label} data-testid="recording-waveform" />;
}

/**
 * A call's recording: waveform, player with seeking, download — all through our own endpoint, which checks who may
 * listen and writes the audit. A call without a playable recording says so instead of showing a broken player.
 * @public the call's page (`/calls/:id`, being built beside this) mounts it; the contact timeline uses the toggle below.
 */
export function CallRecordingPanel({ callId }: { callId: string }) {
  const { t } = useT();
  const summary = useQuery({
    queryKey: ['calls', callId, 'recording'],
    queryFn: ({ signal }) =>
      api.get<RecordingSummary>(`/calls/${encodeURIComponent(callId)}/recording/summary`, undefined, signal),
  });
  const me = useMe();
  const queryClient = useQueryClient();
  const hold = useMutation({
    mutationFn: (next: boolean) =>
      api.put<{ legalHold: boolean }>(`/calls/${encodeURIComponent(callId)}/recording/legal-hold`, {
        hold: next,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['calls', callId, 'recording'] }),
  });
  // The element as state (not a ref): the waveform attaches once it is mounted.
  const [audio, setAudio] = useState<HTMLAudioElement | null>(null);
  if (summary.isPending) {
    return <Loader size="sm" />;
  }
  if (!summary.data) {
    return <ErrorAlert error={summary.error} />;
  }
  if (!summary.data.available) {
    return (
      <Group gap="xs" c="dimmed" data-testid="recording-none">
        <IconMicrophoneOff size={16} />
        <Text size="sm">{summary.data.status === 'failed' ? t('rec.failed') : t('rec.none')}</Text>
      </Group>
    );
  }
  const src = `/api/calls/${encodeURIComponent(callId)}/recording`;
  return (
    <Stack gap={6} data-testid="recording-panel">
      <Waveform audio={audio} label={t('rec.waveform')} />
      <Group gap="sm" wrap="nowrap">
        {/* biome-ignore lint/a11y/useMediaCaption: call recordings have no captions; the transcript is shown beside them */}
        <audio
          ref={setAudio}
          controls
          preload="metadata"
          src={src}
          aria-label={t('rec.player')}
          data-testid="recording-audio"
          style={{ flex: 1, minWidth: 0, height: 36 }}
        />
        <Anchor href={`${src}?download=1`} size="sm" data-testid="recording-download">
          <Group gap={4} wrap="nowrap">
            <IconDownload size={16} />
            {t('rec.download')}
          </Group>
        </Anchor>
      </Group>
      {me.data?.role === 'admin' && (
        <Switch
          size="xs"
          label={t('rec.legalHold')}
          description={t('rec.legalHoldHelp')}
          checked={summary.data.legalHold}
          disabled={hold.isPending}
          onChange={(event) => hold.mutate(event.currentTarget.checked)}
          data-testid="recording-legal-hold"
        />
      )}
      <ErrorAlert error={hold.error} />
      <TranscriptPanel callId={callId} audio={audio} />
      {summary.data.status === 'pending' && (
        <Alert color="gray" variant="light" p="xs">
          <Text size="xs">{t('rec.pending')}</Text>
        </Alert>
      )}
    </Stack>
  );
}

/**
 * A "Recording" toggle that opens the panel in place (the contact's timeline lists many calls: nothing is fetched
 * for a call until its recording is asked for).
 */
export function CallRecordingToggle({ callId }: { callId: string }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap={4} mt={4}>
      <Anchor
        component="button"
        type="button"
        size="xs"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        data-testid="recording-toggle"
      >
        <Group gap={4} wrap="nowrap">
          <IconPlayerPlay size={14} />
          {t('rec.listen')}
        </Group>
      </Anchor>
      {open && <CallRecordingPanel callId={callId} />}
    </Stack>
  );
}
