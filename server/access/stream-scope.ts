import type { Principal } from './principal.ts';

/**
 * The students whose record changes a device's change stream passes on: every student the
 * person's access_grants in force today reach (by guardianship, as the student, through a
 * section she teaches, a caseload, or a school she works at). Null means the whole district (a
 * district administrator). Read again when a change of access_grants names the person (migration
 * 0020), and only then.
 *
 * A coarse filter for "pull now" events only, never for what a pull returns (the pullers and
 * policy.ts decide that): it may let through an event about a student whose records of that
 * kind she may not read, and the pull then brings nothing; it never holds back one she may.
 */
export function streamStudents(principal: Principal): Set<string> | null {
  if (principal.locations.some((l) => l.role === 'district_admin')) return null;
  return new Set(principal.grants.keys());
}
