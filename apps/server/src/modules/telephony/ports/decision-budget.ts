/**
 * The failure a NOTIFY_START decision's read rejects with once the decision has stopped waiting for it: its budget
 * is spent, the reply `{}` already chosen. Why beside the ports: the decision aborts its reads with it (the
 * `AbortSignal`'s reason, `CallerFactsReader.read`), the adapters reject with that reason without knowing the
 * class, and the decision tells "budget spent" from a failed lookup whichever adapter was reading.
 */
import type { ErrorCode } from '../../../platform/errors/errors.js';

/** A read the decision gave up on: not sent, or its answer dropped. Never a fault of the database. */
export class DecisionBudgetSpentError extends Error {
  override readonly name = 'DecisionBudgetSpentError';
  readonly code: ErrorCode = 'SB_ERR_UNAVAILABLE';
  /** The budget the decision had, ms. */
  readonly budgetMs: number;

  constructor(budgetMs: number) {
    super(`the decision's budget (${budgetMs} ms) is spent: read abandoned`);
    this.budgetMs = budgetMs;
  }
}
