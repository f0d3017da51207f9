import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from '../app.ts';
import { ApiError } from '../errors.ts';
import { clientAddressFrom } from './client-address.ts';
import { loadSessionPrincipal } from './principal.ts';
import type { PrincipalMemory } from './principal-memory.ts';
import { mustUseSecondFactor } from './second-factor.ts';
import type { AccessClaims } from './tokens.ts';

function socketAddress(c: Context<AppEnv>): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // app.request() in tests has no socket
  }
}

/** The client's address: the socket's, or what the nearest trusted proxy saw (TRUST_PROXY). */
export function clientAddress(c: Context<AppEnv>): string {
  return clientAddressFrom(c.get('deps').proxyTrust, socketAddress(c), c.req.header('x-forwarded-for'));
}

/** Whether a reverse proxy we trust stands in front, so its X-Forwarded-* headers count. */
export function behindTrustedProxy(c: Context<AppEnv>): boolean {
  const trust = c.get('deps').proxyTrust;
  return trust.kind === 'list' || trust.hops > 0;
}

export function userAgent(c: Context): string {
  return c.req.header('user-agent') ?? '';
}

/** The claims of the request's access token (signature and expiry checked, nothing stored read), or 401. */
export async function tokenClaims(c: Context<AppEnv>): Promise<AccessClaims> {
  const header = c.req.header('authorization') ?? '';
  const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header)?.[1];
  if (!token) throw new ApiError(401, 'unauthenticated');
  const claims = await c.get('deps').keys.verify(token);
  if (!claims) throw new ApiError(401, 'unauthenticated');
  return claims;
}

/**
 * Checks the request's access token for a live session of an active account, and loads who is
 * asking with today's roles and scopes, so a revoked session or a changed role counts at once
 * (with `memory`, once the change feed has heard it, as remembered pulls: principal-memory.ts).
 */
export async function authenticate(c: Context<AppEnv>, known?: AccessClaims, memory?: PrincipalMemory): Promise<void> {
  const claims = known ?? (await tokenClaims(c));
  const { store, clock } = c.get('deps');
  const now = clock();
  // The session (live, not revoked) and who is asking today, in one round trip (none when remembered: principal-memory.ts).
  const found = await loadSessionPrincipal(store, { districtId: claims.dst, accountId: claims.sub, sessionId: claims.sid }, now, memory);
  if (!found) throw new ApiError(401, 'unauthenticated');
  const { principal } = found;
  // Tool rights need a session opened with a second factor (refresh then ends this one).
  if (mustUseSecondFactor(principal) && !found.secondFactor) throw new ApiError(401, 'unauthenticated');
  c.set('principal', principal);
  c.set('sessionId', claims.sid);
  c.set('sessionExpiresAt', found.expiresAt);
}

/** `authenticate` as middleware: every route after it knows who is asking. */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  await authenticate(c);
  await next();
};
