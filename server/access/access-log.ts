import type { Queryable } from '../db/store.ts';
import type { AccessEvent } from '../contract/auth.ts';

export interface AccessLogEntry {
  districtId: string;
  accountId: string | null;
  event: AccessEvent;
  ip: string;
  userAgent: string;
  studentId?: string | null;
  recordType?: string | null;
  recordId?: string | null;
  detail?: Record<string, unknown>;
}

/** Appends to the access log (the table refuses updates and deletes). */
export async function logAccess(db: Queryable, entry: AccessLogEntry, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO access_log (district_id, at, account_id, event, ip, user_agent, student_id, record_type, record_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [entry.districtId, at, entry.accountId, entry.event, entry.ip.slice(0, 100), entry.userAgent.slice(0, 400), entry.studentId ?? null, entry.recordType ?? null, entry.recordId ?? null, entry.detail ?? {}],
  );
}

/**
 * One entry per student whose records of this type were read or written, in one statement: a
 * sync pull that sends a hundred children's marks appends a hundred rows in one round trip.
 */
export async function logStudentRecords(
  db: Queryable,
  entry: Omit<AccessLogEntry, 'studentId' | 'recordId' | 'detail'> & { event: 'record.read' | 'record.write'; recordType: string },
  studentIds: Iterable<string>,
  at: Date,
): Promise<void> {
  const students = [...new Set(studentIds)];
  if (students.length === 0) return;
  await db.query(
    `INSERT INTO access_log (district_id, at, account_id, event, ip, user_agent, student_id, record_type, detail)
     SELECT $1, $2, $3, $4, $5, $6, s, $8, '{}'::jsonb FROM unnest($7::uuid[]) AS s`,
    [entry.districtId, at, entry.accountId, entry.event, entry.ip.slice(0, 100), entry.userAgent.slice(0, 400), students, entry.recordType],
  );
}

/** Appends to the audit trail: who changed what, with old and new values. */
export async function audit(
  db: Queryable,
  entry: { districtId: string; actorAccountId: string; table: string; rowId: string; action: 'insert' | 'update' | 'delete'; oldValues: Record<string, unknown> | null; newValues: Record<string, unknown> | null },
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO audit_trail (district_id, at, actor_account_id, table_name, row_id, action, old_values, new_values) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [entry.districtId, at, entry.actorAccountId, entry.table, entry.rowId, entry.action, entry.oldValues, entry.newValues],
  );
}
