/** Talking to the server's `/api/auth` routes that need no session: sign in, claim, reset. */
import {
  isSecondFactorChallenge,
  type ClaimRequest,
  type EnrolledSessionResponse,
  type ForgotRequest,
  type LoginRequest,
  type LoginResponse,
  type ResetRequest,
  type SecondFactorRequest,
  type SessionResponse,
} from '../../server/contract/auth.ts';
import { apiRequest, type ApiFailure, type ApiResult } from './api.ts';

export { isSecondFactorChallenge } from '../../server/contract/auth.ts';
export type { EnrolledSessionResponse, SecondFactorChallenge, SessionResponse, TotpEnrolment } from '../../server/contract/auth.ts';

export type Credentials = LoginRequest;

/** Why a request failed: the server's error code, `offline` when it could not be reached. */
export type AuthFailure = ApiFailure;

/** A session, or (staff holding a tool right, and anyone who turned it on) a second factor to show first. */
export type SignInResult = ApiResult<LoginResponse>;

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

/**
 * POST /api/auth/login: a session (the server also sets the HttpOnly refresh cookie), or a
 * challenge for the second step: a code from the authenticator app, or its enrolment.
 */
export async function signIn(credentials: Credentials): Promise<SignInResult> {
  const result = await apiRequest<unknown>('/api/auth/login', { method: 'POST', json: credentials });
  return result.ok && isSecondFactorChallenge(result.body) ? { ...result, body: result.body } : expectSession(result);
}

/** POST /api/auth/second-factor/verify: the challenge and a code from the app (or a recovery code); the session. */
export async function verifySecondFactor(request: SecondFactorRequest): Promise<ApiResult<SessionResponse>> {
  return expectSession(await apiRequest('/api/auth/second-factor/verify', { method: 'POST', json: request }));
}

/** POST /api/auth/second-factor/enrol: the first code of a newly added app; the session and ten recovery codes. */
export async function enrolSecondFactor(request: SecondFactorRequest): Promise<ApiResult<EnrolledSessionResponse>> {
  const result = expectSession(await apiRequest('/api/auth/second-factor/enrol', { method: 'POST', json: request }));
  if (result.ok && !Array.isArray((result.body as Partial<EnrolledSessionResponse>).recoveryCodes)) return { ok: false, code: 'unknown', status: result.status };
  return result as ApiResult<EnrolledSessionResponse>;
}

/** POST /api/auth/claim: an activation key, a username and a password; signs in on success. */
export async function claimAccount(request: ClaimRequest): Promise<ApiResult<SessionResponse>> {
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
