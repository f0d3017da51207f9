/**
 * What the app shell needs only once someone is signed in, or when this device remembers who
 * was: the families' and staff's tabs, idle sign-out on shared computers, the account's records
 * (local-data.ts), remembering the account for an offline reload, the chosen child, and saving
 * the language with the account. A chunk of its own, imported by `<hr-app>`, so the sign-in
 * screen does not download it (docs/benchmarks.md, JavaScript before sign-in); the service
 * worker precaches it with every other chunk, so an offline reload opens it from the cache.
 */
import '../components/hr-portal-nav.ts';
import '../components/hr-staff-nav.ts';
import { startLocalData } from '../data/local-data.ts';
import { startOfflineSession } from './offline-session.ts';

export { PORTAL_TABS, type PortalTab } from '../components/hr-portal-nav.ts';
export { saveLanguage } from '../data/account.ts';
export { selectedStudentId, subscribeSelectedStudent } from '../data/selected-student.ts';
export { IdleSignOutController } from './idle-sign-out.ts';
export { restoreOrResumeOffline } from './offline-session.ts';

/** Follows the session from now on (both calls are idempotent): records opened, the account remembered. */
export function startSignedInShell(): void {
  startLocalData();
  startOfflineSession();
}
