/**
 * Who is asking, remembered per session between pulls where the server remembers pulls
 * (`config.rememberPulls`, pull-gate.ts GateMemory). A device's first sync sends one pull per
 * collection, and each loaded the same principal: on PGlite that statement was a fifth of the
 * first sync. Remembered, the first pull loads it and the others reuse it.
 *
 * Why a remembered principal is never wrong, only late, as the gate's heads: it is forgotten when
 * the change feed hears a commit to any table its statement reads (PRINCIPAL_TABLES, every one
 * notifying on insert and update: principal-memory.test.ts), the session's end or the account's
 * stop, and a statement's answer is kept only if nothing of the sort was heard while it ran. It
 * answers only for the day it was loaded and until its session expires, and a feed that is lost
 * forgets all and remembers nothing more.
 */
import { forgetEnded, type Ending, type FeedWatcher } from '../sync/changes.ts';
import type { Principal } from './principal.ts';
import { mustUseSecondFactor } from './second-factor.ts';

/** Every table the principal's statement reads besides `sessions` (whose endings the feed names). */
export const PRINCIPAL_TABLES: readonly string[] = ['accounts', 'access_grants', 'staff', 'staff_locations', 'section_staff', 'sections', 'tool_rights', 'staff_trainings'];

export interface SessionPrincipal {
  principal: Principal;
  expiresAt: Date;
  secondFactor: boolean;
}

export interface Asking {
  districtId: string;
  accountId: string;
  sessionId: string;
}

interface Remembered extends SessionPrincipal {
  districtId: string;
  accountId: string;
  today: string;
  /** The district's generation when it was loaded: any commit heard since forgets it. */
  generation: number;
}

/** At most this many sessions are remembered; beyond it memory starts again. */
const MAX_SESSIONS = 20_000;

export class PrincipalMemory implements FeedWatcher {
  private readonly sessions = new Map<string, Remembered>();
  /** Per district: commits heard to PRINCIPAL_TABLES; endings heard, anywhere. */
  private readonly generations = new Map<string, number>();
  private endings = 0;
  private lost = false;
  private readonly watched = new Set(PRINCIPAL_TABLES);

  changed(districtId: string, table: string): void {
    if (!this.watched.has(table)) return;
    this.generations.set(districtId, (this.generations.get(districtId) ?? 0) + 1);
  }

  ended(ending: Ending): void {
    this.endings += 1;
    forgetEnded(this.sessions, ending);
  }

  feedLost(): void {
    this.lost = true;
    this.sessions.clear();
  }

  /** The session's principal as last loaded today, or null when the store must be asked. */
  answer(asking: Asking, now: Date): SessionPrincipal | null {
    if (this.lost) return null;
    const s = this.sessions.get(asking.sessionId);
    if (!s || s.districtId !== asking.districtId || s.accountId !== asking.accountId || s.generation !== (this.generations.get(asking.districtId) ?? 0)) return null;
    if (s.today !== now.toISOString().slice(0, 10) || s.expiresAt.getTime() <= now.getTime()) return null;
    return { principal: s.principal, expiresAt: s.expiresAt, secondFactor: s.secondFactor };
  }

  /** Where memory stands before the statement: what it loads is kept only if nothing moved meanwhile. */
  mark(districtId: string): { district: number; endings: number } {
    return { district: this.generations.get(districtId) ?? 0, endings: this.endings };
  }

  learn(asking: Asking, now: Date, mark: { district: number; endings: number }, found: SessionPrincipal): void {
    if (this.lost || mark.district !== (this.generations.get(asking.districtId) ?? 0) || mark.endings !== this.endings) return;
    // A session refused for want of a second factor may gain one in place (enrolment), unheard: ask again.
    if (mustUseSecondFactor(found.principal) && !found.secondFactor) return;
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.clear();
    this.sessions.set(asking.sessionId, { ...found, districtId: asking.districtId, accountId: asking.accountId, today: now.toISOString().slice(0, 10), generation: mark.district });
  }
}
