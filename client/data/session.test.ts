import { expect } from 'chai';
import { initI18n } from '../app/i18n.ts';
import { demoPassword, signInWithCode, startSignedOut, useFreshAddress } from '../test/api.ts';
import { afterEach, before, beforeEach, describe, it } from '../test/mocha.ts';
import type { SessionResponse } from './auth.ts';
import {
  authorizedFetch,
  currentMe,
  forgetSession,
  isSignedIn,
  onSignOutWipe,
  restoreSession,
  sessionExpiresAt,
  signOut,
  signOutEverywhere,
  startSession,
  subscribeSession,
  type SessionEvent,
} from './session.ts';
import { useOwnDistrict } from '../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('session');

async function signInAs(username = demo.guardian): Promise<SessionResponse> {
  const result = await signInWithCode({ username, password: demoPassword });
  if (!result.ok) throw new Error(`sign-in failed: ${result.code}`);
  return result.body;
}

/** Counts requests to paths containing `fragment` while the test runs. */
function countRequests(fragment: string): { count: number; restore: () => void } {
  const original = window.fetch;
  const counter = {
    count: 0,
    restore: () => {
      window.fetch = original;
    },
  };
  window.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).includes(fragment)) counter.count++;
    return original(input, init);
  };
  return counter;
}

describe('session', () => {
  before(() => initI18n('en'));

  beforeEach(async () => {
    await startSignedOut();
    await useFreshAddress();
  });

  afterEach(startSignedOut);

  it('keeps the access token in memory only, with the account and its expiry', async () => {
    const before = Date.now();
    const response = await signInAs();
    startSession(response);
    expect(isSignedIn()).to.equal(true);
    expect(currentMe()?.account.username).to.equal(demo.guardian);
    expect(sessionExpiresAt()).to.be.within(before + response.expiresIn * 1000 - 1000, Date.now() + response.expiresIn * 1000);
    const stored = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie;
    expect(stored).not.to.include(response.accessToken);
    // The refresh cookie is HttpOnly: scripts cannot read it.
    expect(document.cookie).not.to.include('hr_refresh');

    const me = await authorizedFetch('/api/me');
    expect(me.status).to.equal(200);
    expect(((await me.json()) as { account: { username: string } }).account.username).to.equal(demo.guardian);
  });

  it('refreshes a refused token once for all concurrent callers, then retries', async () => {
    const response = await signInAs();
    startSession({ ...response, accessToken: 'not-a-valid-token' });
    const refreshes = countRequests('/api/auth/refresh');
    try {
      const answers = await Promise.all([authorizedFetch('/api/me'), authorizedFetch('/api/me'), authorizedFetch('/api/me')]);
      expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200, 200]);
      expect(refreshes.count).to.equal(1);
    } finally {
      refreshes.restore();
    }
    expect(isSignedIn()).to.equal(true);
  });

  it('signs out on this device when the server refuses the refresh too', async () => {
    const response = await signInAs();
    startSession({ ...response, accessToken: 'not-a-valid-token' });
    localStorage.setItem('homeroom.draft', 'personal');
    const events: SessionEvent[] = [];
    const unsubscribe = subscribeSession((_me, event) => events.push(event));
    // Another device (or a thief) ended the session: the cookie no longer works.
    await fetch('/api/auth/logout', { method: 'POST' });

    const answer = await authorizedFetch('/api/me');
    unsubscribe();
    expect(answer.status).to.equal(401);
    expect(isSignedIn()).to.equal(false);
    expect(currentMe()).to.equal(undefined);
    expect(events).to.deep.equal(['signed-out']);
    expect(localStorage.getItem('homeroom.draft')).to.equal(null);
  });

  it('restores the session from the refresh cookie after a reload', async () => {
    startSession(await signInAs(demo.teacher));
    forgetSession(); // what a reload does to memory
    expect(isSignedIn()).to.equal(false);

    const events: SessionEvent[] = [];
    const unsubscribe = subscribeSession((_me, event) => events.push(event));
    expect(await restoreSession()).to.equal(true);
    unsubscribe();
    expect(events).to.deep.equal(['restored']);
    expect(currentMe()?.account.username).to.equal(demo.teacher);
    expect((await authorizedFetch('/api/me')).status).to.equal(200);
  });

  it('restores nothing without a session', async () => {
    expect(await restoreSession()).to.equal(false);
    expect(isSignedIn()).to.equal(false);
  });

  it('signs out: server session ended, device wiped except its language and the app shell', async () => {
    startSession(await signInAs());
    localStorage.setItem('homeroom.lang', 'es');
    localStorage.setItem('homeroom.pending', 'personal');
    localStorage.setItem('another-app', 'theirs');
    await (await caches.open('homeroom-records')).put('/records', new Response('personal'));
    await (await caches.open('workbox-precache-v2-test')).put('/index.html', new Response('shell'));
    let wiped = 0;
    const unregister = onSignOutWipe(() => wiped++);
    const channel = new BroadcastChannel('homeroom-session');
    const told = new Promise<unknown>((resolve) => {
      channel.onmessage = (event) => resolve(event.data);
    });

    await signOut();
    unregister();
    expect(isSignedIn()).to.equal(false);
    expect(wiped).to.equal(1);
    expect(localStorage.getItem('homeroom.pending')).to.equal(null);
    expect(localStorage.getItem('homeroom.lang')).to.equal('es');
    expect(localStorage.getItem('another-app')).to.equal('theirs');
    expect(await caches.has('homeroom-records')).to.equal(false);
    expect(await caches.has('workbox-precache-v2-test')).to.equal(true);
    expect(await told).to.deep.equal({ type: 'signed-out' });
    channel.close();
    // The cookie is gone on the server's side too.
    expect(await restoreSession()).to.equal(false);

    localStorage.removeItem('homeroom.lang');
    localStorage.removeItem('another-app');
    await caches.delete('workbox-precache-v2-test');
  });

  it('signs out offline at once, and ends the server session on the next start', async () => {
    startSession(await signInAs());
    const original = window.fetch;
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    try {
      await signOut();
    } finally {
      window.fetch = original;
    }
    expect(isSignedIn()).to.equal(false);
    expect(localStorage.getItem('homeroom.logoutPending')).to.equal('1');
    // The cookie still works on the server, but the device asked to sign out: it stays out.
    expect(await restoreSession()).to.equal(false);
    expect(localStorage.getItem('homeroom.logoutPending')).to.equal(null);
    expect(await restoreSession()).to.equal(false);
  });

  it('follows a sign-out in another tab', async () => {
    startSession(await signInAs());
    const events: SessionEvent[] = [];
    const unsubscribe = subscribeSession((_me, event) => events.push(event));
    const otherTab = new BroadcastChannel('homeroom-session');
    otherTab.postMessage({ type: 'signed-out' });
    const start = performance.now();
    while (isSignedIn() && performance.now() - start < 2000) await new Promise((resolve) => setTimeout(resolve, 10));
    otherTab.close();
    unsubscribe();
    expect(isSignedIn()).to.equal(false);
    expect(events).to.deep.equal(['signed-out']);
  });

  it('signs out of every device', async () => {
    const first = await signInAs();
    startSession(await signInAs()); // a second device: the cookie now belongs to it
    const result = await signOutEverywhere();
    expect(result.ok).to.equal(true);
    expect(isSignedIn()).to.equal(false);
    const firstDevice = await fetch('/api/me', { headers: { authorization: `Bearer ${first.accessToken}` } });
    expect(firstDevice.status).to.equal(401);
  });
});
