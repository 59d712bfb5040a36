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
  'deal.stageChanged': ['timeline.event.dealStageChanged', ['title', 'stage']],
  'task.created': ['timeline.event.taskCreated', ['title']],
  'task.done': ['timeline.event.taskDone', ['title']],
  'call.routing': ['timeline.event.callRouting', []],
  'call.linked': ['timeline.event.callLinked', ['name']],
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
    case 'call.outcome':
      return typeof params.outcome === 'string'
        ? t('timeline.event.callOutcome', { outcome: t(`outcome.${params.outcome}`) })
        : null;
    default:
      if (type.startsWith('call.routing.')) {
        return routingText(t, type.slice('call.routing.'.length), params);
      }
      return afterCallText(t, type, params);
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

// The NOTIFY_START decision's steps (server: domain/routing-policy.ts, one trace item per step taken or skipped).
const ROUTING_CODES = new Set([
  'hidden',
  'blacklisted',
  'blacklistOff',
  'unknownCaller',
  'knownCaller',
  'routingOff',
  'stepNone',
  'noExtension',
  'badExtension',
  'offline',
  'outsideHours',
  'routed',
  'pbxScenario',
  'callerName',
  'noCallerName',
  'budgetSpent',
  'timeout',
  'lookupFailed',
]);
const ROUTING_STEPS = new Set(['deal', 'lead', 'contact', 'lastAgent', 'defaultResponsible']);

function routingText(t: Translate, code: string, params: Params): string | null {
  if (!ROUTING_CODES.has(code)) {
    return null;
  }
  const step = typeof params.step === 'string' && ROUTING_STEPS.has(params.step) ? params.step : null;
  return t(`timeline.routing.${code}`, {
    ...params,
    // "the open deal's owner (Olga)" — the step in the reader's language, the user's name as it was.
    owner: step ? t(`tel.routing.owner.${step}`) : '',
    user: params.user || '—',
    action: params.action === 'hangup' ? t('tel.blacklist.action.hangup') : t('tel.blacklist.action.busy'),
  });
}

// After the call (issue 12): decisions on a call's trace, by code → message id and the params it needs.
const AFTER_CALL: Record<string, readonly [string, readonly string[]]> = {
  'callback.task_opened': ['trace.callback.opened', ['owner', 'dueAt']],
  'callback.task_grouped': ['trace.callback.grouped', ['missedCalls']],
  'callback.task_closed': ['trace.callback.closed', ['direction', 'answeredAt']],
  'callback.task_escalated': ['trace.callback.escalated', ['assignee']],
  'callback.not_escalated': ['trace.callback.notEscalated', ['reason']],
  'new_caller.created': ['trace.newCaller.created', ['recordType']],
  'new_caller.inbox': ['trace.newCaller.inbox', []],
  'new_caller.spam_hint': ['trace.newCaller.spam', ['shortCalls']],
  'new_caller.own_number': ['trace.newCaller.ownNumber', []],
  'new_caller.blacklisted': ['trace.newCaller.blacklisted', []],
  'new_caller.no_rule': ['trace.newCaller.noRule', []],
  'new_caller.already_decided': ['trace.newCaller.decided', ['status']],
};

const OWNER_SOURCES = new Set(['deal', 'lead', 'contact', 'default', 'nobody']);
const RECORD_TYPES = new Set(['contact', 'lead', 'deal']);
const DECIDED = new Set(['created', 'accepted', 'merged', 'declined']);

/** An after-call decision in the reader's language ("task closed — client answered our call at 14:03"). */
function afterCallText(t: Translate, type: string, params: Params): string | null {
  const known = AFTER_CALL[type];
  if (!known) {
    return null;
  }
  const [id, needs] = known;
  if (!needs.every((name) => params[name] !== undefined)) {
    return null;
  }
  const values: Record<string, unknown> = { ...params };
  switch (type) {
    case 'callback.task_opened':
      values.owner = t(`trace.owner.${OWNER_SOURCES.has(String(params.owner)) ? params.owner : 'nobody'}`);
      values.assignee = params.assignee ?? t('tel.nobody');
      break;
    case 'callback.task_closed':
      values.direction = params.direction === 'out' ? 'out' : 'in';
      break;
    case 'callback.not_escalated':
      values.reason = t(
        params.reason === 'already_default' ? 'trace.callback.alreadyDefault' : 'trace.callback.noDefault',
      );
      break;
    case 'new_caller.created':
      if (!RECORD_TYPES.has(String(params.recordType))) {
        return null;
      }
      values.recordType = t(`tasks.subject.${params.recordType}`);
      break;
    case 'new_caller.already_decided':
      values.status = t(
        `newCallers.status.${DECIDED.has(String(params.status)) ? params.status : 'created'}`,
      );
      break;
    default:
      break;
  }
  return t(id, values);
}
