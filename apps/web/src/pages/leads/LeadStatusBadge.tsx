import { Badge } from '@mantine/core';
import type { LeadStatus } from '../../api/types.js';
import { useT } from '../../i18n/useT.js';

const COLORS: Record<LeadStatus, string> = {
  new: 'blue',
  contacted: 'cyan',
  qualified: 'teal',
  lost: 'gray',
  converted: 'green',
};

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useT();
  return (
    <Badge color={COLORS[status]} variant="light">
      {t(`lead.status.${status}`)}
    </Badge>
  );
}
