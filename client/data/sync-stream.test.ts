import { expect } from 'chai';
import type { ServerSentEvent } from '../lib/server-sent-events.ts';
import { waitFor } from '../test/dom.ts';
import { describe, it } from '../test/mocha.ts';
import { followSyncStream } from './sync-stream.ts';

const fastBackoff = { initialMs: 20, maxMs: 200 };

/** A response whose body sends `chunks`, then ends (or stays open with `keepOpen`). */
function eventStream(chunks: string[], keepOpen = false): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (!keepOpen) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

describe('sync stream', () => {
  it('passes every event on, and reconnects when the server ends the stream', async () => {
    const events: ServerSentEvent[] = [];
    const requests: Array<{ path: string; accept: string | null }> = [];
    const stream = followSyncStream({
      fetcher: async (path, init) => {
        requests.push({ path, accept: new Headers(init.headers).get('accept') });
        return eventStream(['event: resync\ndata: \n\n', 'event: change\ndata: {"collections":["students"]}\n\n']);
      },
      onEvent: (event) => events.push(event),
      backoff: fastBackoff,
    });
    try {
      await waitFor(() => stream.connections >= 3);
      expect(requests[0]).to.deep.equal({ path: '/api/sync/stream', accept: 'text/event-stream' });
      expect(events.slice(0, 2)).to.deep.equal([
        { event: 'resync', data: '' },
        { event: 'change', data: '{"collections":["students"]}' },
      ]);
    } finally {
      stream.close();
    }
  });

  it('waits longer after each failure in a row, and stops for good when closed', async () => {
    const attempts: number[] = [];
    const stream = followSyncStream({
      fetcher: async () => {
        attempts.push(performance.now());
        throw new TypeError('Failed to fetch');
      },
      onEvent: () => undefined,
      backoff: { initialMs: 40, maxMs: 400 },
    });
    await waitFor(() => attempts.length >= 4, 3000);
    stream.close();
    const gaps = attempts.slice(1).map((at, index) => at - attempts[index]!);
    // Jitter stays in the upper half of each doubling ceiling: 20–40, 40–80, 80–160 ms.
    expect(gaps[0]).to.be.within(15, 80);
    expect(gaps[1]! + 5).to.be.at.least(gaps[0]!);
    expect(gaps[2]).to.be.at.least(70);
    const count = attempts.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts.length).to.equal(count);
  });

  it('gives up on a line that goes quiet (no ping) and connects again', async () => {
    let connections = 0;
    const stream = followSyncStream({
      fetcher: async () => {
        connections += 1;
        return eventStream(['event: resync\ndata: \n\n'], true);
      },
      onEvent: () => undefined,
      backoff: fastBackoff,
      idleTimeoutMs: 100,
    });
    try {
      await waitFor(() => connections >= 2, 2000);
    } finally {
      stream.close();
    }
  });

  it('treats a refusal (401 after a failed refresh, 503) as a failure to back off from, not a loop', async () => {
    let attempts = 0;
    const stream = followSyncStream({
      fetcher: async () => {
        attempts += 1;
        return new Response('{"error":{"code":"unauthenticated"}}', { status: 401 });
      },
      onEvent: () => undefined,
      backoff: { initialMs: 100, maxMs: 1000 },
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    stream.close();
    expect(attempts).to.be.within(2, 5);
  });
});
