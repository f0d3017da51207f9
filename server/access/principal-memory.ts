/**
 * Who is asking, remembered per session between pulls where the server remembers pulls
 * (`config.rememberPulls`, pull-gate.ts GateMemory). A device's first sync sends one pull per
 * collection, and each loaded the same principal: on PGlite that statement was a fifth of the
 * first sync. Remembered, the first pull loads it and the others reuse it.
 *
 * Why a remembered principal is never wrong, only late, as the gate's answers (feed-memory.ts):
 * it is forgotten when the change feed hears a commit to any table its statement reads
 * (PRINCIPAL_TABLES, every one notifying on insert and update: principal-memory.test.ts), the
 * session's end or the account's stop. It answers only for the day it was loaded and until its
 * session expires.
 */
import { FeedMemory } from '../sync/feed-memory.ts';
import type { Principal } from './principal.ts';

/** Every table the principal's statement reads besides `sessions` (whose endings the feed names). */
export const PRINCIPAL_TABLES: readonly string[] = ['accounts', 'access_grants', 'staff', 'staff_locations', 'section_staff', 'sections', 'tool_rights', 'staff_trainings'];

export interface SessionPrincipal {
  principal: Principal;
  expiresAt: Date;
  secondFactor: boolean;
}

/** A session of an account: whom a stream belongs to (it closes when either ends), whose principal is remembered. */
export interface Asking {
  districtId: string;
  accountId: string;
  sessionId: string;
}

export class PrincipalMemory extends FeedMemory<SessionPrincipal> {
  constructor() {
    super(20_000);
  }
}
