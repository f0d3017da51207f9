/**
 * The `profile` collection: the households the user belongs to, with members, addresses,
 * phones and how each guardian wants to be reached. Guardians change their own contact
 * preferences here; address and phone changes go through a request (requests.ts), and the
 * server says so (`needs_request`) if a device tries them here.
 */
import type { Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';
import { profileSchema, type ProfileDocument } from '../../server/contract/sync/profile.ts';
import { pushedCollection } from './collection.ts';
import { deviceEditsWin } from './conflict-handler.ts';
import type { HomeroomDatabase } from './database.ts';

export type { ProfileDocument } from '../../server/contract/sync/profile.ts';

/**
 * Every field is compared, not only the preferences a guardian may change: any other change
 * is sent too, and the server refuses it with its reason rather than the device keeping it.
 */
export const profileConflictHandler = deviceEditsWin<ProfileDocument>({
  edited: ['name', 'primaryLanguage', 'members', 'addresses', 'phones', 'contactPreferences'],
});

export const profileCollection = pushedCollection<ProfileDocument>(profileSchema, profileConflictHandler);

/** The user's households, by name. */
export function observeHouseholds(db: HomeroomDatabase): Observable<Array<RxDocument<ProfileDocument>>> {
  return db.profile.find({ sort: [{ name: 'asc' }, { id: 'asc' }] }).$;
}
