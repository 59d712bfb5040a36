export { type Clock, systemClock } from './clock.js';
export {
  codeForHttpStatus,
  ZadarmaApiError,
  type ZadarmaApiErrorInit,
  type ZadarmaErrorCode,
} from './errors.js';
export { parseRetryAfter, type RateLimitInfo, readRateLimitHeaders } from './rate-limit-headers.js';
export { RequestBucket, type RequestBucketLimit } from './request-bucket.js';
export * from './schemas.js';
export {
  formatZadarmaDateTime,
  parseZadarmaDateTime,
  STATISTICS_WINDOW_DAYS,
  type StatisticsWindow,
  splitStatisticsWindow,
} from './statistics-window.js';
export {
  DEFAULT_RATE_LIMITS,
  DEFAULT_TIMEOUT_MS,
  type HttpMethod,
  methodPath,
  NEVER_RETRIED_PATHS,
  type RateLimitOptions,
  type RequestParams,
  type RetryOptions,
  ZADARMA_BASE_URL,
  ZADARMA_SANDBOX_URL,
  type ZadarmaRequest,
  type ZadarmaRequestOptions,
  type ZadarmaResponse,
  ZadarmaTransport,
  type ZadarmaTransportOptions,
} from './transport.js';
export * from './zadarma-client.js';
