/**
 * Compression of API answers: brotli when the client accepts it, else gzip, and none under 1 KiB.
 *
 * API answers are JSON built in memory, bounded by the pull's page size, so they are compressed
 * in one synchronous call rather than through a CompressionStream: an in-sync pull answers about
 * a hundred bytes many times a second per school, and a stream and its zlib context per answer cost
 * more than the pull itself. Brotli at quality 5 makes a family's first sync about a fifth smaller
 * than gzip for a few milliseconds per page. The event stream is never touched (each event must
 * reach the device as it is written).
 */
import type { MiddlewareHandler } from 'hono';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Below this, headers outweigh what compression saves. */
const THRESHOLD = 1024;
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

export function compressApi(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    // An answer that declares its length under the threshold is left as it is, unread.
    const declared = res.headers.get('content-length');
    if (declared !== null && Number(declared) < THRESHOLD) return;
    const type = res.headers.get('content-type') ?? '';
    if (c.req.method === 'HEAD' || !res.body || res.headers.has('content-encoding') || !COMPRESSIBLE.test(type)) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const encoding = body.length >= THRESHOLD ? acceptedEncoding(c.req.header('accept-encoding')) : null;
    const encoded =
      encoding === 'br'
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : encoding === 'gzip'
          ? gzipSync(body, { level: 6 })
          : body;
    c.res = new Response(encoded, res);
    c.res.headers.set('content-length', String(encoded.length));
    if (encoding) c.res.headers.set('content-encoding', encoding);
    const vary = c.res.headers.get('vary');
    if (!vary || !/accept-encoding/i.test(vary)) c.res.headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
  };
}
