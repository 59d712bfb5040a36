import type { TimelineItem } from '../api/types.js';
import { formatDuration } from '../lib/format.js';

type Translate = (id: string, values?: Record<string, unknown>) => string;
type Params = Record<string, string | number>;

// Events whose message takes the params as they are: type → [message id, params it needs].
const SIMPLE: Record<string, readonly [string, readonly string[]]> = {
  'contact.created': ['timeline.event.contactCreated', ['name']],
  'contact.imported': ['timeline.event.contactImported', ['name']],
  'contact.merged': ['timeline.event.contactMerged', ['name']],
  'company.created': ['timeline.event.companyCreated', ['name']],
  'lead.created': ['timeline.event.leadCreated', ['title']],
  'lead.linked': ['timeline.event.leadLinked', ['title']],
  'deal.created': ['timeline.event.dealCreated', ['title', 'stage']],
  'deal.linked': ['timeline.event.dealLinked', ['title', 'stage']],
  'task.created': ['timeline.event.taskCreated', ['title']],
  'task.done': ['timeline.event.taskDone', ['title']],
  'call.routing': ['timeline.event.callRouting', []],
};

// API field names (as in "Changed a, b") → the `timeline.field.*` message that names them.
const FIELDS: Record<string, string> = {
  firstName: 'firstName',
  lastName: 'lastName',
  displayName: 'displayName',
  phones: 'phones',
  emails: 'emails',
  phone: 'phone',
  company: 'company',
  companyId: 'company',
  responsible: 'responsible',
  responsibleUserId: 'responsible',
  notes: 'notes',
  doNotCall: 'doNotCall',
  title: 'title',
  name: 'name',
  amount: 'amount',
  currency: 'currency',
  pipelineId: 'pipeline',
  stage: 'stage',
  stageId: 'stage',
  status: 'status',
  contactId: 'contact',
  website: 'website',
  address: 'address',
  source: 'source',
  expectedCloseDate: 'expectedCloseDate',
};

const LEAD_STATUSES = new Set(['new', 'contacted', 'qualified', 'converted', 'lost']);

const CALL_OUTCOMES: Record<string, string> = {
  answered: 'timeline.call.answered',
  missed: 'timeline.call.missed',
  no_answer: 'timeline.call.noAnswer',
  busy: 'timeline.call.busy',
  failed: 'timeline.call.failed',
};

/**
 * A timeline item's title in the reader's language, from its structured `event`.
 * Why: the server's `title` is English; it stays the fallback for old items and event types we don't know.
 */
export function timelineTitle(t: Translate, item: Pick<TimelineItem, 'title' | 'event'>): string {
  const event = item.event;
  if (!event) {
    return item.title;
  }
  return eventText(t, event.type, event.params) ?? item.title;
}

function eventText(t: Translate, type: string, params: Params): string | null {
  const simple = SIMPLE[type];
  if (simple) {
    const [id, needs] = simple;
    return needs.every((name) => params[name] !== undefined) ? t(id, params) : null;
  }
  switch (type) {
    case 'record.changed':
      return changedText(t, params);
    case 'lead.status':
      return leadStatusText(t, params);
    case 'call.ended':
      return callText(t, params);
    default:
      return null;
  }
}

function changedText(t: Translate, params: Params): string | null {
  if (typeof params.fields !== 'string') {
    return null;
  }
  const names = params.fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const fields = names
    .map((name) => {
      const id = FIELDS[name];
      return id ? t(`timeline.field.${id}`) : name;
    })
    .join(', ');
  return t('timeline.event.changed', { fields, count: names.length });
}

function leadStatusText(t: Translate, params: Params): string | null {
  const { title, status } = params;
  if (title === undefined || typeof status !== 'string') {
    return null;
  }
  return t('timeline.event.leadStatus', {
    title,
    status: LEAD_STATUSES.has(status) ? t(`lead.status.${status}`) : status,
  });
}

function callText(t: Translate, params: Params): string | null {
  const direction = params.direction === 'out' ? 'out' : 'in';
  const status = String(params.status ?? '');
  const agent =
    params.agent !== undefined
      ? String(params.agent)
      : params.extension !== undefined
        ? t('timeline.call.extension', { extension: params.extension })
        : null;
  let text: string;
  if (status === 'answered' && agent) {
    text = t('timeline.call.answeredBy', { direction, agent });
  } else {
    const id = CALL_OUTCOMES[status] ?? 'timeline.call.other';
    text = t(id, { direction, disposition: params.disposition ?? t('call.status.unknown') });
  }
  return status === 'answered' && typeof params.duration === 'number'
    ? `${text}, ${formatDuration(params.duration)}`
    : text;
}
