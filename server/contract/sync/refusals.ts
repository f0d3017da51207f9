/**
 * Why the server refused a pushed write, for every collection. The server returns the refused
 * row's stored state with `syncError` set to one of these; the client shows it translated
 * (locales/<lang>/sync.json, `refused.<code>`). Add a code here and in all four locales.
 */
export const SYNC_REFUSALS = [
  'not_allowed', // the user may not write this record
  'invalid', // the document is malformed
  'future_date',
  'outside_term',
  'not_enrolled', // the student is not in that section on that date
  'excuse_needs_office', // teachers record presence; excuse decisions belong to the office
  'changed_elsewhere', // someone else changed it first: the server's version is kept
  'already_decided', // the request was approved, rejected or withdrawn before this change arrived
  'needs_request', // address and phone changes go through a request the office approves
  'outside_note_window', // an absence note covers days more than 30 days back or 14 days ahead
  'grades_posted', // the term grade of that grading period is posted: changes go through the office
  'points_out_of_range', // a score below zero or above twice the points possible
  'not_school_day', // a new mark, or an absence note, on a day (or days) the school holds no class
] as const;
export type SyncRefusal = (typeof SYNC_REFUSALS)[number];

/** One row of an RxDB push. */
export interface PushRow<Doc> {
  assumedMasterState?: (Doc & { _deleted: boolean }) | null;
  newDocumentState: Doc & { _deleted: boolean };
}
