import { ActionIcon, Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Pipeline, Stage } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useT } from '../../i18n/useT.js';

type Draft = { key: string; id?: string; name: string; kind: Stage['kind'] };

/**
 * An administrator's editor of a pipeline's stages: rename, reorder, add, remove, saved at once. Removing a
 * stage that still holds deals is refused by the server, said in the user's language.
 */
export function StagesEditor({ pipeline, onClose }: { pipeline: Pipeline; onClose: () => void }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [stages, setStages] = useState<Draft[]>(
    pipeline.stages.map((s) => ({ key: s.id, id: s.id, name: s.name, kind: s.kind })),
  );
  const save = useMutation({
    mutationFn: () =>
      api.put<Pipeline>(`/pipelines/${pipeline.id}/stages`, {
        stages: stages.map((s) => ({ ...(s.id ? { id: s.id } : {}), name: s.name.trim(), kind: s.kind })),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['pipelines'] });
      await queryClient.invalidateQueries({ queryKey: ['deals'] });
      notifications.show({ color: 'green', message: t('common.saved') });
      onClose();
    },
  });
  const update = (index: number, change: Partial<Draft>) =>
    setStages((all) => all.map((s, i) => (i === index ? { ...s, ...change } : s)));
  const move = (index: number, by: number) =>
    setStages((all) => {
      const next = [...all];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item as Draft);
      return next;
    });
  const kinds = (['open', 'won', 'lost'] as const).map((kind) => ({
    value: kind,
    label: t(`stage.kind.${kind}`),
  }));

  return (
    <Modal opened onClose={onClose} title={t('stage.editTitle', { pipeline: pipeline.name })} size="lg">
      <Stack gap="xs">
        <ErrorAlert error={save.error} />
        {stages.map((stage, index) => (
          <Group key={stage.key} gap="xs" wrap="nowrap" data-testid="stage-row">
            <TextInput
              style={{ flex: 1 }}
              aria-label={t('deal.stage')}
              value={stage.name}
              onChange={(event) => update(index, { name: event.currentTarget.value })}
            />
            <Select
              w={130}
              aria-label={t('stage.kind')}
              data={kinds}
              value={stage.kind}
              allowDeselect={false}
              onChange={(value) => value && update(index, { kind: value as Stage['kind'] })}
            />
            <ActionIcon
              variant="subtle"
              aria-label={t('stage.up')}
              disabled={index === 0}
              onClick={() => move(index, -1)}
            >
              <IconArrowUp size={16} />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              aria-label={t('stage.down')}
              disabled={index === stages.length - 1}
              onClick={() => move(index, 1)}
            >
              <IconArrowDown size={16} />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('common.remove')}
              disabled={stages.length === 1}
              onClick={() => setStages((all) => all.filter((_, i) => i !== index))}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group justify="space-between" mt="sm">
          <Button
            variant="subtle"
            leftSection={<IconPlus size={16} />}
            onClick={() =>
              setStages((all) => [...all, { key: `new-${Date.now()}-${all.length}`, name: '', kind: 'open' }])
            }
            data-testid="stage-add"
          >
            {t('stage.add')}
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={save.isPending}
              disabled={stages.some((s) => !s.name.trim())}
              onClick={() => save.mutate()}
              data-testid="stages-save"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
