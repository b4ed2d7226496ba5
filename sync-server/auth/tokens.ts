// Access tokens: short-lived, signed with HMAC-SHA256, carrying only who and which sign-in
// (family). Role and status are re-read from the database on every request, never trusted from
// the token. Refresh tokens are random and stored only as hashes.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface AccessClaims {
  /** The user's id. */
  sub: string;
  /** The refresh-token family of this sign-in: signing out revokes it. */
  fam: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

const PREFIX = 'rt1';

export function signAccessToken(claims: AccessClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${PREFIX}.${payload}.${mac(payload, secret)}`;
}

export type TokenCheck = { ok: true; claims: AccessClaims } | { ok: false; reason: 'malformed' | 'expired' };

export function verifyAccessToken(token: string, secret: string, nowSeconds: number): TokenCheck {
  const [prefix, payload, signature, ...rest] = token.split('.');
  if (prefix !== PREFIX || !payload || !signature || rest.length > 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'malformed' };
  let claims: AccessClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims.sub !== 'string' || typeof claims.fam !== 'string' || typeof claims.exp !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  return claims.exp <= nowSeconds ? { ok: false, reason: 'expired' } : { ok: true, claims };
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Refresh tokens are long random strings: a fast hash is enough to keep them useless if read. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newTokenSecret(): string {
  return randomBytes(48).toString('base64url');
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest('base64url');
}
