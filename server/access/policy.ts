import type { StaffRole, Tool } from '../contract/roles.ts';
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

/** Tool rights some record kinds need on top of a role, wherever the access comes from. */
const TOOL_FOR: Partial<Record<RecordKind, Partial<Record<Action, Tool>>>> = {
  health: { read: 'health', write: 'health' },
  fees: { read: 'fees', write: 'fees' },
  access_log: { read: 'access_log' },
  account: { read: 'accounts', write: 'accounts' },
};

/** School-wide writes that a classroom teacher makes without a right, but office and principals need one for. */
const SCHOOL_TOOL_FOR: Partial<Record<RecordKind, Partial<Record<Action, Tool>>>> = {
  ...TOOL_FOR,
  attendance: { write: 'attendance_admin' },
  grades: { write: 'grades_admin' },
};

/** What each school role may do with the students of its schools (before tool rights). */
const SCHOOL_ROLE_RIGHTS: Record<StaffRole, Partial<Record<RecordKind, readonly Action[]>>> = {
  teacher: {},
  counselor: { profile: ['read'], schedule: ['read'], grades: ['read'], attendance: ['read'] },
  nurse: { profile: ['read'], health: ['read', 'write'] },
  office: { profile: ['read', 'write'], schedule: ['read'], grades: ['read'], attendance: ['read', 'write'], fees: ['read', 'write'], household: ['read', 'write'], requests: ['read', 'write'], account: ['read', 'write'], health: ['read'], access_log: ['read'] },
  principal: { profile: ['read'], schedule: ['read'], grades: ['read', 'write'], attendance: ['read'], fees: ['read'], household: ['read'], requests: ['read'], account: ['read', 'write'], health: ['read'], access_log: ['read'] },
  district_admin: { profile: ['read', 'write'], schedule: ['read'], grades: ['read'], attendance: ['read'], fees: ['read'], household: ['read'], requests: ['read'], account: ['read', 'write'], health: ['read'], access_log: ['read'] },
};

/** What a teacher may do for students in their own sections; counselors on their caseload. */
const SECTION_RIGHTS: Partial<Record<RecordKind, readonly Action[]>> = { profile: ['read'], schedule: ['read'], grades: ['read', 'write'], attendance: ['read', 'write'] };
const CASELOAD_RIGHTS: Partial<Record<RecordKind, readonly Action[]>> = { profile: ['read'], schedule: ['read'], grades: ['read'], attendance: ['read'], health: ['read'] };
/** Guardians with portal access, and students for themselves. */
const GUARDIAN_RIGHTS: Partial<Record<RecordKind, readonly Action[]>> = { profile: ['read'], schedule: ['read'], grades: ['read'], attendance: ['read'], health: ['read'], fees: ['read'], household: ['read'], requests: ['read', 'write'] };
const SELF_RIGHTS: Partial<Record<RecordKind, readonly Action[]>> = { profile: ['read'], schedule: ['read'], grades: ['read'], attendance: ['read'], health: ['read'], fees: ['read'] };

function hasTool(principal: Principal, tool: Tool, schoolIds: readonly string[]): boolean {
  return principal.toolRights.some((right) => right.tool === tool && (right.schoolId === null || schoolIds.includes(right.schoolId)));
}

/** Through which relation a principal may act on a student's records. */
export type AccessPath = 'guardian' | 'self' | 'section' | 'caseload' | 'school';

/**
 * The one place that decides who may read or write a student's records. Every route asks here.
 * Families are limited to their own children; staff to their sections, caseload or schools;
 * sensitive kinds also need a tool right in force; nobody crosses a district.
 * Returns the first relation that allows the action, or null.
 */
export function accessPath(principal: Principal, action: Action, kind: RecordKind, student: StudentResource): AccessPath | null {
  if (student.districtId !== principal.districtId) return null;
  const allows = (rights: Partial<Record<RecordKind, readonly Action[]>>) => rights[kind]?.includes(action) ?? false;
  if (principal.guardianOf.has(student.studentId) && allows(GUARDIAN_RIGHTS)) return 'guardian';
  if (principal.selfStudentId === student.studentId && allows(SELF_RIGHTS)) return 'self';
  // Staff: a family role never lends staff rights, and a staff role needs a tool right where one is required.
  const toolOk = (table: typeof TOOL_FOR, schools: readonly string[]) => {
    const tool = table[kind]?.[action];
    return !tool || hasTool(principal, tool, schools);
  };
  for (const location of principal.locations) {
    const inScope = location.schoolId === null ? location.role === 'district_admin' : student.schoolIds.includes(location.schoolId);
    if (!inScope || !allows(SCHOOL_ROLE_RIGHTS[location.role])) continue;
    if (toolOk(SCHOOL_TOOL_FOR, location.schoolId === null ? student.schoolIds : [location.schoolId])) return 'school';
  }
  if (principal.sectionStudentIds.has(student.studentId) && allows(SECTION_RIGHTS) && toolOk(TOOL_FOR, student.schoolIds)) return 'section';
  if (principal.caseloadStudentIds.has(student.studentId) && allows(CASELOAD_RIGHTS) && toolOk(TOOL_FOR, student.schoolIds)) return 'caseload';
  return null;
}

export function canAccessStudent(principal: Principal, action: Action, kind: RecordKind, student: StudentResource): boolean {
  return accessPath(principal, action, kind, student) !== null;
}

/** Staff functions on a school (or the district when schoolId is null) that need a tool right. */
export function canUseTool(principal: Principal, tool: Tool, schoolId: string | null): boolean {
  return principal.locations.length > 0 && principal.toolRights.some((right) => right.tool === tool && (right.schoolId === null || right.schoolId === schoolId));
}
