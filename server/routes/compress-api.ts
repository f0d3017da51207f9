/**
 * Compression of API answers: brotli when the client accepts it, else gzip, and none under 1 KiB.
 *
 * API answers are JSON built in memory, bounded by the pull's page size, so they are compressed
 * in one synchronous call rather than through a CompressionStream: an in-sync pull answers about
 * a hundred bytes many times a second per school, and a stream and its zlib context per answer cost
 * more than the pull itself. Brotli at quality 5 makes a family's first sync about a fifth smaller
 * than gzip for a few milliseconds per page; a large answer (a first sync's page) is compressed on
 * libuv's thread pool, so the event loop (and PGlite, which runs on it) goes on meanwhile. The
 * event stream is never touched (each event must reach the device as it is written).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync, type BrotliOptions, type ZlibOptions } from 'node:zlib';

/** Below this, headers outweigh what compression saves. */
const THRESHOLD = 1024;
/** From this size on, compressing costs more than handing it to the thread pool (measured: about a millisecond of brotli). */
const OFF_THE_LOOP = 16 * 1024;
const COMPRESSIBLE = /^(application\/(json|problem\+json)|text\/(plain|csv|html))/i;

/** The best encoding the client accepts (q > 0): br, then gzip; null for neither. */
export function acceptedEncoding(header: string | undefined): 'br' | 'gzip' | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const wildcard = accepted.get('*') ?? 0;
  const allows = (name: string) => (accepted.get(name) ?? wildcard) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return null;
}

const brotliOffTheLoop = promisify<Uint8Array, BrotliOptions, Buffer>(brotliCompress);
const gzipOffTheLoop = promisify<Uint8Array, ZlibOptions, Buffer>(gzip);

/** `body` in `encoding` (null: as it is); a large body on the thread pool. */
export async function encode(body: Uint8Array, encoding: 'br' | 'gzip' | null): Promise<Uint8Array> {
  if (encoding === 'br') {
    const options = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } };
    return body.length >= OFF_THE_LOOP ? brotliOffTheLoop(body, options) : brotliCompressSync(body, options);
  }
  if (encoding === 'gzip') return body.length >= OFF_THE_LOOP ? gzipOffTheLoop(body, { level: 6 }) : gzipSync(body, { level: 6 });
  return body;
}

/**
 * A JSON answer compressed as the client accepts, by the route itself: the middleware would first
 * read a JSON answer back through a Response body stream, and answer through another.
 */
export async function compressedJson(c: Context, value: unknown): Promise<Response> {
  const text = Buffer.from(JSON.stringify(value));
  const encoding = text.length >= THRESHOLD ? acceptedEncoding(c.req.header('accept-encoding')) : null;
  const body = await encode(text, encoding);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(body.length), vary: 'Accept-Encoding' };
  if (encoding) headers['content-encoding'] = encoding;
  return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
}

export function compressApi(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    // An answer that declares its length under the threshold is left as it is, unread.
    const declared = res.headers.get('content-length');
    if (declared !== null && Number(declared) < THRESHOLD) return;
    const type = res.headers.get('content-type') ?? '';
    // An answer that already varies by Accept-Encoding chose its coding itself (compressedJson).
    if (c.req.method === 'HEAD' || !res.body || res.headers.has('content-encoding') || /accept-encoding/i.test(res.headers.get('vary') ?? '') || !COMPRESSIBLE.test(type)) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const encoding = body.length >= THRESHOLD ? acceptedEncoding(c.req.header('accept-encoding')) : null;
    const encoded = await encode(body, encoding);
    // Plain init, not `res`: @hono/node-server then writes the bytes as they are, not through a stream.
    const headers = new Headers(res.headers);
    headers.set('content-length', String(encoded.length));
    if (encoding) headers.set('content-encoding', encoding);
    const vary = headers.get('vary');
    if (!vary || !/accept-encoding/i.test(vary)) headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    c.res = new Response(encoded as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers });
  };
}
