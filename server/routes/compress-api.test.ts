import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptedEncoding, compressApi, compressedJson } from './compress-api.ts';

/** A page of documents as large as a first sync's (hundreds of KiB), and one of a few hundred bytes. */
const large = { documents: Array.from({ length: 3000 }, (_, i) => ({ id: `doc-${i}`, points: i % 11, comment: i % 7 === 0 ? 'Turned in late' : '' })) };
const medium = { documents: large.documents.slice(0, 60) };
const tiny = { documents: [], checkpoint: { seq: 1, id: 'x' } };

function app() {
  const routes = new Hono();
  routes.use('*', compressApi());
  for (const [name, value] of Object.entries({ large, medium, tiny })) {
    routes.get(`/json/${name}`, (c) => c.json(value));
    routes.get(`/own/${name}`, (c) => compressedJson(c, value));
  }
  routes.get('/signed-in', (c) => {
    setCookie(c, 'refresh', 'r', { httpOnly: true, path: '/api/auth' });
    setCookie(c, 'device', 'd');
    c.header('cache-control', 'no-store');
    return c.json(large, 201);
  });
  return routes;
}

const decoders: Record<string, (body: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync, identity: (body) => body };

async function fetchAs(path: string, acceptEncoding: string | null) {
  const response = await app().request(path, acceptEncoding ? { headers: { 'accept-encoding': acceptEncoding } } : {});
  const raw = Buffer.from(await response.arrayBuffer());
  const encoding = response.headers.get('content-encoding') ?? 'identity';
  return { status: response.status, encoding, raw, length: response.headers.get('content-length'), vary: response.headers.get('vary'), json: JSON.parse(decoders[encoding]!(raw).toString()) as unknown };
}

describe('API answers compressed in one call (compress-api.ts)', () => {
  it('picks brotli, then gzip, by what the client accepts', () => {
    expect(acceptedEncoding('gzip, deflate, br')).toBe('br');
    expect(acceptedEncoding('gzip, br;q=0')).toBe('gzip');
    expect(acceptedEncoding('identity')).toBeNull();
    expect(acceptedEncoding('*')).toBe('br');
    expect(acceptedEncoding(undefined)).toBeNull();
  });

  for (const route of ['json', 'own'] as const) {
    it(`${route === 'json' ? 'compresses a route’s JSON answer' : 'leaves an answer the route compressed itself (compressedJson) as it is'}: large and medium pages in the accepted coding, small ones as they are`, async () => {
      for (const [name, value] of Object.entries({ large, medium })) {
        for (const [accept, encoding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], [null, 'identity']] as const) {
          const answer = await fetchAs(`/${route}/${name}`, accept);
          expect(answer.status).toBe(200);
          expect(answer.encoding, `${name}, accepting ${accept}`).toBe(encoding);
          expect(answer.json).toEqual(value);
          expect(Number(answer.length)).toBe(answer.raw.length);
          if (encoding !== 'identity') expect(answer.raw.length).toBeLessThan(JSON.stringify(value).length / 4);
          expect(answer.vary ?? '').toMatch(/accept-encoding/i);
        }
      }
      const small = await fetchAs(`/${route}/tiny`, 'gzip, deflate, br');
      expect(small.encoding).toBe('identity');
      expect(small.json).toEqual(tiny);
      expect(Number(small.length)).toBe(small.raw.length);
    });
  }

  it('keeps what the answer said besides its body: status, every cookie, other headers', async () => {
    const response = await app().request('/signed-in', { headers: { 'accept-encoding': 'br' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.getSetCookie()).toEqual(['refresh=r; Path=/api/auth; HttpOnly', 'device=d; Path=/']);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(JSON.parse(brotliDecompressSync(Buffer.from(await response.arrayBuffer())).toString())).toEqual(large);
  });
});
