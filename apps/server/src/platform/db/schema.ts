/**
 * The whole schema as Kysely sees it, composed from each area's tables so that areas evolve in their own files.
 */
import type { AfterCallTables } from './schema/after-call.js';
import type { CallWorkspaceTables } from './schema/call-workspace.js';
import type { CrmTables } from './schema/crm.js';
import type { HistoryTables } from './schema/history.js';
import type { JobsTables } from './schema/jobs.js';
import type { PlatformTables } from './schema/platform.js';
import type { RecordingsTables } from './schema/recordings.js';
import type { TelephonyTables } from './schema/telephony.js';

export interface Database
  extends PlatformTables,
    CrmTables,
    TelephonyTables,
    JobsTables,
    AfterCallTables,
    RecordingsTables,
    HistoryTables,
    CallWorkspaceTables {}
