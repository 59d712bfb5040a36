/** The listening audit as admins page through it: who played or downloaded which call's recording, newest first. */
import type { RecordingRepository } from '../ports.js';

type AuditPage = Awaited<ReturnType<RecordingRepository['listAudit']>>;

/** Page `page` (from 1) of `pageSize` lines, and the total. Why a use case: the routes only route. */
export function listRecordingAudit(
  recordings: Pick<RecordingRepository, 'listAudit'>,
  query: { readonly page: number; readonly pageSize: number },
): Promise<AuditPage> {
  return recordings.listAudit({ limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
}
