/** Talking to the server's `/api/auth` routes that need no session: sign in, claim, reset. */
import type {
  ClaimRequest,
  ForgotRequest,
  LoginRequest,
  ResetRequest,
  SessionResponse,
} from '../../server/contract/auth.ts';
import { apiRequest, type ApiFailure, type ApiResult } from './api.ts';

export type { SessionResponse } from '../../server/contract/auth.ts';

export type Credentials = LoginRequest;

/** Why a request failed: the server's error code, `offline` when it could not be reached. */
export type AuthFailure = ApiFailure;

export type SignInResult = ApiResult<SessionResponse>;

function isSessionResponse(body: unknown): body is SessionResponse {
  const value = body as Partial<SessionResponse> | undefined;
  return (
    typeof value?.accessToken === 'string' &&
    typeof value.expiresIn === 'number' &&
    typeof value.me === 'object' &&
    value.me !== null
  );
}

/** A 200 whose body is not a session is the server's fault, not the user's: say so generically. */
function expectSession(result: ApiResult<unknown>): ApiResult<SessionResponse> {
  if (!result.ok || isSessionResponse(result.body)) return result as ApiResult<SessionResponse>;
  return { ok: false, code: 'unknown', status: result.status };
}

/** POST /api/auth/login: on success the server also sets the HttpOnly refresh cookie. */
export async function signIn(credentials: Credentials): Promise<SignInResult> {
  return expectSession(await apiRequest('/api/auth/login', { method: 'POST', json: credentials }));
}

/** POST /api/auth/claim: an activation key, a username and a password; signs in on success. */
export async function claimAccount(request: ClaimRequest): Promise<SignInResult> {
  return expectSession(await apiRequest('/api/auth/claim', { method: 'POST', json: request }));
}

/** POST /api/auth/forgot: always 202, whether or not the account exists. */
export function requestPasswordReset(request: ForgotRequest): Promise<ApiResult<unknown>> {
  return apiRequest('/api/auth/forgot', { method: 'POST', json: request });
}

/** POST /api/auth/reset with the token from the e-mailed link. */
export function resetPassword(request: ResetRequest): Promise<ApiResult<unknown>> {
  return apiRequest('/api/auth/reset', { method: 'POST', json: request });
}
