import { canAccessStudent, type RecordKind } from '../access/policy.ts';
import { loadPrincipal } from '../access/principal.ts';
import type { Queryable } from '../db/store.ts';
import { loadStudentResource } from '../routes/students.ts';

/** Accounts outside the demo set have no known password: give them the demo one so tests can sign in. */
export async function useDemoPassword(db: Queryable, usernames: string[]): Promise<void> {
  await db.query(`UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE username = 'demo-office') WHERE username = ANY($1)`, [usernames]);
}

/** Gives an account a username and demo-guardian's password, so a test can sign in as it. */
export async function nameAccount(db: Queryable, accountId: string, username: string): Promise<void> {
  await db.query(`UPDATE accounts SET username = $2, password_hash = (SELECT password_hash FROM accounts WHERE username = 'demo-guardian') WHERE id = $1`, [accountId, username]);
}

/** The account of the other guardian in demo-guardian's household (the demo family's father). */
export async function demoFatherAccount(db: Queryable): Promise<string> {
  const [father] = await db.query<{ id: string }>(
    `SELECT a.id FROM accounts me JOIN household_members mine ON mine.person_id = me.person_id
       JOIN household_members hm ON hm.household_id = mine.household_id AND hm.role = 'guardian' AND hm.person_id <> me.person_id
       JOIN accounts a ON a.person_id = hm.person_id
      WHERE me.username = 'demo-guardian' LIMIT 1`,
  );
  return father!.id;
}

/** A guardian with portal access who shares no child with demo-guardian. */
export async function guardianOfAnotherFamily(db: Queryable): Promise<string> {
  const [row] = await db.query<{ username: string }>(
    `SELECT a.username FROM accounts a JOIN guardianships g ON g.guardian_person_id = a.person_id AND g.portal_access AND NOT g.deleted
      WHERE a.status = 'active' AND a.username NOT LIKE 'demo-%'
        AND NOT EXISTS (SELECT 1 FROM guardianships x WHERE x.guardian_person_id = a.person_id AND x.student_id IN (
              SELECT d.student_id FROM guardianships d JOIN accounts u ON u.person_id = d.guardian_person_id WHERE u.username = 'demo-guardian'))
      ORDER BY a.username LIMIT 1`,
  );
  return row!.username;
}

/** A staff member with this role at demo-office's school (the demo high school). */
export async function staffAtDemoSchool(db: Queryable, role: 'nurse' | 'counselor' | 'office' | 'teacher'): Promise<string> {
  const [row] = await db.query<{ username: string }>(
    `SELECT a.username FROM accounts a JOIN staff t ON t.person_id = a.person_id JOIN staff_locations l ON l.staff_id = t.id AND l.role = $1
      WHERE a.username NOT LIKE 'demo-%' AND l.school_id = (
        SELECT l2.school_id FROM staff_locations l2 JOIN staff t2 ON t2.id = l2.staff_id JOIN accounts a2 ON a2.person_id = t2.person_id WHERE a2.username = 'demo-office')
      ORDER BY a.username LIMIT 1`,
    [role],
  );
  return row!.username;
}

/** The students whose records of this kind the access policy lets the user read today. */
export async function studentsAllowed(db: Queryable, username: string, kind: RecordKind, today: string): Promise<string[]> {
  const [account] = await db.query<{ id: string; district_id: string }>('SELECT id, district_id FROM accounts WHERE username = $1', [username]);
  const principal = (await loadPrincipal(db, account!.district_id, account!.id, today))!;
  const all = await db.query<{ id: string }>('SELECT id FROM students WHERE district_id = $1', [account!.district_id]);
  const allowed: string[] = [];
  for (const { id } of all) {
    const student = await loadStudentResource(db, account!.district_id, id);
    if (student && canAccessStudent(principal, 'read', kind, student)) allowed.push(id);
  }
  return allowed.sort();
}

/** The children this user is a guardian of, with portal access. */
export async function childrenOf(db: Queryable, username: string): Promise<string[]> {
  const rows = await db.query<{ student_id: string }>(
    `SELECT g.student_id FROM guardianships g JOIN accounts a ON a.person_id = g.guardian_person_id WHERE a.username = $1 AND g.portal_access AND NOT g.deleted ORDER BY 1`,
    [username],
  );
  return rows.map((r) => r.student_id).sort();
}

/** Sets portal access of the user's guardianship of one child. */
export async function setPortalAccess(db: Queryable, username: string, studentId: string, access: boolean): Promise<void> {
  await db.query(`UPDATE guardianships SET portal_access = $3 WHERE student_id = $2 AND guardian_person_id = (SELECT person_id FROM accounts WHERE username = $1)`, [username, studentId, access]);
}
