import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Modal,
  Progress,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconCheck, IconDownload, IconFileTypeCsv } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, uploadWithProgress } from '../../api/client.js';
import type { ImportPreview, ImportResult } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useT } from '../../i18n/useT.js';
import { formatNumber } from '../../lib/format.js';
import { MAX_IMPORT_BYTES, previewCell, rejectedRowsCsv } from './csv-import.js';

// The server's import fields (GET /api/docs: csv). Shown in this order; the server's detected mapping fills them.
const TARGET_FIELDS = [
  'firstName',
  'lastName',
  'displayName',
  'company',
  'phone',
  'mobile',
  'email',
  'notes',
] as const;

/** CSV import in three steps: choose a file, check the preview and column mapping, import and read the report. */
export function CsvImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState('');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [localError, setLocalError] = useState<string | null>(null);

  const preview = useMutation({
    mutationFn: (text: string) =>
      api.post<ImportPreview>('/contacts/import/preview', text, { contentType: 'text/csv' }),
    onSuccess: (result) => setMapping(result.mapping),
  });
  const [uploaded, setUploaded] = useState(0);
  const run = useMutation({
    mutationFn: () => {
      setUploaded(0);
      return uploadWithProgress<ImportResult>('/contacts/import', csv, {
        contentType: 'text/csv',
        query: { mapping: JSON.stringify(mapping) },
        onProgress: setUploaded,
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['contacts'] }),
  });

  function reset() {
    setFile(null);
    setCsv('');
    setMapping({});
    setLocalError(null);
    preview.reset();
    run.reset();
  }

  async function choose(next: File | null) {
    reset();
    setFile(next);
    if (!next) {
      return;
    }
    if (next.size > MAX_IMPORT_BYTES) {
      setLocalError(
        t('import.tooLarge', { size: formatNumber(Math.round(next.size / 1024 / 1024), locale) }),
      );
      return;
    }
    const text = await next.text();
    setCsv(text);
    preview.mutate(text);
  }

  const data = preview.data;
  const fields = [...new Set([...TARGET_FIELDS, ...Object.keys(data?.mapping ?? {})])];
  const result = run.data;

  return (
    <Modal
      opened={opened}
      onClose={() => {
        reset();
        onClose();
      }}
      title={<Text fw={600}>{t('import.title')}</Text>}
      size="xl"
    >
      <Stack gap="md">
        <FileInput
          label={t('import.file')}
          description={t('import.fileHint')}
          placeholder={t('import.choose')}
          accept=".csv,text/csv"
          leftSection={<IconFileTypeCsv size={18} />}
          value={file}
          onChange={(next) => void choose(next)}
          clearable
          data-testid="import-file"
          disabled={run.isPending}
        />
        {localError && (
          <Alert color="red" role="alert">
            {localError}
          </Alert>
        )}
        <ErrorAlert error={preview.error} />
        {preview.isPending && <Progress value={100} animated striped />}
        {data && !result && (
          <>
            <Group gap="xs">
              <Badge variant="light">
                {t('import.rows', { count: data.total, formatted: formatNumber(data.total, locale) })}
              </Badge>
              {data.errors.length > 0 && (
                <Badge color="orange" variant="light">
                  {t('import.problems', { count: data.errors.length })}
                </Badge>
              )}
            </Group>
            <div>
              <Text fw={600} size="sm" mb={4}>
                {t('import.mapping')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                {fields.map((field) => (
                  <Select
                    key={field}
                    label={t(`import.field.${field}`)}
                    data={data.columns}
                    value={mapping[field] ?? null}
                    onChange={(value) =>
                      setMapping((current) => {
                        const next = { ...current };
                        if (value) {
                          next[field] = value;
                        } else {
                          delete next[field];
                        }
                        return next;
                      })
                    }
                    clearable
                    size="xs"
                  />
                ))}
              </SimpleGrid>
            </div>
            <ScrollArea.Autosize mah={260}>
              <Table striped withTableBorder fz="xs" data-testid="import-preview">
                <Table.Thead>
                  <Table.Tr>
                    {data.columns.map((column) => (
                      <Table.Th key={column}>{column}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.rows.map((row, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity but their position
                    <Table.Tr key={index}>
                      {data.columns.map((column, col) => (
                        <Table.Td key={column}>{previewCell(row, column, col)}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {data.errors.length > 0 && <RowProblems problems={data.errors} />}
          </>
        )}
        {run.isPending && (
          <Stack gap={4} data-testid="import-progress">
            {uploaded < 1 ? (
              <>
                <Text size="sm">{t('import.uploading', { percent: Math.round(uploaded * 100) })}</Text>
                <Progress
                  value={uploaded * 100}
                  aria-label={t('import.uploading', { percent: Math.round(uploaded * 100) })}
                />
              </>
            ) : (
              <>
                <Text size="sm">{t('import.processing', { count: data?.total ?? 0 })}</Text>
                <Progress
                  value={100}
                  animated
                  striped
                  aria-label={t('import.processing', { count: data?.total ?? 0 })}
                />
              </>
            )}
          </Stack>
        )}
        <ErrorAlert error={run.error} />
        {result && (
          <Stack gap="sm" data-testid="import-result">
            <Alert color={result.rejected.length ? 'orange' : 'green'} icon={<IconCheck size={18} />}>
              {t('import.done', { imported: result.imported, rejected: result.rejected.length })}
            </Alert>
            {result.rejected.length > 0 && (
              <>
                <RowProblems problems={result.rejected} />
                <Group>
                  <Button
                    variant="default"
                    size="xs"
                    leftSection={<IconDownload size={14} />}
                    component="a"
                    href={`data:text/csv;charset=utf-8,${encodeURIComponent(rejectedRowsCsv(result.rejected))}`}
                    download="rejected-rows.csv"
                  >
                    {t('import.downloadRejected')}
                  </Button>
                </Group>
              </>
            )}
          </Stack>
        )}
        <Group justify="flex-end">
          {result ? (
            <Button
              onClick={() => {
                reset();
                onClose();
              }}
            >
              {t('common.close')}
            </Button>
          ) : (
            <Button
              disabled={!data || run.isPending || Object.keys(mapping).length === 0}
              loading={run.isPending}
              onClick={() => run.mutate()}
              data-testid="import-run"
            >
              {t('import.run', { count: data?.total ?? 0 })}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

function RowProblems({ problems }: { problems: { row: number; message: string }[] }) {
  const { t } = useT();
  return (
    <ScrollArea.Autosize mah={180}>
      <Table fz="xs" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>{t('import.row')}</Table.Th>
            <Table.Th>{t('import.problem')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((problem) => (
            <Table.Tr key={`${problem.row}:${problem.message}`}>
              <Table.Td>{problem.row}</Table.Td>
              <Table.Td>{problem.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
