import { expect } from 'vitest';

export interface StreamEvent {
  event: string;
  data: string;
}

/** A device's change stream (`/api/sync/stream`) read through fetch (EventSource cannot send a token). */
export interface OpenStream {
  events: StreamEvent[];
  /** The first event so far or within `ms` that matches, or null. */
  waitFor(predicate: (e: StreamEvent) => boolean, ms?: number): Promise<StreamEvent | null>;
  /** Whether the server ended the stream within `ms`. */
  endsWithin(ms: number): Promise<boolean>;
  close(): void;
}

export async function openStream(base: string, token: string): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/sync/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: StreamEvent[] = [];
  let ended = false;
  const reading = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: ?(.*)$/m.exec(block)?.[1] ?? '';
          events.push({ event, data });
        }
      }
    } catch {
      // aborted
    } finally {
      ended = true;
    }
  })();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    events,
    async waitFor(predicate, ms = 3000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const found = events.find(predicate);
        if (found) return found;
        await sleep(20);
      }
      return events.find(predicate) ?? null;
    },
    async endsWithin(ms) {
      await Promise.race([reading, sleep(ms)]);
      return ended;
    },
    close: () => controller.abort(),
  };
}
