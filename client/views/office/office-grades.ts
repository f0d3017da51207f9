/**
 * Pure helpers of reopening posted grades: where the signed-in person may do it, and which of
 * the device's students a search names.
 */
import type { Me } from '../../../server/contract/auth.ts';
import type { StudentDocument } from '../../../server/contract/sync/students.ts';

/** The reason the server asks for (server/routes/gradebook.ts, term-grades/:id/reopen). */
export const REOPEN_REASON_MIN = 3;
export const REOPEN_REASON_MAX = 500;

/** Most students a search lists; a longer list means the search should be more precise. */
const MATCH_LIMIT = 20;

/** Schools where `grades_admin` is in force: every school (a district-wide right), some, or none. */
export function gradeAdminSchools(rights: Me['toolRights']): 'all' | 'none' | ReadonlySet<string> {
  const held = rights.filter((right) => right.tool === 'grades_admin');
  if (held.some((right) => right.schoolId === null)) return 'all';
  if (held.length === 0) return 'none';
  return new Set(held.map((right) => right.schoolId as string));
}

const folded = (text: string) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/**
 * Students of `schools` (none without the right) whose name (first, preferred or last, in any order) holds every word of
 * `search`, or whose student number starts with it; by last name, at most 20.
 */
export function matchStudents(students: readonly StudentDocument[], search: string, schools: ReturnType<typeof gradeAdminSchools>): StudentDocument[] {
  const words = folded(search.trim()).split(/\s+/).filter(Boolean);
  if (words.length === 0 || schools === 'none') return [];
  return students
    .filter((student) => schools === 'all' || (student.schoolId !== null && schools.has(student.schoolId)))
    .filter((student) => {
      if (words.length === 1 && student.studentNumber.toLowerCase().startsWith(words[0]!)) return true;
      const name = folded([student.firstName, student.preferredName ?? '', student.lastName].join(' '));
      return words.every((word) => name.includes(word));
    })
    .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
    .slice(0, MATCH_LIMIT);
}
