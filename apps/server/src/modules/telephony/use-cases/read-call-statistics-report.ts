/**
 * The statistics page's figures (`GET /api/statistics`): the period's statistics for the reader
 * (read-call-statistics.ts) with each extension's row naming the user who holds it today. Why today's holder:
 * the rollups count by extension; who answered under it in the past is the call log's question, not this one.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import type { CallStatisticsReader, ExtensionAssignmentRepository } from '../ports.js';
import type { CallReadPolicy } from './call-visibility.js';
import {
  type CallStatistics,
  type ReadCallStatisticsRequest,
  readCallStatistics,
} from './read-call-statistics.js';
import { RETURN_WITHIN_MINUTES } from './read-missed-call-fate.js';

export interface CallStatisticsReportPorts {
  readonly statistics: CallStatisticsReader;
  readonly assignments: Pick<ExtensionAssignmentRepository, 'findExtension' | 'listHoldings'>;
  /** The return window setting (statistics-settings.ts); RETURN_WITHIN_MINUTES when not given. */
  readonly returnWithinMinutes?: () => Promise<number>;
  /** Whether agents see every call (the admins' switch); off when not given. */
  readonly policy?: () => Promise<CallReadPolicy>;
}

/** The statistics with, on each extension's row, the user holding it now (null: nobody). */
export interface CallStatisticsReport extends Omit<CallStatistics, 'agents'> {
  readonly agents: (CallStatistics['agents'][number] & { user: { id: string; name: string } | null })[];
}

export async function readCallStatisticsReport(
  ports: CallStatisticsReportPorts,
  reader: Actor,
  request: Omit<ReadCallStatisticsRequest, 'returnWithinMinutes'>,
): Promise<CallStatisticsReport> {
  const returnWithinMinutes = ports.returnWithinMinutes
    ? await ports.returnWithinMinutes()
    : RETURN_WITHIN_MINUTES;
  const [result, holdings] = await Promise.all([
    readCallStatistics(
      {
        statistics: ports.statistics,
        ownExtension: (userId) => ports.assignments.findExtension(userId),
        ...(ports.policy ? { policy: ports.policy } : {}),
      },
      reader,
      { ...request, returnWithinMinutes },
    ),
    ports.assignments.listHoldings(),
  ]);
  const holder = new Map(holdings.map((h) => [h.extension, { id: h.userId, name: h.userName }]));
  return {
    ...result,
    agents: result.agents.map((a) => ({ ...a, user: holder.get(a.extension) ?? null })),
  };
}
