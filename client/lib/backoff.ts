/**
 * How long to wait before the next attempt after `failures` failures in a row: exponential
 * with "full jitter", so devices that lost the server together do not come back together.
 */
export interface Backoff {
  /** Wait before the first retry (ms). */
  initialMs: number;
  /** Never wait longer than this (ms). */
  maxMs: number;
}

export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 60_000 };

/** A delay in [ceiling / 2, ceiling], where the ceiling doubles per failure up to `maxMs`. */
export function backoffDelay(failures: number, backoff: Backoff = defaultBackoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
