import type { Principal } from './principal.ts';

/**
 * The ids a change may name that concern a device's person, so her change stream passes it on:
 * every student the person's access_grants in force today reach (by guardianship, as the student,
 * through a section she teaches, a caseload, or a school she works at), and her own person id (a
 * change to her staff locations names her, migration 0023). Record tables, guardianships,
 * enrollments, rosters and caseloads name students (migrations 0010, 0020, 0023); ids are UUIDs,
 * so a person's id never stands for a student's. Null means the whole district (a district
 * administrator). Read again when a change of access_grants names the person (migration 0020),
 * and only then.
 *
 * A coarse filter for "pull now" events only, never for what a pull returns (the pullers and
 * policy.ts decide that): it may let through an event about a student whose records of that
 * kind she may not read, and the pull then brings nothing; it never holds back one she may.
 */
export function streamStudents(principal: Principal): Set<string> | null {
  if (principal.locations.some((l) => l.role === 'district_admin')) return null;
  return new Set([...principal.grants.keys(), principal.personId]);
}
