/**
 * A `fetch` for benchmarks that counts what crosses the wire. Node's own fetch decompresses
 * bodies before anyone can count them, so this one speaks HTTP/1.1 through `node:http` with a
 * keep-alive agent (as a browser would), asks for compression as a browser does (or as told), counts every
 * response body as received (compressed when the server compressed it) and every byte the
 * sockets read (bodies plus status lines and headers), then hands the caller a decoded Response.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** What a browser sends, less zstd (Node 20's zlib cannot decode it). */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br';

export interface WireTraffic {
  requests: number;
  /** Response bodies as received: compressed bytes when the server compressed them. */
  bodyBytes: number;
  /** Everything the sockets read: bodies, status lines and headers. */
  socketBytes: number;
  /** Response body bytes each content-coding carried (`identity` for uncompressed bodies). */
  bodyBytesByEncoding: Record<string, number>;
}

export interface WireCounter {
  fetch: typeof fetch;
  /** The traffic so far; the sockets stay open. */
  traffic(): WireTraffic;
  close(): void;
}

const DECODERS: Record<string, (body: Buffer) => Buffer> = { identity: (body) => body, gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

function decode(body: Buffer, encoding: string): Uint8Array<ArrayBuffer> {
  const decoder = DECODERS[encoding];
  if (!decoder) throw new Error(`unexpected content-encoding ${encoding}`);
  return new Uint8Array(decoder(body));
}

function responseHeaders(headers: IncomingHttpHeaders): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    // The body handed on is decoded: its old length and coding no longer describe it.
    if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
    for (const one of Array.isArray(value) ? value : [value]) result.append(name, one);
  }
  return result;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function wireCounter(acceptEncoding = BROWSER_ACCEPT_ENCODING): WireCounter {
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const counted = { requests: 0, bodyBytes: 0, bodyBytesByEncoding: {} as Record<string, number> };

  const countingFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input);
      if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') throw new Error('wireCounter sends string bodies only');
      const headers = new Headers(init?.headers);
      headers.set('accept-encoding', acceptEncoding);
      const outgoing = request(url, { method: init?.method ?? 'GET', headers: Object.fromEntries(headers), agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = (incoming.headers['content-encoding'] ?? 'identity').toLowerCase();
          counted.requests += 1;
          counted.bodyBytes += raw.length;
          counted.bodyBytesByEncoding[encoding] = (counted.bodyBytesByEncoding[encoding] ?? 0) + raw.length;
          try {
            const status = incoming.statusCode ?? 500;
            resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : decode(raw, encoding), { status, statusText: incoming.statusMessage ?? '', headers: responseHeaders(incoming.headers) }));
          } catch (error) {
            reject(error);
          }
        });
      });
      outgoing.on('socket', (socket) => sockets.add(socket));
      outgoing.on('error', reject);
      outgoing.end(init?.body ?? undefined);
    });

  return {
    fetch: countingFetch as typeof fetch,
    traffic: () => ({
      ...counted,
      bodyBytesByEncoding: { ...counted.bodyBytesByEncoding },
      socketBytes: [...sockets].reduce((sum, socket) => sum + socket.bytesRead, 0),
    }),
    close: () => agent.destroy(),
  };
}
