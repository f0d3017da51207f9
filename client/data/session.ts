/**
 * The signed-in session: the access token (in memory only, never in storage, so a script
 * that reads storage finds nothing to steal), the account's `Me`, and when the token expires.
 * The refresh token lives in an HttpOnly cookie scoped to /api/auth that the page cannot read;
 * /api/auth/refresh trades it for a new access token, which is also how a reload gets back in.
 */
import type { Me, SessionResponse } from '../../server/contract/auth.ts';
import { apiHeaders, apiRequest, readResult, type ApiResult } from './api.ts';

/** What happened to the session, for listeners that route or re-render. */
export type SessionEvent =
  /** Signed in here (sign-in or claim screen). */
  | 'signed-in'
  /** The refresh cookie brought back a session after a reload, or after another tab signed in. */
  | 'restored'
  /** Same person, newer `Me` (a refresh, a language change). */
  | 'updated'
  /** Signed out here, in another tab, or the server ended the session (expired, revoked). */
  | 'signed-out';

export type SessionListener = (me: Me | undefined, event: SessionEvent) => void;

interface Session {
  accessToken: string;
  /** `Date.now()` value after which the access token is refused. */
  expiresAt: number;
  me: Me;
  /** On a shared computer: minutes without use before it signs out (the server's idle limit). */
  idleMinutes: number | undefined;
}

type RefreshOutcome = 'ok' | 'rejected' | 'unreachable';

/** Refresh this long before expiry, so a request never leaves with a token about to lapse. */
const refreshMarginMs = 30_000;
const channelName = 'homeroom-session';
/** Our localStorage keys share this prefix; sign-out removes all of them except device settings. */
const storagePrefix = 'homeroom.';
/** The language, and which accounts called this browser their own device, belong to the device, not to whoever signed in. */
const keptStorageKeys = new Set(['homeroom.lang', 'homeroom.ownDevice']);
/**
 * The account this device last had signed in, kept for an offline reload (app/offline-session.ts
 * writes and checks it); a `homeroom.` key, so sign-out removes it.
 */
export const OFFLINE_ACCOUNT_KEY = 'homeroom.offlineAccount';
/** Set when sign-out could not reach the server: the refresh cookie must not restore a session. */
const logoutPendingKey = 'homeroom.logoutPending';

let session: Session | undefined;
let refreshing: Promise<RefreshOutcome> | undefined;
let restoring: Promise<boolean> | undefined;
/** Counts sign-outs, so a refresh answered after one is ignored. */
let signOuts = 0;
const listeners = new Set<SessionListener>();
const wipeTasks = new Set<() => unknown>();

type ChannelMessage = { type: 'signed-in' } | { type: 'signed-out' };
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName) : undefined;

function notify(event: SessionEvent): void {
  const me = session?.me;
  for (const listener of [...listeners]) listener(me, event);
}

function broadcast(message: ChannelMessage): void {
  channel?.postMessage(message);
}

function setSession(response: SessionResponse): void {
  session = {
    accessToken: response.accessToken,
    expiresAt: Date.now() + response.expiresIn * 1000,
    me: response.me,
    idleMinutes: response.idleMinutes,
  };
}

// ── Reading the session ─────────────────────────────────────────────────────────────────

/** The signed-in account, its roles, locations and students; undefined when signed out. */
export function currentMe(): Me | undefined {
  return session?.me;
}

export function isSignedIn(): boolean {
  return session !== undefined;
}

/** When the current access token expires (ms since the epoch), or undefined when signed out. */
export function sessionExpiresAt(): number | undefined {
  return session?.expiresAt;
}

/** Minutes without use before this shared computer signs out; undefined on the person's own device (or signed out). */
export function sessionIdleMinutes(): number | undefined {
  return session?.idleMinutes;
}

/** Calls `listener` on every sign-in, restore, update and sign-out; returns the unsubscribe. */
export function subscribeSession(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// ── Starting, refreshing and restoring ──────────────────────────────────────────────────

/** Takes over what login or claim answered; the server has already set the refresh cookie. */
export function startSession(response: SessionResponse): void {
  setSession(response);
  forgetLogoutPending();
  broadcast({ type: 'signed-in' });
  notify('signed-in');
}

/**
 * Resumes the account this device remembers without the network (app/offline-session.ts): a
 * restore, not a sign-in, so the screen the page was on stays (an offline reload on the Family
 * tab stays on Family) and other tabs are not told someone signed in.
 */
export function resumeSession(response: SessionResponse): void {
  setSession(response);
  notify('restored');
}

/** Replaces the signed-in person's `Me` (after GET /api/me or a saved change). */
export function updateMe(me: Me): void {
  if (!session || session.me.account.id !== me.account.id) return;
  session = { ...session, me };
  notify('updated');
}

async function postRefresh(): Promise<RefreshOutcome> {
  const started = signOuts;
  const result = await apiRequest<SessionResponse>('/api/auth/refresh', { method: 'POST', json: {} });
  // A sign-out while the request was out wins: its answer must not sign the device back in.
  if (signOuts !== started) return 'rejected';
  if (result.ok) {
    const wasSignedIn = session !== undefined;
    setSession(result.body);
    notify(wasSignedIn ? 'updated' : 'restored');
    return 'ok';
  }
  // 401 is the server's answer about this session; anything else says nothing about it.
  return result.status === 401 ? 'rejected' : 'unreachable';
}

/**
 * Trades the refresh cookie for a new access token. Single-flight: concurrent callers share
 * one request, and tabs take turns (Web Locks where available), because the server treats a
 * rotated refresh token coming back as theft and revokes the whole session.
 */
export function refreshSession(): Promise<RefreshOutcome> {
  if (refreshing) return refreshing;
  const request: Promise<RefreshOutcome> = navigator.locks
    ? navigator.locks.request('homeroom-refresh', () => postRefresh()).then((outcome) => outcome)
    : postRefresh();
  refreshing = request.finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/**
 * On app start: asks the server silently whether the refresh cookie still holds a session.
 * Resolves true when signed in. A sign-out that never reached the server is finished first.
 */
export function restoreSession(): Promise<boolean> {
  if (session) return Promise.resolve(true);
  if (restoring) return restoring;
  restoring = (async () => {
    if (readLogoutPending()) {
      if (await postLogout()) forgetLogoutPending();
      return false;
    }
    return (await refreshSession()) === 'ok';
  })().finally(() => {
    restoring = undefined;
  });
  return restoring;
}

/** Whether this device remembers an account to open offline (checked before loading the code that opens it). */
export function remembersAccount(): boolean {
  try {
    return localStorage.getItem(OFFLINE_ACCOUNT_KEY) !== null;
  } catch {
    return false; // storage blocked: nothing was remembered
  }
}

/** Drops the in-memory session as a page reload would; the refresh cookie stays. */
export function forgetSession(): void {
  session = undefined;
}

// ── Requests that need the session ──────────────────────────────────────────────────────

function withToken(init: RequestInit, token: string | undefined): RequestInit {
  const headers = apiHeaders(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return { credentials: 'same-origin', ...init, headers };
}

/**
 * `fetch` with the access token. An expired or refused token is refreshed once (shared with
 * every concurrent caller) and the request retried; when the server refuses the refresh too,
 * this device signs out. Network failures reject as with `fetch`, and leave the session alone.
 */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  if (!session || session.expiresAt - Date.now() < refreshMarginMs) {
    if ((await refreshSession()) === 'rejected' && session) await endSession();
  }
  const token = session?.accessToken;
  const response = await fetch(path, withToken(init, token));
  if (response.status !== 401 || !token) return response;

  // Another caller may have refreshed while this request was out.
  const outcome = session && session.accessToken !== token ? 'ok' : await refreshSession();
  if (outcome === 'rejected') {
    if (session) await endSession();
    return response;
  }
  if (outcome === 'unreachable' || !session) return response;
  return fetch(path, withToken(init, session.accessToken));
}

// ── Signing out and wiping the device ───────────────────────────────────────────────────

/** Runs `task` at every sign-out (e.g. the data layer removes its database); returns the unregister. */
export function onSignOutWipe(task: () => unknown): () => void {
  wipeTasks.add(task);
  return () => wipeTasks.delete(task);
}

function readLogoutPending(): boolean {
  try {
    return localStorage.getItem(logoutPendingKey) !== null;
  } catch {
    return false;
  }
}

function forgetLogoutPending(): void {
  try {
    localStorage.removeItem(logoutPendingKey);
  } catch {
    // Storage blocked: nothing was saved either.
  }
}

function rememberLogoutPending(): void {
  try {
    localStorage.setItem(logoutPendingKey, '1');
  } catch {
    // Storage blocked: the server session lapses on its own.
  }
}

/** Resolves true once the server has answered (it cleared the cookie, or there was none). */
async function postLogout(): Promise<boolean> {
  const result = await apiRequest('/api/auth/logout', { method: 'POST', json: {} });
  return result.ok || result.code !== 'offline';
}

/**
 * Removes what this app keeps on the device: our localStorage keys (except device settings),
 * sessionStorage, every Cache Storage entry but the service worker's precache (the app shell
 * holds no personal data), and whatever the data layer registered. Works offline.
 */
export async function wipeDevice(): Promise<void> {
  try {
    for (let index = localStorage.length - 1; index >= 0; index--) {
      const key = localStorage.key(index);
      if (key?.startsWith(storagePrefix) && !keptStorageKeys.has(key)) localStorage.removeItem(key);
    }
    sessionStorage.clear();
  } catch {
    // Storage blocked: nothing of ours is in it.
  }
  const wipes: Promise<unknown>[] = [...wipeTasks].map((task) => Promise.resolve().then(task));
  if (typeof caches !== 'undefined') {
    wipes.push(
      caches
        .keys()
        .then((names) =>
          Promise.all(names.filter((name) => !name.startsWith('workbox-precache')).map((name) => caches.delete(name))),
        ),
    );
  }
  await Promise.allSettled(wipes);
}

/** Clears the session here and on the device, and tells other tabs. */
async function endSession(): Promise<void> {
  session = undefined;
  signOuts++;
  await wipeDevice();
  broadcast({ type: 'signed-out' });
  notify('signed-out');
}

/**
 * Signs this device out: the server revokes the session and clears the cookie, and the device
 * forgets everything at once, even offline. Without a network the logout is sent on next start
 * (or when the network is back) so the cookie cannot bring the session back.
 */
export async function signOut(): Promise<void> {
  const logout = postLogout();
  await endSession();
  if (!(await logout)) rememberLogoutPending();
}

/** Signs out every device of this account, this one included. Needs the network. */
export async function signOutEverywhere(): Promise<ApiResult<unknown>> {
  const result = await apiRequest('/api/auth/logout-all', { method: 'POST', json: {} }, authorizedFetch);
  if (result.ok) await signOut();
  return result;
}

// ── Other tabs ──────────────────────────────────────────────────────────────────────────

if (channel) {
  channel.onmessage = (event: MessageEvent<ChannelMessage>) => {
    if (event.data?.type === 'signed-out' && session) {
      // The tab that signed out already wiped the device; this one forgets what it holds.
      session = undefined;
      signOuts++;
      notify('signed-out');
    } else if (event.data?.type === 'signed-in' && !session) {
      void restoreSession();
    }
  };
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    if (readLogoutPending()) void postLogout().then((done) => done && forgetLogoutPending());
  });
}
