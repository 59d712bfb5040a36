/**
 * Every migration, in order. Names sort lexically; never edit one that has shipped — add a new one.
 * `dialect(db)` tells a migration which database it runs on when types differ.
 */
import type { Migration } from 'kysely';
import { migration0001Platform } from './0001-platform.js';
import { migration0002Crm } from './0002-crm.js';
import { migration0003Telephony } from './0003-telephony.js';
import { migration0004TelephonyOptions } from './0004-telephony-options.js';
import { migration0005CallIndexes } from './0005-call-indexes.js';
import { migration0006InboxRefusedMetadata } from './0006-inbox-refused-metadata.js';
import { migration0007InboxLeases } from './0007-inbox-leases.js';
import { migration0008Jobs } from './0008-jobs.js';
import { migration0009OneTelephonySettings } from './0009-one-telephony-settings.js';
import { migration0011CallLogAndRollups } from './0011-call-log-and-rollups.js';
import { migration0011CallRollupsByDayAndTeam } from './0011-call-rollups-by-day-and-team.js';
import { migration0012Recordings } from './0012-recordings.js';
import { migration0013CallHandling } from './0013-call-handling.js';
import { migration0014AfterCall } from './0014-after-call.js';
import { migration0015CallWorkspace } from './0015-call-workspace.js';
import { migration0016HistoryImport } from './0016-history-import.js';
import { migration0017MissedCallFates } from './0017-missed-call-fates.js';
import { migration0018ParkedTranscripts } from './0018-parked-transcripts.js';
import { migration0020WrapUpCards } from './0020-wrap-up-cards.js';
import { migration0021CallLogIndexes } from './0021-call-log-indexes.js';
import { migration0022MonthlyCallRollups } from './0022-monthly-call-rollups.js';
import { migration0023SignedStartIndex } from './0023-signed-start-index.js';
import { migration0025MissedOpenByContact } from './0025-missed-open-by-contact.js';
import { migration0026AgentRollupsCoveringIndex } from './0026-agent-rollups-covering-index.js';
import { migration0028RecordingAuditActor } from './0028-recording-audit-actor.js';
import { migration0029MissedReturnedByDelay } from './0029-missed-returned-by-delay.js';
import { migration0030InboxRoutingRefusal } from './0030-inbox-routing-refusal.js';
import { migration0031ExtensionHourTallies } from './0031-extension-hour-tallies.js';
import { migration0032MissedOpenByContactCovering } from './0032-missed-open-by-contact-covering.js';
import { migration0039MissedByHourOfWeek } from './0039-missed-by-hour-of-week.js';
import { migration0040MissedPredicateWithoutInList } from './0040-missed-predicate-without-in-list.js';
import { migration0041TranscriptCallStart } from './0041-transcript-call-start.js';
import { migration0042OddCallsPredicateWithoutInList } from './0042-odd-calls-predicate-without-in-list.js';
import { migration0043DropContactCallsPrefixIndex } from './0043-drop-contact-calls-prefix-index.js';
import { migration0044DropSubsetClientIndexes } from './0044-drop-subset-client-indexes.js';
import { migration0045DropExtensionCallsIndex } from './0045-drop-extension-calls-index.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-platform': migration0001Platform,
  '0002-crm': migration0002Crm,
  '0003-telephony': migration0003Telephony,
  '0004-telephony-options': migration0004TelephonyOptions,
  '0005-call-indexes': migration0005CallIndexes,
  '0006-inbox-refused-metadata': migration0006InboxRefusedMetadata,
  '0007-inbox-leases': migration0007InboxLeases,
  '0008-jobs': migration0008Jobs,
  '0009-one-telephony-settings': migration0009OneTelephonySettings,
  '0013-call-handling': migration0013CallHandling,
  '0014-after-call': migration0014AfterCall,
  '0012-recordings': migration0012Recordings,
  '0015-call-workspace': migration0015CallWorkspace,
  '0011-call-log-and-rollups': migration0011CallLogAndRollups,
  '0011-call-rollups-by-day-and-team': migration0011CallRollupsByDayAndTeam,
  '0016-history-import': migration0016HistoryImport,
  '0017-missed-call-fates': migration0017MissedCallFates,
  '0018-parked-transcripts': migration0018ParkedTranscripts,
  '0020-wrap-up-cards': migration0020WrapUpCards,
  '0021-call-log-indexes': migration0021CallLogIndexes,
  '0022-monthly-call-rollups': migration0022MonthlyCallRollups,
  '0023-signed-start-index': migration0023SignedStartIndex,
  '0025-missed-open-by-contact': migration0025MissedOpenByContact,
  '0026-agent-rollups-covering-index': migration0026AgentRollupsCoveringIndex,
  '0028-recording-audit-actor': migration0028RecordingAuditActor,
  '0029-missed-returned-by-delay': migration0029MissedReturnedByDelay,
  '0030-inbox-routing-refusal': migration0030InboxRoutingRefusal,
  '0031-extension-hour-tallies': migration0031ExtensionHourTallies,
  '0032-missed-open-by-contact-covering': migration0032MissedOpenByContactCovering,
  '0039-missed-by-hour-of-week': migration0039MissedByHourOfWeek,
  '0040-missed-predicate-without-in-list': migration0040MissedPredicateWithoutInList,
  '0041-transcript-call-start': migration0041TranscriptCallStart,
  '0042-odd-calls-predicate-without-in-list': migration0042OddCallsPredicateWithoutInList,
  '0043-drop-contact-calls-prefix-index': migration0043DropContactCallsPrefixIndex,
  '0044-drop-subset-client-indexes': migration0044DropSubsetClientIndexes,
  '0045-drop-extension-calls-index': migration0045DropExtensionCallsIndex,
};
