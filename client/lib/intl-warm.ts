/**
 * Wakes the browser's date and number formatting on another thread before a screen needs it.
 *
 * The first date a page formats loads ICU's calendars, time zones and locale data: 35–100 ms in
 * one task in Debian's Chromium on a server core (`new Intl.DateTimeFormat(…).format()`, a fresh
 * page each time), four times that on the phones Lighthouse simulates, and Today formats its first
 * dates in the task that draws it (docs/benchmarks.md, Today's total blocking time). Those caches
 * belong to the renderer process, not to a thread: after a worker has formatted a date, the page's
 * first formatter took 0.5–1.3 ms in the same measurement. Started with the signed-in shell, long
 * before a screen has read the records it formats.
 */

/** Resolves true once a worker has formatted a date and a number in `language`; false where it could not. */
export function warmIntl(language: string): Promise<boolean> {
  if (typeof Worker !== 'function') return Promise.resolve(false);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // A classic worker (no imports): old Safari has no module workers.
      worker = new Worker(new URL('./intl-warm.worker.ts', import.meta.url));
    } catch {
      return resolve(false);
    }
    const done = (warmed: boolean) => {
      worker.terminate();
      resolve(warmed);
    };
    worker.onmessage = (event: MessageEvent<unknown>) => done(event.data === true);
    worker.onerror = () => done(false);
    worker.postMessage(language);
  });
}
