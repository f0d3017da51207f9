/**
 * The device's one sync stream (`GET /api/sync/stream`, Server-Sent Events), read through
 * `fetch` because EventSource cannot send the access token. It says only "pull now": `resync`
 * on every connect, `change` naming collections, `ping` to show the line is alive.
 * A stream ends after 15 minutes (an access token's life) or when the network drops; it is
 * opened again, each time with a token fresh enough for the request, after a pause that grows
 * with each failure in a row.
 */
import { backoffDelay, defaultBackoff, type Backoff } from '../lib/backoff.ts';
import { ServerSentEventParser, type ServerSentEvent } from '../lib/server-sent-events.ts';
import type { Fetcher } from './api.ts';

export const SYNC_STREAM_PATH = '/api/sync/stream';

export interface SyncStreamOptions {
  /** `authorizedFetch`: adds the token and refreshes it when refused. */
  fetcher: Fetcher;
  onEvent: (event: ServerSentEvent) => void;
  path?: string;
  backoff?: Backoff;
  /** The server pings every 25 s: this long without a byte means the line is dead. */
  idleTimeoutMs?: number;
  /** A connection that lasted this long counts as healthy: the next failure starts the backoff over. */
  healthyAfterMs?: number;
}

export interface SyncStream {
  /** Stops reading and reconnecting; the server sees the connection close. */
  close(): void;
  /** Connections opened so far (tests). */
  readonly connections: number;
}

export function followSyncStream(options: SyncStreamOptions): SyncStream {
  const path = options.path ?? SYNC_STREAM_PATH;
  const backoff = options.backoff ?? defaultBackoff;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const healthyAfterMs = options.healthyAfterMs ?? 60_000;

  let closed = false;
  let connections = 0;
  let connection: AbortController | undefined;
  let wake: (() => void) | undefined;

  const onOnline = (): void => wake?.();
  window.addEventListener('online', onOnline);

  /** Waits `ms`, or less when closed or back online. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  /** One connection, read until it ends; resolves whether any event arrived. */
  async function connect(): Promise<boolean> {
    const controller = new AbortController();
    connection = controller;
    connections += 1;
    let received = false;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const stillAlive = (): void => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => controller.abort(), idleTimeoutMs);
    };
    try {
      stillAlive();
      const response = await options.fetcher(path, {
        headers: { accept: 'text/event-stream' },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        return false;
      }
      const reader = response.body.getReader();
      // Aborting the request ends the read too (the idle timeout, close()).
      controller.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined));
      const decoder = new TextDecoder();
      const parser = new ServerSentEventParser((event) => {
        received = true;
        if (!closed) options.onEvent(event);
      });
      for (;;) {
        const { value, done } = await reader.read();
        if (done || closed) break;
        stillAlive();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Offline, aborted, or cut: the loop below decides when to try again.
    } finally {
      clearTimeout(idleTimer);
      controller.abort();
      if (connection === controller) connection = undefined;
    }
    return received;
  }

  void (async () => {
    let failures = 0;
    while (!closed) {
      if (navigator.onLine === false) {
        // Nothing to reach: wait for the network (the timeout guards a browser that never says).
        await pause(backoff.maxMs);
        continue;
      }
      const started = Date.now();
      const received = await connect();
      if (closed) break;
      failures = received && Date.now() - started >= healthyAfterMs ? 0 : failures + 1;
      // A stream that ran its course reconnects at once; failures wait longer each time.
      if (failures > 0) await pause(backoffDelay(failures, backoff));
    }
  })();

  return {
    close() {
      closed = true;
      window.removeEventListener('online', onOnline);
      connection?.abort();
      wake?.();
    },
    get connections() {
      return connections;
    },
  };
}
