// The one way the web talks to the server: JSON over fetch, cookie session, double-submit CSRF header.

/**
 * One issue the server found in a request field, e.g. `phones.0.number`. `message` is the server's English;
 * `reason` and `params` (a zod issue code or one of the CRM's, with its limits) say it in the user's language
 * (lib/api-error-message.ts).
 */
export interface FieldIssue {
  path: string;
  message: string;
  reason?: string;
  params?: Record<string, string | number>;
}

function fieldIssueOf(value: unknown): FieldIssue | null {
  const d = value as { path?: unknown; message?: unknown; reason?: unknown; params?: unknown } | null;
  if (typeof d !== 'object' || d === null || typeof d.path !== 'string' || typeof d.message !== 'string') {
    return null;
  }
  const issue: FieldIssue = { path: d.path, message: d.message };
  if (typeof d.reason === 'string') {
    issue.reason = d.reason;
  }
  if (typeof d.params === 'object' && d.params !== null && !Array.isArray(d.params)) {
    issue.params = Object.fromEntries(
      Object.entries(d.params).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
    ) as Record<string, string | number>;
  }
  return issue;
}

/** An error answered by the API (`{ error: { code, message, details? } }`) or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldIssue[];

  constructor(status: number, code: string, message: string, details: FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Send `body` as-is with this content type instead of JSON (CSV import). */
  contentType?: string;
  signal?: AbortSignal;
}

/** Reads a cookie by name from a `document.cookie` string. Why: the CSRF token is the readable `sb_csrf` cookie. */
export function readCookie(cookieHeader: string, name: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      continue;
    }
    if (part.slice(0, eq).trim() === name) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return null;
}

/** Builds `?a=1&b=x` from a record, dropping empty values. Why: list filters left blank must not filter. */
export function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Turns a failed response into an ApiError. Why: every screen shows the server's sentence, never a status code. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // not JSON (proxy error page, empty body): fall through to a generic message
  }
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)
    ?.error;
  if (error && typeof error.code === 'string') {
    const details = Array.isArray(error.details)
      ? error.details.map(fieldIssueOf).filter((d): d is FieldIssue => d !== null)
      : [];
    const message = typeof error.message === 'string' ? error.message : error.code;
    return new ApiError(response.status, error.code, message, details);
  }
  return new ApiError(
    response.status,
    'SB_ERR_HTTP',
    `The server answered ${response.status} ${response.statusText}`.trim(),
  );
}

function csrfToken(): string | null {
  return typeof document === 'undefined' ? null : readCookie(document.cookie, 'sb_csrf');
}

/** Calls the API and returns the parsed JSON. Why: one place adds the CSRF header and maps errors. */
async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (options.contentType) {
      headers['content-type'] = options.contentType;
      body = options.body as BodyInit;
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) {
      headers['x-csrf-token'] = token;
    }
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}${toQueryString(options.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') {
      throw cause;
    }
    throw new ApiError(0, 'SB_ERR_NETWORK', 'The server could not be reached');
  }
  if (!response.ok) {
    throw await errorFromResponse(response);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Groups field issues by path for forms. Why: the server validates; the form shows it under the right field. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const issue of error.details) {
      out[issue.path] ??= issue.message;
    }
  }
  return out;
}

/**
 * Sends a body with upload progress (0..1) through XMLHttpRequest. Why: fetch reports no upload progress, and a
 * 5 MB CSV on a slow line needs a visible progress bar.
 */
export function uploadWithProgress<T>(
  path: string,
  body: string,
  options: {
    contentType: string;
    query?: Record<string, QueryValue>;
    onProgress: (fraction: number) => void;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}${toQueryString(options.query)}`);
    xhr.setRequestHeader('content-type', options.contentType);
    xhr.setRequestHeader('accept', 'application/json');
    const token = csrfToken();
    if (token) {
      xhr.setRequestHeader('x-csrf-token', token);
    }
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) {
        options.onProgress(event.loaded / event.total);
      }
    };
    xhr.upload.onload = () => options.onProgress(1);
    xhr.onerror = () => reject(new ApiError(0, 'SB_ERR_NETWORK', 'The server could not be reached'));
    xhr.onload = () => {
      const response = new Response(xhr.responseText || null, {
        status: xhr.status,
        statusText: xhr.statusText,
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      } else {
        errorFromResponse(response).then(reject, reject);
      }
    };
    xhr.send(body);
  });
}
