/**
 * What the app shell needs only once someone is signed in, or when this device remembers who
 * was: who is signed in with Sign out, the families' and staff's tabs, idle sign-out and its
 * warning on shared computers (signed-in-frame.ts), the account's records (local-data.ts),
 * remembering the account for an offline reload, the chosen child, and saving the language with
 * the account. A chunk of its own, imported by `<hr-app>`, so the sign-in
 * screen does not download it (docs/benchmarks.md, JavaScript before sign-in); the service
 * worker precaches it with every other chunk, so an offline reload opens it from the cache.
 */
import { startLocalData } from '../data/local-data.ts';
import { warmIntl } from '../lib/intl-warm.ts';
import { currentLanguage } from './i18n.ts';
import { startOfflineSession } from './offline-session.ts';

export { saveLanguage } from '../data/account.ts';
export { subscribeSelectedStudent } from '../data/selected-student.ts';
export { IdleSignOutController } from './idle-sign-out.ts';
export { restoreOrResumeOffline } from './offline-session.ts';
export { renderIdleWarning, renderSessionBar, renderTabs, signedInStyles } from './signed-in-frame.ts';

let intlWarmed = false;

/**
 * Follows the session from now on (both calls are idempotent): records opened, the account
 * remembered; and dates made ready to format off the main thread while the records open.
 */
export function startSignedInShell(): void {
  startLocalData();
  startOfflineSession();
  if (!intlWarmed) {
    intlWarmed = true;
    void warmIntl(currentLanguage());
  }
}
