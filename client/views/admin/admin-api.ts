/**
 * The administration API (server/routes/staff-admin.ts) as plain functions: staff of a school,
 * rights about to lapse, granting, renewing and withdrawing a right, roles at a school, trainings,
 * and a school's settings. Online only.
 */
import type { StaffRole, Tool } from '../../../server/contract/roles.ts';
import { apiRequest } from '../../data/api.ts';
import { authorizedFetch } from '../../data/session.ts';

export interface ToolRight {
  id: string;
  staffId: string;
  staffName: string;
  tool: Tool;
  schoolId: string | null;
  approvedBy: { staffId: string; name: string };
  approvedOn: string;
  expiresOn: string;
  training: { code: string; name: string; expiresOn: string | null } | null;
}

export interface StaffMember {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  title: string;
  employeeNumber: string;
  locations: Array<{ id: string; role: StaffRole; startDate: string; endDate: string | null }>;
  trainings: Array<{ code: string; name: string; completedOn: string; expiresOn: string }>;
  rights: ToolRight[];
  /** Their account, and whether it signs in with a second factor. */
  account: { id: string; secondFactor: boolean } | null;
}

export interface Training {
  code: string;
  name: string;
  validMonths: number;
}

export interface SchoolSettings {
  schoolId: string;
  name: string;
  gradingScaleId: string;
  roundingDecimals: number;
  studentAccountsFromGrade: number | null;
  lockoutThreshold: number | null;
}

export interface GradingScale {
  id: string;
  name: string;
  kind: string;
}

/** Why a call failed: no network, or the server's error code. */
export type AdminFailure = { offline: true } | { offline: false; status: number; code: string; fields?: string[] };

export type AdminResult<T> = { ok: true; body: T } | { ok: false; failure: AdminFailure };

async function call<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<AdminResult<T>> {
  const result = await apiRequest<T>(path, init, authorizedFetch);
  if (result.ok) return { ok: true, body: result.body };
  if (result.code === 'offline') return { ok: false, failure: { offline: true } };
  const fields = result.details?.fields;
  return { ok: false, failure: { offline: false, status: result.status ?? 0, code: result.code, fields: Array.isArray(fields) ? (fields as string[]) : undefined } };
}

/** The schools whose staff this person administers (all of the district for a district administrator). */
export function fetchAdminSchools(): Promise<AdminResult<{ schools: Array<{ id: string; code: string; name: string; level: string }> }>> {
  return call('/api/admin/schools');
}

export function fetchStaff(schoolId: string): Promise<AdminResult<{ staff: StaffMember[] }>> {
  return call(`/api/admin/staff?schoolId=${encodeURIComponent(schoolId)}`);
}

/** Rights lapsing within 30 days: of one school, or (null) the district's, which needs the district-wide right. */
export function fetchExpiringRights(schoolId: string | null): Promise<AdminResult<{ rights: ToolRight[] }>> {
  return call(`/api/admin/tool-rights/expiring?days=30${schoolId ? `&schoolId=${encodeURIComponent(schoolId)}` : ''}`);
}

export function renewRight(id: string, expiresOn: string): Promise<AdminResult<{ right: ToolRight }>> {
  return call(`/api/admin/tool-rights/${encodeURIComponent(id)}`, { method: 'PUT', json: { expiresOn } });
}

export function fetchSchoolSettings(schoolId: string): Promise<AdminResult<{ settings: SchoolSettings; gradingScales: GradingScale[] }>> {
  return call(`/api/admin/schools/${encodeURIComponent(schoolId)}/settings`);
}

export function saveSchoolSettings(
  schoolId: string,
  settings: Pick<SchoolSettings, 'gradingScaleId' | 'roundingDecimals' | 'studentAccountsFromGrade' | 'lockoutThreshold'>,
): Promise<AdminResult<{ settings: SchoolSettings }>> {
  return call(`/api/admin/schools/${encodeURIComponent(schoolId)}/settings`, { method: 'PUT', json: settings });
}

/** The district's trainings, and the code of the one every tool right needs. */
export function fetchTrainings(): Promise<AdminResult<{ trainings: Training[]; requiredForRights: string }>> {
  return call('/api/admin/trainings');
}

/** Grants a right in one school, or (schoolId null) district-wide; the asker is the approver. */
export function grantRight(grant: { staffId: string; tool: Tool; schoolId: string | null; expiresOn: string }): Promise<AdminResult<{ right: ToolRight }>> {
  return call('/api/admin/tool-rights', { method: 'POST', json: grant });
}

export function withdrawRight(id: string): Promise<AdminResult<void>> {
  return call(`/api/admin/tool-rights/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function addRole(role: { staffId: string; role: StaffRole; schoolId: string; startDate: string }): Promise<AdminResult<{ id: string }>> {
  return call('/api/admin/locations', { method: 'POST', json: role });
}

/** Ends a role at a school on `endDate` (the last day worked there). */
export function endRole(locationId: string, endDate: string): Promise<AdminResult<void>> {
  return call(`/api/admin/locations/${encodeURIComponent(locationId)}`, { method: 'PUT', json: { endDate } });
}

/** Records a completed training; the server sets its expiry from the training's validity. */
export function recordTraining(training: { staffId: string; code: string; completedOn: string }): Promise<AdminResult<{ id: string }>> {
  return call('/api/admin/trainings', { method: 'POST', json: training });
}

/** A district administrator resets someone's second factor: signed out everywhere, they set up their authenticator again at the next sign-in. */
export function resetSecondFactor(accountId: string): Promise<AdminResult<void>> {
  return call(`/api/staff/accounts/${encodeURIComponent(accountId)}/mfa-reset`, { method: 'POST' });
}
