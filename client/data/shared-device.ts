/**
 * Shared computers. A browser is a kiosk only if the server says so (its HttpOnly device cookie,
 * which no page can set or clear), and a session is on a shared computer when the server gave it
 * an idle limit (a kiosk, or the person answered "this is not my device"). On a shared computer:
 * records stay in memory (local-data.ts), nothing is remembered for an offline reload
 * (offline-session.ts), the session signs out when the page goes away (a beacon, as the tab
 * closes or reloads) and again on the next start if that did not reach the server, and the app
 * signs out after the idle limit (app/idle-sign-out.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EnrolledKiosk, KioskState } from '../../server/contract/kiosk.ts';
import { apiRequest, type ApiResult } from './api.ts';
import { authorizedFetch, sessionIdleMinutes, signOut, subscribeSession, wipeDevice } from './session.ts';

export type { EnrolledKiosk } from '../../server/contract/kiosk.ts';

/** Set while a shared computer's session is open here (removed with the other `homeroom.` keys at sign-out). */
const SHARED_SESSION_KEY = 'homeroom.sharedSession';
/** Held by each tab with a shared session open, so a new tab can tell a live session from one left behind. */
const SHARED_SESSION_LOCK = 'homeroom-shared-session';
/** Hashed usernames of the accounts that called this browser their own device: a device setting. */
const OWN_DEVICE_KEY = 'homeroom.ownDevice';
const MAX_OWN_DEVICE_ACCOUNTS = 5;

export type KioskListener = (kiosk: EnrolledKiosk | null) => void;

/** undefined until the server has answered (or could not be reached). */
let kiosk: EnrolledKiosk | null | undefined;
const listeners = new Set<KioskListener>();
let releaseLock: (() => void) | undefined;
let started = false;

function notify(): void {
  for (const listener of [...listeners]) listener(kiosk ?? null);
}

/** The kiosk this browser is, as the server last said; null when it is not one (or not known yet). */
export function currentKiosk(): EnrolledKiosk | null {
  return kiosk ?? null;
}

export function subscribeKiosk(listener: KioskListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The kiosk this browser is, for a view: re-renders its host when the server's answer arrives
 * or changes (a screen can show before the server has said).
 *
 *   private readonly kiosk = new KioskController(this);
 *   render() { return this.kiosk.value ? … : … }
 */
export class KioskController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  /** The kiosk this browser is; null when it is not one (or not known yet). */
  get value(): EnrolledKiosk | null {
    return currentKiosk();
  }

  hostConnected(): void {
    this.unsubscribe = subscribeKiosk(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

function setKiosk(next: EnrolledKiosk | null): void {
  kiosk = next;
  // A kiosk is nobody's own device: whoever said so here before (the staff member who enrolled it) is forgotten.
  if (next) forgetOwnDevices();
  notify();
}

function forgetOwnDevices(): void {
  try {
    localStorage.removeItem(OWN_DEVICE_KEY);
  } catch {
    // Storage blocked: nothing was kept.
  }
}

/** Asks the server whether this browser is an enrolled kiosk; offline, it is taken as not one. */
export async function checkKiosk(): Promise<EnrolledKiosk | null> {
  const result = await apiRequest<KioskState>('/api/kiosk', { method: 'GET' });
  setKiosk(result.ok ? (result.body?.kiosk ?? null) : null);
  return kiosk ?? null;
}

/** The computer at `#/kiosk` enrols itself with the code a staff member made. */
export async function enrolWithCode(code: string): Promise<ApiResult<KioskState>> {
  const result = await apiRequest<KioskState>('/api/kiosk/enrol', { method: 'POST', json: { code } });
  if (result.ok) setKiosk(result.body.kiosk);
  return result;
}

/** A staff member makes the browser she is using a kiosk: the server signs her out of it. */
export async function enrolThisBrowser(schoolId: string, label: string): Promise<ApiResult<KioskState>> {
  const result = await apiRequest<KioskState>('/api/staff/kiosks/this-browser', { method: 'POST', json: { schoolId, label } }, authorizedFetch);
  if (result.ok) {
    // A kiosk first, so that signed out, the app shows the kiosk's start screen.
    setKiosk(result.body.kiosk);
    await signOut();
  }
  return result;
}

/** Whether the session open now is on a shared computer. */
export function onSharedDevice(): boolean {
  return sessionIdleMinutes() !== undefined || currentKiosk() !== null;
}

// ── The person's own devices ──────────────────────────────────────────────────────────

async function usernameHash(username: string): Promise<string> {
  const bytes = new TextEncoder().encode(`homeroom-own-device:${username.trim().toLowerCase()}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest.slice(0, 12), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function readOwnDevice(): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(OWN_DEVICE_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((entry): entry is string => typeof entry === 'string') : [];
  } catch {
    return [];
  }
}

/** Whether `username` said before, on this browser, that it is their own device. */
export async function isOwnDeviceOf(username: string): Promise<boolean> {
  if (!username.trim() || typeof crypto?.subtle === 'undefined') return false;
  return readOwnDevice().includes(await usernameHash(username));
}

/** Remembers (or forgets) that this browser is `username`'s own device, for the next sign-in here. */
export async function rememberOwnDevice(username: string, own: boolean): Promise<void> {
  if (typeof crypto?.subtle === 'undefined') return;
  const hash = await usernameHash(username);
  const others = readOwnDevice().filter((entry) => entry !== hash);
  const kept = own ? [hash, ...others].slice(0, MAX_OWN_DEVICE_ACCOUNTS) : others;
  try {
    // Someone on a shared computer leaves no trace here, not even an empty list.
    if (kept.length > 0) localStorage.setItem(OWN_DEVICE_KEY, JSON.stringify(kept));
    else localStorage.removeItem(OWN_DEVICE_KEY);
  } catch {
    // Storage blocked: the question is asked again next time.
  }
}

/** An installed app (home screen, desktop) is the person's own device; a browser tab may be anyone's. */
export function isInstalledApp(): boolean {
  return typeof matchMedia === 'function' && (matchMedia('(display-mode: standalone)').matches || matchMedia('(display-mode: minimal-ui)').matches);
}

// ── Ending shared sessions ────────────────────────────────────────────────────────────

function holdSessionLock(): void {
  if (releaseLock || !navigator.locks) return;
  void navigator.locks.request(SHARED_SESSION_LOCK, { mode: 'shared' }, () => new Promise<void>((resolve) => (releaseLock = resolve)));
}

function letGoOfSessionLock(): void {
  releaseLock?.();
  releaseLock = undefined;
}

/** Whether another tab of this browser has a shared computer's session open right now. */
async function sessionOpenElsewhere(): Promise<boolean> {
  if (!navigator.locks) return false;
  const state = await navigator.locks.query();
  return (state.held ?? []).some((lock) => lock.name === SHARED_SESSION_LOCK);
}

function markSharedSession(open: boolean): void {
  try {
    if (open) localStorage.setItem(SHARED_SESSION_KEY, '1');
    else localStorage.removeItem(SHARED_SESSION_KEY);
  } catch {
    // Storage blocked: nothing else is kept either.
  }
}

/** Whether a shared computer's session was open here and not yet ended (this tab's or one left behind). */
export function sharedSessionLeftBehind(): boolean {
  try {
    return localStorage.getItem(SHARED_SESSION_KEY) !== null;
  } catch {
    return false;
  }
}

/** As the page goes away (closed, reloaded, navigated off): the server ends the session, and the page's storage is emptied. */
const onPageHide = (): void => {
  if (sessionIdleMinutes() === undefined) return;
  navigator.sendBeacon?.('/api/auth/logout');
  try {
    for (let index = localStorage.length - 1; index >= 0; index--) {
      const key = localStorage.key(index);
      // The marker stays: should the beacon not arrive, the next start signs out again.
      if (key?.startsWith('homeroom.') && key !== 'homeroom.lang' && key !== OWN_DEVICE_KEY && key !== SHARED_SESSION_KEY) localStorage.removeItem(key);
    }
    sessionStorage.clear();
  } catch {
    // Storage blocked: nothing was kept.
  }
};

/** Back from the browser's page cache after a shared session ended there: start over, showing nothing of it. */
const onPageShow = (event: PageTransitionEvent): void => {
  if (event.persisted && sharedSessionLeftBehind()) location.reload();
};

/**
 * On app start, before any session is restored: asks whether this is a kiosk, and ends a shared
 * computer's session left behind (a closed browser whose beacon did not arrive, a crash). A
 * kiosk never carries a session over from one page load to the next. Then follows the session:
 * marks shared sessions while they are open, and ends them with the page.
 */
export async function startSharedDevice(): Promise<void> {
  if (started) return;
  started = true;
  const [enrolled, elsewhere] = await Promise.all([checkKiosk(), sessionOpenElsewhere()]);
  if ((enrolled || sharedSessionLeftBehind()) && !elsewhere) {
    await apiRequest('/api/auth/logout', { method: 'POST', json: {} });
    await wipeDevice();
  }
  subscribeSession((_me, event) => {
    if (event === 'signed-out') {
      letGoOfSessionLock();
      markSharedSession(false);
    } else if (event === 'signed-in' || event === 'restored') {
      const shared = sessionIdleMinutes() !== undefined;
      markSharedSession(shared);
      if (shared) holdSessionLock();
    }
  });
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('pageshow', onPageShow);
}
