/**
 * Idle sign-out on shared computers (WCAG 2.2.1 Timing Adjustable): after the session's idle limit
 * without a key, a tap, a click or a scroll, the app signs out. A warning comes at least 20 seconds
 * before, announced, and any key or tap keeps the person signed in. While they are active the
 * session is refreshed, so the server's own idle limit (the same) never ends it under them.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { IDLE_WARNING_SECONDS } from '../../server/contract/kiosk.ts';
import { refreshSession, sessionExpiresAt, sessionIdleMinutes, signOut, subscribeSession } from '../data/session.ts';

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'scroll'] as const;
const TICK_MS = 1000;

export class IdleSignOutController implements ReactiveController {
  /** Seconds left before the sign-out while the warning shows; null when there is none. */
  secondsLeft: number | null = null;

  private lastActivity = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private refreshing = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = subscribeSession(() => this.follow());
    this.follow();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.stop();
  }

  /** The idle limit in ms, when the session open now is on a shared computer. */
  private limitMs(): number | undefined {
    const minutes = sessionIdleMinutes();
    return minutes === undefined ? undefined : minutes * 60_000;
  }

  private warningMs(limit: number): number {
    return Math.min(IDLE_WARNING_SECONDS * 1000, limit / 2);
  }

  private follow(): void {
    if (this.limitMs() === undefined) {
      this.stop();
      return;
    }
    if (this.timer) return;
    this.lastActivity = Date.now();
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, this.onActivity, { capture: true, passive: true });
    this.timer = setInterval(this.tick, TICK_MS);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, this.onActivity, { capture: true });
    this.show(null);
  }

  private show(seconds: number | null): void {
    if (seconds === this.secondsLeft) return;
    this.secondsLeft = seconds;
    this.host.requestUpdate();
  }

  /** Any key or tap counts, the warning's button included: the person is there. */
  readonly stayed = (): void => {
    this.lastActivity = Date.now();
    this.show(null);
    this.keepSessionAlive();
  };

  private readonly onActivity = (event: Event): void => {
    // A pointer resting over the page moves by a pixel now and then; reading it does not.
    if (event.type === 'pointermove' && this.secondsLeft === null && Date.now() - this.lastActivity < 5000) return;
    this.stayed();
  };

  /** In use: refresh before the server's idle limit (the access token's life) runs out. */
  private keepSessionAlive(): void {
    const limit = this.limitMs();
    const expires = sessionExpiresAt();
    if (limit === undefined || expires === undefined || this.refreshing || expires - Date.now() > limit / 2) return;
    this.refreshing = true;
    void refreshSession().finally(() => (this.refreshing = false));
  }

  private readonly tick = (): void => {
    const limit = this.limitMs();
    if (limit === undefined) {
      this.stop();
      return;
    }
    const left = limit - (Date.now() - this.lastActivity);
    if (left <= 0) {
      this.stop();
      void signOut();
    } else if (left <= this.warningMs(limit)) {
      this.show(Math.ceil(left / 1000));
    } else {
      this.show(null);
    }
  };
}
