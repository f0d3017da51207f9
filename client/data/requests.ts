/**
 * The `requests` collection: what families ask the school office for (absence notes, address
 * and phone changes), and the office's decisions. Families submit and withdraw on the device;
 * the office approves or rejects.
 */
import type { Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';
import { requestSchema, type RequestDocument } from '../../server/contract/sync/requests.ts';
import { pushedCollection } from './collection.ts';
import { deviceEditsWin } from './conflict-handler.ts';
import type { HomeroomDatabase } from './database.ts';

export type { RequestDocument } from '../../server/contract/sync/requests.ts';

/** What a family writes (the request, its withdrawal) and what the office writes (the decision). */
export const requestsConflictHandler = deviceEditsWin<RequestDocument>({
  identity: ['kind', 'householdId', 'studentId'],
  edited: ['payload', 'status', 'decisionNote'],
  // Stamped by the server on arrival: without comparing them, the device would keep its own
  // copy (no date, no sender) because every compared field already matched.
  serverFilled: ['schoolId', 'submittedAt', 'decidedAt', 'requestedByName'],
});

export const requestsCollection = pushedCollection<RequestDocument>(requestSchema, requestsConflictHandler);

/** Every request the user can see, newest first (not yet sent ones first of all). */
export function observeRequests(db: HomeroomDatabase): Observable<Array<RxDocument<RequestDocument>>> {
  return db.requests.find({ sort: [{ submittedAt: 'desc' }, { id: 'asc' }] }).$;
}
