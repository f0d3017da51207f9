import { randomBytes, createHash } from 'node:crypto';
import { RunningAnswers } from '../sync/running-answers.ts';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { Queryable } from '../db/store.ts';
import { ACCESS_TOKEN_SECONDS } from '../contract/auth.ts';

export const ISSUER = 'homeroom';
export const AUDIENCE = 'homeroom-api';
const ALGORITHM = 'EdDSA';
const TOKEN_TYPE = 'at+jwt';
/** A key signs new tokens for this long, then only verifies until its last token has expired. */
const KEY_SIGNS_FOR_MS = 30 * 24 * 3600_000;
const KEY_VERIFIES_FOR_MS = KEY_SIGNS_FOR_MS + 24 * 3600_000;
/** Verified tokens remembered at most (the oldest are forgotten first). */
const MAX_VERIFIED = 20_000;

export interface AccessClaims {
  /** Account id. */
  sub: string;
  /** Session id (one signed-in device). */
  sid: string;
  /** District id. */
  dst: string;
}

interface LoadedKey {
  kid: string;
  retireAt: number;
  expiresAt: number;
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}

/**
 * The signing keys, kept in the store so every server instance verifies every token.
 * Verification takes keys only from here by `kid`, never from the token's header.
 */
export class KeyRing {
  private keys: LoadedKey[] = [];
  private loadedAt = 0;

  constructor(
    private readonly db: Queryable,
    private readonly clock: () => Date,
  ) {}

  private async load(): Promise<void> {
    const rows = await this.db.query<{ kid: string; public_jwk: JWK; private_jwk: JWK; retire_at: Date | string; expires_at: Date | string }>(
      'SELECT kid, public_jwk, private_jwk, retire_at, expires_at FROM signing_keys WHERE expires_at > $1 ORDER BY created_at DESC',
      [this.clock()],
    );
    this.keys = await Promise.all(
      rows.map(async (row) => ({
        kid: row.kid,
        retireAt: new Date(row.retire_at).getTime(),
        expiresAt: new Date(row.expires_at).getTime(),
        publicKey: (await importJWK(row.public_jwk, ALGORITHM)) as CryptoKey,
        privateKey: (await importJWK(row.private_jwk, ALGORITHM)) as CryptoKey,
      })),
    );
    this.loadedAt = this.clock().getTime();
  }

  /** Adds a key that signs from now on; older keys keep verifying until they expire. */
  async rotate(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
    const kid = randomBytes(9).toString('base64url');
    const now = this.clock().getTime();
    await this.db.query(
      `INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk, created_at, retire_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [kid, ALGORITHM, { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM }, { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM }, new Date(now), new Date(now + KEY_SIGNS_FOR_MS), new Date(now + KEY_VERIFIES_FOR_MS)],
    );
    await this.load();
    return kid;
  }

  private async signingKey(): Promise<LoadedKey> {
    const now = this.clock().getTime();
    // Reload now and then so keys rotated by another instance are seen.
    if (now - this.loadedAt > 60_000 || this.keys.length === 0) await this.load();
    const current = this.keys.find((key) => key.retireAt > now);
    if (current) return current;
    await this.rotate();
    return this.keys[0]!;
  }

  private async verificationKey(kid: string | undefined): Promise<CryptoKey> {
    const find = () => this.keys.find((key) => key.kid === kid && key.expiresAt > this.clock().getTime());
    let key = find();
    if (!key && kid) {
      await this.load();
      key = find();
    }
    if (!key) throw new Error('unknown signing key');
    return key.publicKey;
  }

  async sign(claims: AccessClaims): Promise<string> {
    const key = await this.signingKey();
    const now = Math.floor(this.clock().getTime() / 1000);
    return new SignJWT({ sid: claims.sid, dst: claims.dst })
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: TOKEN_TYPE })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ACCESS_TOKEN_SECONDS)
      .sign(key.privateKey);
  }

  /**
   * Tokens already verified, until they expire: a device sends the same access token with every
   * pull for up to its lifetime, and a signature check costs more than the in-sync pull itself.
   * A token's claims cannot change, so a cached answer is the one verifying again would give while
   * the clock stays inside its validity (and its key's); the session behind it is checked on every
   * request regardless.
   */
  private readonly verified = new Map<string, { claims: AccessClaims; from: number; until: number }>();
  /** Signatures being checked now: requests side by side with the same token (a first sync's pulls) wait for one check. */
  private readonly checking = new RunningAnswers<string, { claims: AccessClaims; from: number; until: number } | null>();
  /** How many signatures this ring has checked (the tests read it). */
  signatureChecks = 0;

  /** The claims of a valid access token, or null for anything else (expired, forged, wrong audience…). */
  async verify(token: string): Promise<AccessClaims | null> {
    const now = this.clock().getTime();
    const known = this.verified.get(token);
    if (known && now >= known.from && now < known.until) return known.claims;
    const verified = await this.checking.answer(token, undefined, () => this.verifySignature(token));
    // The check ran at its own start; this request's clock decides, as for a remembered token.
    const at = this.clock().getTime();
    if (!verified || at < verified.from || at >= verified.until) return null;
    if (!this.verified.has(token)) {
      if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, verified);
    }
    return verified.claims;
  }

  private async verifySignature(token: string): Promise<{ claims: AccessClaims; from: number; until: number } | null> {
    this.signatureChecks += 1;
    try {
      const { payload, protectedHeader } = await jwtVerify<JWTPayload & { sid?: unknown; dst?: unknown }>(
        token,
        (header) => this.verificationKey(header.kid),
        {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: TOKEN_TYPE,
          maxTokenAge: ACCESS_TOKEN_SECONDS,
          requiredClaims: ['sub', 'sid', 'dst', 'iat', 'exp'],
          currentDate: this.clock(),
        },
      );
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.dst !== 'string') return null;
      const kid = protectedHeader.kid;
      const keyExpires = this.keys.find((key) => key.kid === kid)?.expiresAt ?? 0;
      const iat = (payload.iat ?? 0) * 1000;
      const until = Math.min((payload.exp ?? 0) * 1000, iat + ACCESS_TOKEN_SECONDS * 1000, keyExpires);
      return { claims: { sub: payload.sub, sid: payload.sid, dst: payload.dst }, from: iat, until };
    } catch {
      return null;
    }
  }
}

/** Opaque secrets (refresh tokens, reset tokens): random, shown once, stored as SHA-256. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
