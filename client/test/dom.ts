/** Helpers for tests that render elements into the test page. */
import type { LitElement } from 'lit';

const mounted: Element[] = [];

/** Appends a new `<tag>` to the page and waits for its first render. */
export async function mount<K extends keyof HTMLElementTagNameMap>(tag: K): Promise<HTMLElementTagNameMap[K]> {
  const element = document.createElement(tag);
  document.body.append(element);
  mounted.push(element);
  await (element as unknown as LitElement).updateComplete;
  return element;
}

/** Removes everything `mount` added. */
export function unmountAll(): void {
  for (const element of mounted.splice(0)) element.remove();
}

/** Resolves once `read` returns a value other than undefined/null/false, or fails after `timeout` ms. */
export async function waitFor<T>(read: () => T | undefined | null | false, timeout = 3000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = read();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() - start > timeout) throw new Error(`waitFor timed out: ${read.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Like `waitFor`, for a read that has to ask the database or the server; patient by default (a busy machine syncs slowly). */
export async function waitForAsync<T>(read: () => Promise<T | undefined | null | false>, timeout = 20_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() - start > timeout) throw new Error(`waitForAsync timed out: ${read.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Text as a reader perceives it: whitespace collapsed. */
export function textOf(element: Element | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
