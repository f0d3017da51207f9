import type { Tool } from '../contract/roles.ts';
import type { Principal } from './principal.ts';

/** Kinds of protected student records. */
export const RECORD_KINDS = ['profile', 'schedule', 'grades', 'attendance', 'health', 'fees', 'household', 'requests', 'access_log', 'account'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export type Action = 'read' | 'write';

/** A student's records: whose district, and which schools enroll the student today. */
export interface StudentResource {
  districtId: string;
  studentId: string;
  schoolIds: readonly string[];
}

/** Through which relation a principal may act on a student's records. */
export type AccessPath = 'guardian' | 'self' | 'section' | 'caseload' | 'school';

/**
 * The one place that decides who may read or write a student's records. Every route asks here.
 * It reads the principal's access_grants in force today (principal.ts): the rule table is SQL
 * `access_rules()` (migration 0017), which gives families their own children, staff their
 * sections, caseload or schools, sensitive kinds only with a tool right in force, and nobody
 * another district. Returns the first relation that allows the action, or null.
 */
export function accessPath(principal: Principal, action: Action, kind: RecordKind, student: StudentResource): AccessPath | null {
  if (student.districtId !== principal.districtId) return null;
  const grant = principal.grants.get(student.studentId)?.find((g) => (action === 'read' ? g.reads : g.writes).includes(kind));
  if (!grant) return null;
  return grant.via === 'guardian' || grant.via === 'self' || grant.via === 'section' || grant.via === 'caseload' ? grant.via : 'school';
}

export function canAccessStudent(principal: Principal, action: Action, kind: RecordKind, student: StudentResource): boolean {
  return accessPath(principal, action, kind, student) !== null;
}

/** Staff functions on a school (or the district when schoolId is null) that need a tool right. */
export function canUseTool(principal: Principal, tool: Tool, schoolId: string | null): boolean {
  return principal.locations.length > 0 && principal.toolRights.some((right) => right.tool === tool && (right.schoolId === null || right.schoolId === schoolId));
}
