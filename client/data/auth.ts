/** Talking to the server's `/api/auth` routes. */

export interface Credentials {
  username: string;
  password: string;
}

/** The body of a successful sign-in, passed on untouched until the session module reads it. */
export type SignInResponse = Record<string, unknown>;

/** Why a sign-in failed: the server's error code, `offline` when it could not be reached. */
export type SignInFailure = { code: string; status?: number };

export type SignInResult = { ok: true; body: SignInResponse } | ({ ok: false } & SignInFailure);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `{ error: { code } }`, the shape of every error the API returns. */
function errorCode(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  return typeof body.error.code === 'string' ? body.error.code : undefined;
}

export async function signIn(credentials: Credentials): Promise<SignInResult> {
  if (navigator.onLine === false) return { ok: false, code: 'offline' };
  let response: Response;
  try {
    response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(credentials),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, code: 'offline' };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && isRecord(body)) return { ok: true, body };
  return { ok: false, code: errorCode(body) ?? 'unknown', status: response.status };
}
