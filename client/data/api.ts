/**
 * The one shape every call to the API comes back in: the typed body, or the server's
 * error code (`offline` when the server could not be reached at all).
 */
export interface ApiFailure {
  ok: false;
  /** The server's `error.code`, `offline` without an answer, `unknown` for an unreadable one. */
  code: string;
  status?: number;
  details?: Record<string, unknown>;
  /** Seconds to wait, from a 429's Retry-After header. */
  retryAfter?: number;
}

export type ApiResult<T> = { ok: true; body: T; status: number } | ApiFailure;

/** What `apiRequest` sends with: plain `fetch`, or the session's `authorizedFetch`. */
export type Fetcher = (path: string, init: RequestInit) => Promise<Response>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `{ error: { code, details } }`, the shape of every error the API returns. */
export function readError(body: unknown): { code?: string; details?: Record<string, unknown> } {
  if (!isRecord(body) || !isRecord(body.error)) return {};
  return {
    code: typeof body.error.code === 'string' ? body.error.code : undefined,
    details: isRecord(body.error.details) ? body.error.details : undefined,
  };
}

/** Headers every API request carries; the server words its own messages in our language. */
export function apiHeaders(extra?: HeadersInit): Headers {
  const headers = new Headers(extra);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  // <html lang> follows the language the reader chose (i18n.ts keeps it in step).
  const language = document.documentElement.lang;
  if (language) headers.set('accept-language', language);
  return headers;
}

/** Turns a response into an `ApiResult`; 202 and 204 carry no body to read. */
export async function readResult<T>(response: Response): Promise<ApiResult<T>> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return { ok: true, body: body as T, status: response.status };
  const { code, details } = readError(body);
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    ok: false,
    code: code ?? 'unknown',
    status: response.status,
    ...(details ? { details } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfter } : {}),
  };
}

/**
 * Sends one request and reads the answer. JSON bodies are serialized here. A network
 * failure (or a browser that knows it is offline) comes back as the `offline` code.
 */
export async function apiRequest<T>(
  path: string,
  { json, ...init }: RequestInit & { json?: unknown } = {},
  fetcher: Fetcher = (input, options) => fetch(input, options),
): Promise<ApiResult<T>> {
  if (navigator.onLine === false) return { ok: false, code: 'offline' };
  const headers = apiHeaders(init.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await fetcher(path, {
      credentials: 'same-origin',
      ...init,
      headers,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  } catch {
    return { ok: false, code: 'offline' };
  }
  return readResult<T>(response);
}
