import { Button, Card, Grid, Stack } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { SubjectType } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { DeleteButton } from './DeleteButton.js';
import { PageHeader } from './PageHeader.js';
import { SubjectTasks } from './TaskList.js';
import { RecordTimeline } from './Timeline.js';

type RecordEntity = 'companies' | 'leads' | 'deals';

const SUBJECT: Record<RecordEntity, SubjectType> = {
  companies: 'company',
  leads: 'lead',
  deals: 'deal',
};

export interface RecordLayoutProps {
  entity: RecordEntity;
  id: string;
  title: ReactNode;
  subtitle?: ReactNode;
  /** Name shown in the delete confirmation. */
  deleteName: string;
  onEdit: () => void;
  /** Buttons before Edit, e.g. "Convert" on a lead. */
  actions?: ReactNode;
  /** Content of the details card. */
  details: ReactNode;
  /** Cards between the details card and the tasks. */
  extra?: ReactNode;
  /** Rendered after the layout, e.g. the edit modal. */
  children?: ReactNode;
}

/**
 * A record page: header with edit and delete, details card, tasks, and the timeline beside them.
 * Why: the company, lead and deal pages share this layout and behaviour.
 */
export function RecordLayout({
  entity,
  id,
  title,
  subtitle,
  deleteName,
  onEdit,
  actions,
  details,
  extra,
  children,
}: RecordLayoutProps) {
  const { t } = useT();
  return (
    <>
      <PageHeader
        title={title}
        subtitle={subtitle}
        actions={
          <>
            {actions}
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={onEdit}>
              {t('common.edit')}
            </Button>
            <DeleteButton
              entity={entity}
              id={id}
              body={t('common.deleteBody', { name: deleteName })}
              afterPath={`/${entity}`}
            />
          </>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Card withBorder radius="md" padding="lg">
              {details}
            </Card>
            {extra}
            <SubjectTasks subjectType={SUBJECT[entity]} subjectId={id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <RecordTimeline entity={entity} id={id} />
        </Grid.Col>
      </Grid>
      {children}
    </>
  );
}
