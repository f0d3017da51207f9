/**
 * Pure helpers of the office workspace: which notes concern a day, where a decision stands,
 * and a household change's old and new values side by side.
 */
import type { Me } from '../../../server/contract/auth.ts';
import type { AbsenceNotePayload, PhoneLine, PostalAddress, RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { Outbox } from '../../data/outbox.ts';

/** District reason codes that excuse an absence (server/seed/catalog.ts attendanceReasons). */
export const EXCUSED_REASON_CODES: readonly string[] = ['ILL', 'MED', 'FAM', 'REL', 'BRV', 'SCH'];

/** Where a write stands: sent and taken (saved), not yet taken, refused, or the request's status. */
export type WriteState = 'waiting' | 'refused' | 'saved' | RequestDocument['status'];

/** Today on this device's calendar, as the school's dates are written. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Absence notes that cover `day` (its first day up to its last), newest first. */
export function notesForDay(requests: readonly RequestDocument[], day: string): Array<RequestDocument & { payload: AbsenceNotePayload }> {
  return requests
    .filter((request): request is RequestDocument & { payload: AbsenceNotePayload } => request.kind === 'absence_note' && request.payload !== null)
    .filter((request) => request.status !== 'withdrawn' && request.payload.date <= day && (request.payload.endDate ?? request.payload.date) >= day)
    .sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? ''));
}

/**
 * A document's standing for the office: refused (with the server's reason), waiting to be sent,
 * or, with no write of this device in flight, `settled` (the request's status, or undefined for a mark).
 */
export function markState(document: { id: string; syncError: string | null }, outbox: Outbox, settled?: WriteState): { state: WriteState | undefined; refusal: string | undefined } {
  const refusal = document.syncError ?? outbox.refused.find((entry) => entry.id === document.id)?.code;
  if (refusal) return { state: 'refused', refusal };
  if (outbox.pending.includes(document.id)) return { state: 'waiting', refusal: undefined };
  return { state: settled, refusal: undefined };
}

/** A household change as "what changes, now on record, requested"; older requests may lack `kind` or `old`. */
export function householdChangeRows(payload: RequestDocument['payload']): {
  change: 'address' | 'phone';
  kind: string | undefined;
  old: PostalAddress | PhoneLine | null;
  next: PostalAddress | PhoneLine | null;
} {
  const value = (payload ?? {}) as Record<string, unknown>;
  const change = value['change'] === 'phone' ? 'phone' : 'address';
  return {
    change,
    kind: typeof value['kind'] === 'string' ? value['kind'] : undefined,
    old: (value['old'] as PostalAddress | PhoneLine | null | undefined) ?? null,
    next: ((change === 'phone' ? value['phone'] : value['address']) as PostalAddress | PhoneLine | null | undefined) ?? null,
  };
}

/**
 * The first day of attendance this device holds for the office's or principal's schools (the
 * latest of their windows), or null when it holds all of it. From `me` (server/access/sync-windows.ts).
 */
export function attendanceSince(me: Pick<Me, 'locations'> | undefined): string | null {
  const days = (me?.locations ?? []).map((location) => location.attendanceSince as string | null | undefined).filter((day): day is string => typeof day === 'string');
  return days.length === 0 ? null : days.reduce((a, b) => (a > b ? a : b));
}
