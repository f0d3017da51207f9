/** Helpers for end-to-end browser tests that drive the whole app (`<hr-app>`) against the real API. */
import type { LitElement } from 'lit';
import type { HrApp } from '../app/hr-app.ts';
import '../app/hr-app.ts';
import { mount, waitFor } from './dom.ts';

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

/** Signs in through the sign-in screen of a mounted app. */
export async function signInThroughApp(app: HrApp, username: string, password: string): Promise<void> {
  const signIn = await viewOf(app, 'hr-sign-in');
  type(signIn, '#username', username);
  type(signIn, '#password', password);
  await submitForm(signIn);
}
