/** The signed-in person's own account: `/api/me` and what hangs off it. */
import type {
  AccessLogPage,
  ChangeEmailRequest,
  ChangePasswordRequest,
  ConfirmSecondFactorResponse,
  Me,
  SecondFactorStatus,
  TotpEnrolment,
} from '../../server/contract/auth.ts';
import type { Language } from '../../server/contract/roles.ts';
import { apiRequest, type ApiResult } from './api.ts';
import { authorizedFetch, currentMe, updateMe } from './session.ts';

export type { AccessLogPage, Me, SecondFactorStatus, TotpEnrolment } from '../../server/contract/auth.ts';
export type AccessLogEntry = AccessLogPage['entries'][number];

/** GET /api/me: the account as the server sees it now (roles and students may have changed). */
export async function fetchMe(): Promise<ApiResult<Me>> {
  const result = await apiRequest<Me>('/api/me', {}, authorizedFetch);
  if (result.ok) updateMe(result.body);
  return result;
}

/** PUT /api/me/language: the language e-mails and this account's screens use from now on. */
export async function saveLanguage(language: Language): Promise<ApiResult<unknown>> {
  const result = await apiRequest('/api/me/language', { method: 'PUT', json: { language } }, authorizedFetch);
  const me = currentMe();
  if (result.ok && me) updateMe({ ...me, account: { ...me.account, language } });
  return result;
}

/** POST /api/me/password: needs the current password as well as the new one. */
export function changePassword(request: ChangePasswordRequest): Promise<ApiResult<unknown>> {
  return apiRequest('/api/me/password', { method: 'POST', json: request }, authorizedFetch);
}

/** PUT /api/me/email: changed at once (needs the current password); `Me` follows. */
export async function changeEmail(request: ChangeEmailRequest): Promise<ApiResult<unknown>> {
  const result = await apiRequest('/api/me/email', { method: 'PUT', json: request }, authorizedFetch);
  const me = currentMe();
  if (result.ok && me) updateMe({ ...me, person: { ...me.person, email: request.email.trim() } });
  return result;
}

/** GET /api/me/access-log: one page, newest first; pass the previous page's `next` for older ones. */
export function fetchAccessLog(before?: number): Promise<ApiResult<AccessLogPage>> {
  const query = before === undefined ? '' : `?before=${encodeURIComponent(String(before))}`;
  return apiRequest<AccessLogPage>(`/api/me/access-log${query}`, {}, authorizedFetch);
}

/** GET /api/me/second-factor: whether signing in takes an authenticator code, and whether it must. */
export function fetchSecondFactor(): Promise<ApiResult<SecondFactorStatus>> {
  return apiRequest<SecondFactorStatus>('/api/me/second-factor', {}, authorizedFetch);
}

/** POST /api/me/second-factor/enrolment: a new key for an authenticator app (needs the current password). */
export function startSecondFactor(currentPassword: string): Promise<ApiResult<TotpEnrolment>> {
  return apiRequest<TotpEnrolment>('/api/me/second-factor/enrolment', { method: 'POST', json: { currentPassword } }, authorizedFetch);
}

/** POST /api/me/second-factor/confirm: the app's first code turns it on; ten recovery codes, shown once. */
export function confirmSecondFactor(code: string): Promise<ApiResult<ConfirmSecondFactorResponse>> {
  return apiRequest<ConfirmSecondFactorResponse>('/api/me/second-factor/confirm', { method: 'POST', json: { code } }, authorizedFetch);
}

/** POST /api/me/second-factor/turn-off: with a current code from the app (or a recovery code). */
export function turnOffSecondFactor(code: string): Promise<ApiResult<unknown>> {
  return apiRequest('/api/me/second-factor/turn-off', { method: 'POST', json: { code } }, authorizedFetch);
}
