/**
 * Ends the current task so the page can paint and answer a tap before the next piece of work:
 * `scheduler.yield()` where the browser has it (the rest runs ahead of other queued tasks),
 * else a zero-delay timer. Long start-up work (opening the records, starting their sync) is cut
 * at these points into tasks under 50 ms, which is what Total Blocking Time counts.
 */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves when the browser has nothing more urgent to do (`requestIdleCallback`), or after
 * `timeoutMs` at the latest; for work nobody is waiting for, such as proving the device's copy.
 */
export function whenIdle(timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, 0);
  });
}
