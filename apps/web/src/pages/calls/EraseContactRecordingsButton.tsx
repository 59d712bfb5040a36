import { Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconMicrophoneOff } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { paths } from '../../api/generated/openapi.js';
import { useMe } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useT } from '../../i18n/useT.js';

type ErasureReport =
  paths['/api/contacts/{id}/recordings/erase']['post']['responses'][200]['content']['application/json'];

/**
 * Admins: erase every recording of a contact's calls, here and at Zadarma (the right to be forgotten), after a
 * confirmation, then show what was done.
 */
export function EraseContactRecordingsButton({ contactId }: { contactId: string }) {
  const { t } = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const erase = useMutation({
    mutationFn: () => api.post<ErasureReport>(`/contacts/${encodeURIComponent(contactId)}/recordings/erase`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['calls'] });
    },
  });
  if (me.data?.role !== 'admin') {
    return null;
  }
  const report = erase.data;
  const close = () => {
    setOpen(false);
    erase.reset();
  };
  return (
    <>
      <Button
        variant="subtle"
        color="red"
        leftSection={<IconMicrophoneOff size={16} />}
        onClick={() => setOpen(true)}
        data-testid="erase-recordings"
      >
        {t('rec.erase')}
      </Button>
      <Modal opened={open} onClose={close} title={t('rec.eraseTitle')} centered>
        <Stack gap="sm">
          {!report && <Text size="sm">{t('rec.eraseBody')}</Text>}
          <ErrorAlert error={erase.error} />
          {report && (
            <Table data-testid="erase-report">
              <Table.Tbody>
                {(
                  [
                    ['rec.report.recordings', report.recordings],
                    ['rec.report.ours', report.ourCopiesDeleted],
                    ['rec.report.zadarma', report.zadarmaDeleted],
                    ['rec.report.absent', report.zadarmaAbsent],
                    ['rec.report.held', report.heldBack],
                    ['rec.report.failed', report.failed],
                  ] as const
                ).map(([id, count]) => (
                  <Table.Tr key={id}>
                    <Table.Td>{t(id)}</Table.Td>
                    <Table.Td ta="right" fw={600}>
                      {count}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group justify="flex-end">
            {report ? (
              <Button onClick={close} data-testid="erase-close">
                {t('common.close')}
              </Button>
            ) : (
              <>
                <Button variant="default" onClick={close}>
                  {t('common.cancel')}
                </Button>
                <Button
                  color="red"
                  loading={erase.isPending}
                  onClick={() => erase.mutate()}
                  data-testid="erase-confirm"
                >
                  {t('rec.eraseConfirm')}
                </Button>
              </>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
