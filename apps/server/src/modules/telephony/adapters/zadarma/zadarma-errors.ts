/**
 * Zadarma client failures as API errors (api-contract-telephony.md): the code says what kind of failure, the
 * message is Zadarma's own text when it sent one, so an admin sees exactly what Zadarma said.
 */
import { ZadarmaApiError } from '@switchboard/zadarma';
import { AppError } from '../../../../platform/errors/errors.js';

/** Zadarma's refusals for lack of money (docs/zadarma-protocol.md §4.2 answers of `/v1/request/callback/`). */
const BALANCE_MESSAGE = /balance|insufficient|not enough (money|funds)|недостаточно/i;

/**
 * Maps a Zadarma client error to an AppError; anything else is returned unchanged.
 * Why: every route that calls Zadarma reports its failures the same way (test-connection, click-to-call…).
 */
function toZadarmaAppError(error: unknown): unknown {
  if (!(error instanceof ZadarmaApiError)) {
    return error;
  }
  const said = error.zadarmaMessage;
  switch (error.code) {
    case 'unauthorized':
      return new AppError('SB_ERR_ZADARMA_UNAUTHORIZED', said ?? 'Zadarma refused the API key or secret');
    case 'rate_limited':
      return new AppError(
        'SB_ERR_ZADARMA_RATE_LIMITED',
        said ?? 'Zadarma rate limit reached; try again later',
      );
    case 'network':
    case 'timeout':
    case 'aborted':
      return new AppError(
        'SB_ERR_ZADARMA_UNREACHABLE',
        `Zadarma could not be reached (${error.code}) at ${error.path}`,
      );
    default:
      if (said && BALANCE_MESSAGE.test(said)) {
        return new AppError('SB_ERR_INSUFFICIENT_BALANCE', said);
      }
      return new AppError('SB_ERR_ZADARMA_REFUSED', said ?? error.message);
  }
}

/** Runs a Zadarma call, rethrowing its failure as an AppError. Why: keeps route handlers to one line each. */
export async function callZadarma<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toZadarmaAppError(error);
  }
}
