/** Helpers for end-to-end browser tests that drive the whole app (`<hr-app>`) against the real API. */
import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { LitElement } from 'lit';
import type { HrApp } from '../app/hr-app.ts';
import '../app/hr-app.ts';
import { initI18n, setLanguage } from '../app/i18n.ts';
import type { CollectionName, HomeroomDatabase } from '../data/database.ts';
import { currentMe, isSignedIn } from '../data/session.ts';
import { currentTotpCode, demoPassword, expectNoAxeViolations, preloadDataLayer, startSignedOut, useFreshAddress } from './api.ts';
import { mount, unmountAll, waitFor } from './dom.ts';
import { afterEach, before, beforeEach } from './mocha.ts';
import { untilFirstSync } from './sync.ts';

/**
 * The hooks of a suite that drives the app against the shared API server: English and the data
 * layer loaded once; each test starts signed out from a fresh client address, and leaves the page
 * as it found it (nothing mounted, signed out, English, no route). `cleanUp` runs first after
 * each test, for what the suite changes besides (the network, a stubbed fetch, the viewport).
 */
export function useAppAgainstApi(cleanUp?: () => unknown): void {
  before(async function () {
    this.timeout(30_000);
    localStorage.removeItem('homeroom.lang');
    await initI18n('en');
    await preloadDataLayer();
  });

  beforeEach(async () => {
    await startSignedOut();
    await useFreshAddress();
  });

  afterEach(async function () {
    this.timeout(30_000);
    await cleanUp?.();
    unmountAll();
    await startSignedOut();
    await setLanguage('en');
    localStorage.removeItem('homeroom.lang');
    setRoute('');
  });
}

/** Sets the route without a hashchange (as a page load would see it). */
export function setRoute(hash: string): void {
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

/** Mounts the app on `hash`, as opening that address would. */
export async function mountApp(hash: string): Promise<HrApp> {
  setRoute(hash);
  return mount('hr-app');
}

/** The view element `tag` once the app shows it (and it has rendered). */
export async function viewOf<K extends keyof HTMLElementTagNameMap>(
  app: HrApp,
  tag: K,
  timeout = 5000,
): Promise<HTMLElementTagNameMap[K]> {
  const view = await waitFor(() => app.shadowRoot?.querySelector('main')?.querySelector(tag), timeout);
  await (view as unknown as LitElement).updateComplete;
  return view;
}

/** An element inside a view's shadow root; fails the test when missing. */
export function part<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`No ${selector} in <${host.localName}>`);
  return found;
}

/** Types into an input as a person would: sets the value and fires `input`. */
export function type(host: Element, selector: string, value: string): void {
  const input = part<HTMLInputElement>(host, selector);
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: value }));
}

/** Submits the view's form and waits until it is no longer busy. */
export async function submitForm(host: Element, formSelector = 'form'): Promise<void> {
  const form = part<HTMLFormElement>(host, formSelector);
  form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  await (host as LitElement).updateComplete;
  // Done when the form is idle again, or gone (replaced by a confirmation, or another screen).
  await waitFor(() => !form.isConnected || form.getAttribute('aria-busy') !== 'true', 8000);
  await (host as LitElement).updateComplete;
}

/**
 * Signs in through the sign-in screen of a mounted app, on the person's own device unless
 * `device` says it is a shared computer (an enrolled kiosk does not ask). When the account shows
 * a second factor (demo staff holding tool rights), types the code its authenticator shows now.
 */
export async function signInThroughApp(app: HrApp, username: string, password: string, device: 'own' | 'shared' = 'own'): Promise<void> {
  const signIn = await viewOf(app, 'hr-sign-in');
  type(signIn, '#username', username);
  type(signIn, '#password', password);
  signIn.shadowRoot?.querySelector<HTMLInputElement>(`#device-${device}`)?.click();
  await submitForm(signIn);
  const secondFactor = signIn.shadowRoot?.querySelector('hr-second-factor');
  if (!secondFactor) return;
  await secondFactor.updateComplete;
  type(secondFactor, '#code', await currentTotpCode(username));
  await submitForm(secondFactor);
}

/**
 * Mounts the app on the sign-in screen and signs in as `username`; resolves once the portal has
 * opened, in English (the account keeps its language, and an earlier test may have left another).
 */
export async function signInAs(username: string, password = demoPassword): Promise<HrApp> {
  const app = await mountApp('#/sign-in');
  await viewOf(app, 'hr-sign-in', 30_000);
  await signInThroughApp(app, username, password);
  await waitFor(() => isSignedIn() && !location.hash.startsWith('#/sign-in'), 15_000);
  await setLanguage('en');
  await waitFor(() => currentMe()?.account.language === 'en', 10_000);
  return app;
}

/** Signs in as `username` (see `signInAs`) and waits until `collections` have synced once on the device. */
export async function signInAndSync(username: string, collections: readonly CollectionName[], timeout = 60_000): Promise<{ app: HrApp; db: HomeroomDatabase }> {
  const app = await signInAs(username);
  return { app, db: await untilFirstSync(collections, timeout) };
}

/** Opens `route` in a signed-in app: the view `tag` once it has rendered. */
export async function openRoute<K extends keyof HTMLElementTagNameMap>(app: HrApp, route: string, tag: K, timeout = 15_000): Promise<HTMLElementTagNameMap[K]> {
  location.hash = route;
  return viewOf(app, tag, timeout);
}

/** Signs in as `username` (see `signInAs`) and opens `route`: the view `tag` once it has rendered. */
export async function signInAndOpen<K extends keyof HTMLElementTagNameMap>(
  username: string,
  route: string,
  tag: K,
  password = demoPassword,
): Promise<HTMLElementTagNameMap[K]> {
  return openRoute(await signInAs(username, password), route, tag);
}

/**
 * On a 320-pixel phone the view and the page keep their width (only `.table-scroll` and `.scroll`
 * regions scroll sideways, and even they end at the screen's edge), and axe finds nothing; the
 * viewport is put back afterwards.
 */
export async function expectFitsPhone(view: HTMLElement): Promise<void> {
  await setViewport({ width: 320, height: 640 });
  try {
    await (view as unknown as LitElement).updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(view.getBoundingClientRect().width, 'the view’s width').to.be.at.most(320);
    expect(document.documentElement.scrollWidth, 'the page’s width').to.be.at.most(320);
    for (const region of view.shadowRoot!.querySelectorAll<HTMLElement>('.table-scroll, .scroll')) expect(region.getBoundingClientRect().right, 'a scrolling region’s right edge').to.be.at.most(320);
    await expectNoAxeViolations();
  } finally {
    await setViewport({ width: 800, height: 600 });
  }
}
