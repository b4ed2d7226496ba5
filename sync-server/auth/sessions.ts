// Signing in, refreshing, signing out, and checking the token on every request.
import { createHmac } from 'node:crypto';
import type { CentralDatabase, Query } from '../../db/central-database.js';
import { serverIssuedChainKey } from '../../db/audit/chain-hash.js';
import { FAILURES_BEFORE_LOCK, LOCK_MINUTES } from '../../db/auth/lockout.js';
import { dummyVerifier, hashPassword, passwordWeakness, verifyPassword } from '../../db/auth/passwords.js';
import { newId } from '../../db/domain/ids.js';
import type { UserRole } from '../../db/domain/enums.js';
import { accessFor } from '../../db/policy/access.js';
import { canSignIn, mayAdminister, type SignInRole } from '../../db/policy/roles.js';
import { forbidden, HttpError, unauthenticated } from '../http-errors.js';
import { bindDevice, DeviceOfAnother } from './devices.js';
import { hashRefreshToken, newRefreshToken, signAccessToken, verifyAccessToken } from './tokens.js';

export interface SessionUser {
  id: string;
  email: string;
  role: SignInRole;
  firstName: string;
  lastName: string;
}

export interface Authenticated {
  user: SessionUser;
  familyId: string;
  /** The device the session signed in from: its changesets and audit rows come from it alone. */
  deviceId: string;
}

export interface SignedIn {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: SessionUser;
}

/** A sign-in's answer: its tokens, and the key its device seals its audit trail with (base64). */
export interface SignInAnswer extends SignedIn {
  chainKey: string;
}

export interface SessionOptions {
  tokenSecret: string;
  accessTokenMinutes: number;
  refreshTokenDays: number;
  now?: () => Date;
}

const WRONG_CREDENTIALS = 'The email or password is wrong.';
const SESSION_ENDED = 'This session has ended; sign in again.';
/**
 * How long the token just swapped may be presented again, for the same answer: a client whose
 * answer was lost (the network cut mid-reply) retries with it, and must not lose its sign-in.
 */
export const REFRESH_RETRY_GRACE_MS = 30_000;

interface RefreshTokenRow {
  id: string;
  token_hash: string;
  user_id: string;
  device_id: string | null;
  expires_at: string;
  replaced_at: string | null;
  revoked_at: string | null;
}
const SIGN_IN_AGAIN = 'This session began before devices were bound to people on the sync server: sign in again.';

export class Sessions {
  readonly #now: () => Date;

  constructor(
    private readonly central: CentralDatabase,
    private readonly options: SessionOptions,
  ) {
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Signs in from `deviceId`, which becomes this person's if it is no one's yet; a device of
   * someone else's is refused (DeviceOfAnother), whatever the password.
   */
  async signIn(email: string, password: string, deviceId: string): Promise<SignInAnswer> {
    const now = this.#now();
    await this.#refuseIfLocked(email, now);

    const [user] = await this.central.query<SessionUser & { password_hash: string | null; status: string }>(
      `SELECT id, email, role, first_name AS "firstName", last_name AS "lastName", password_hash, status FROM users WHERE email = $1`,
      [email],
    );
    // Verify against a stand-in when there is no account, so both paths take as long.
    const valid = await verifyPassword(user?.password_hash ?? (await dummyVerifier()), password);
    if (!user || !user.password_hash || !valid) {
      const lockedUntil = await this.#recordFailure(email, now);
      if (lockedUntil) throw locked(lockedUntil, now);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    // Parallel wrong guesses may have locked the email while this password was being checked.
    await this.#refuseIfLocked(email, now);
    if (user.status !== 'ACTIVE') throw new HttpError(403, 'forbidden', 'This account is deactivated.');
    if (!canSignIn(user.role)) throw new HttpError(403, 'forbidden', 'Guests cannot sign in.');
    await this.central.query(`DELETE FROM sign_in_failures WHERE email = $1`, [email]);
    const owner = await bindDevice(this.central.query, deviceId, user.id, now);
    if (owner !== user.id) throw new DeviceOfAnother(deviceId, user.id, owner);
    const signedIn = await this.#issue(this.central.query, toSessionUser(user), newId(), deviceId, now);
    // Derived from the server's secret, so every server in front of the database issues the same key.
    return { ...signedIn, chainKey: serverIssuedChainKey(this.options.tokenSecret, deviceId).toString('base64') };
  }

  /**
   * Swaps a refresh token for a new pair. A token used twice revokes its whole family, except the
   * token swapped last, presented again within REFRESH_RETRY_GRACE_MS while its successor is unused:
   * that is a retry after a lost answer, and gets the same successor again. The family is locked for
   * the swap, and a family with any revoked token is over for good, so a sign-out or a reuse that
   * races a refresh cannot be undone by the token it issues.
   */
  async refresh(refreshToken: string): Promise<SignedIn> {
    const now = this.#now();
    const outcome = await this.central.transaction(async (query) => {
      const [found] = await query<{ family_id: string }>(`SELECT family_id FROM refresh_tokens WHERE token_hash = $1`, [
        hashRefreshToken(refreshToken),
      ]);
      if (!found) return { error: SESSION_ENDED };
      await query(`SELECT id FROM refresh_tokens WHERE family_id = $1 ORDER BY id FOR UPDATE`, [found.family_id]);
      // Read again once locked: a statement sees only rows committed before it began, and a refresh
      // that held the lock meanwhile may have added the successor a retry is answered with.
      const family = await query<RefreshTokenRow>(
        `SELECT id, token_hash, user_id, device_id, expires_at::text, replaced_at::text, revoked_at::text
         FROM refresh_tokens WHERE family_id = $1 ORDER BY id`,
        [found.family_id],
      );
      const token = family.find((t) => t.token_hash === hashRefreshToken(refreshToken))!;
      if (family.some((t) => t.revoked_at)) return { error: SESSION_ENDED };
      // The successor is derived from the token (keyed with the server's secret), so a retry can be
      // given it again although only its hash is stored.
      const successor = this.#successorOf(refreshToken);
      const retried = token.replaced_at ? this.#retried(family, token, successor, now) : null;
      if (token.replaced_at && !retried) {
        await query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [
          found.family_id,
          now.toISOString(),
        ]);
        return {
          error: 'This refresh token was already used, so every session of that sign-in is now ended; sign in again.',
        };
      }
      const current = retried ?? token;
      if (new Date(current.expires_at) <= now) return { error: 'This session has expired; sign in again.' };
      if (!current.device_id) return { error: SIGN_IN_AGAIN };
      const [user] = await query<SessionUser & { status: string }>(
        `SELECT id, email, role, first_name AS "firstName", last_name AS "lastName", status FROM users WHERE id = $1`,
        [current.user_id],
      );
      if (!user || user.status !== 'ACTIVE' || !canSignIn(user.role))
        return { error: 'This account can no longer sign in.' };
      const [device] = await query<{ user_id: string }>(`SELECT user_id FROM devices WHERE id = $1`, [
        current.device_id,
      ]);
      if (device?.user_id !== user.id) return { error: SIGN_IN_AGAIN };
      if (retried) {
        return {
          signedIn: this.#answer(toSessionUser(user), found.family_id, successor, new Date(retried.expires_at), now),
        };
      }
      await query(`UPDATE refresh_tokens SET replaced_at = $2 WHERE id = $1`, [token.id, now.toISOString()]);
      return {
        signedIn: await this.#issue(query, toSessionUser(user), found.family_id, current.device_id, now, successor),
      };
    });
    if ('error' in outcome) throw unauthenticated(outcome.error!);
    return outcome.signedIn;
  }

  /**
   * The successor of a token swapped moments ago, when presenting it again is a retry: within the
   * grace window, and the successor not swapped in its turn (the token is the one before the live one).
   */
  #retried(family: RefreshTokenRow[], token: RefreshTokenRow, successor: string, now: Date): RefreshTokenRow | null {
    if (now.getTime() - new Date(token.replaced_at!).getTime() > REFRESH_RETRY_GRACE_MS) return null;
    const next = family.find((t) => t.token_hash === hashRefreshToken(successor));
    return next && !next.replaced_at ? next : null;
  }

  #successorOf(refreshToken: string): string {
    return createHmac('sha256', this.options.tokenSecret)
      .update(`roomy refresh successor\n${refreshToken}`)
      .digest('base64url');
  }

  async signOut(familyId: string): Promise<void> {
    await this.central.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [
      familyId,
      this.#now().toISOString(),
    ]);
  }

  /**
   * Changes the caller's own password; their other sign-ins end, this one stays. A wrong current
   * password counts as a failed sign-in of that email (same limit, same lock), so a stolen session
   * cannot be used to guess the password behind it.
   */
  async changeOwnPassword(session: Authenticated, currentPassword: string, newPassword: string): Promise<void> {
    const now = this.#now();
    const email = session.user.email.toLowerCase();
    await this.#refuseIfLocked(email, now);
    const [row] = await this.central.query<{ password_hash: string | null }>(
      `SELECT password_hash FROM users WHERE id = $1`,
      [session.user.id],
    );
    if (!row?.password_hash || !(await verifyPassword(row.password_hash, currentPassword))) {
      const lockedUntil = await this.#recordFailure(email, now);
      if (lockedUntil) throw locked(lockedUntil, now);
      throw new HttpError(400, 'validation', 'currentPassword: is not your current password', {
        currentPassword: 'is not your current password',
      });
    }
    // Parallel wrong guesses may have locked the email while this password was being checked.
    await this.#refuseIfLocked(email, now);
    await this.central.query(`DELETE FROM sign_in_failures WHERE email = $1`, [email]);
    await this.#setPassword(session.user.id, session.user, newPassword, session.familyId);
  }

  /**
   * Sets another user's server password (an administrator or manager, for whom they may administer):
   * how people made on a desktop get to sign in to the server. Their sessions end.
   */
  async setPassword(session: Authenticated, userId: string, newPassword: string): Promise<void> {
    const { role } = session.user;
    if (accessFor('users/set-password', role) === null) throw forbidden(`Your role (${role}) may not set passwords.`);
    const [target] = await this.central.query<{ role: UserRole; email: string; first_name: string; last_name: string }>(
      `SELECT role, email, first_name, last_name FROM users WHERE id = $1`,
      [userId],
    );
    if (!target) throw new HttpError(404, 'not_found', `There is no user ${userId} on the server.`);
    if (!canSignIn(target.role)) throw forbidden('Guests do not sign in, so they have no password.');
    if (!mayAdminister(role, target.role)) {
      throw forbidden(`Your role (${role}) may not set the password of ${target.role.toLowerCase()} accounts.`);
    }
    await this.#setPassword(
      userId,
      { email: target.email, firstName: target.first_name, lastName: target.last_name },
      newPassword,
      null,
    );
  }

  async #setPassword(
    userId: string,
    person: { email: string; firstName: string; lastName: string },
    newPassword: string,
    keepFamily: string | null,
  ): Promise<void> {
    const weakness = passwordWeakness(newPassword, person);
    if (weakness) throw new HttpError(400, 'validation', `newPassword: ${weakness}`, { newPassword: weakness });
    const hash = await hashPassword(newPassword);
    await this.central.transaction(async (query) => {
      await query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [userId, hash]);
      await query(
        `UPDATE refresh_tokens SET revoked_at = $3 WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2`,
        [userId, keepFamily, this.#now().toISOString()],
      );
    });
  }

  /** Who is calling: a valid token, of a session not signed out, of an active user who may sign in. */
  async authenticate(authorization: string | undefined): Promise<Authenticated> {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw unauthenticated('Sign in first: this request carries no access token.');
    const check = verifyAccessToken(token, this.options.tokenSecret, Math.floor(this.#now().getTime() / 1000));
    if (!check.ok) {
      throw unauthenticated(
        check.reason === 'expired' ? 'The access token has expired; refresh it.' : 'The access token is not valid.',
      );
    }
    const [user] = await this.central.query<SessionUser & { status: string; live: boolean; device_id: string | null }>(
      `SELECT id, email, role, first_name AS "firstName", last_name AS "lastName", status,
         (SELECT t.device_id FROM refresh_tokens t JOIN devices d ON d.id = t.device_id AND d.user_id = t.user_id
          WHERE t.family_id = $2 LIMIT 1) AS device_id,
         EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = $2)
           AND NOT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = $2 AND revoked_at IS NOT NULL) AS live
       FROM users WHERE id = $1`,
      [check.claims.sub, check.claims.fam],
    );
    if (!user || !user.live) throw unauthenticated(SESSION_ENDED);
    if (user.status !== 'ACTIVE' || !canSignIn(user.role)) throw unauthenticated('This account can no longer sign in.');
    if (!user.device_id) throw unauthenticated(SIGN_IN_AGAIN);
    return { user: toSessionUser(user), familyId: check.claims.fam, deviceId: user.device_id };
  }

  async #issue(
    query: Query,
    user: SessionUser,
    familyId: string,
    deviceId: string,
    now: Date,
    refreshToken = newRefreshToken(),
  ): Promise<SignedIn> {
    const refreshExpires = new Date(now.getTime() + this.options.refreshTokenDays * 86_400_000);
    await query(
      `INSERT INTO refresh_tokens (id, family_id, user_id, device_id, token_hash, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        newId(),
        familyId,
        user.id,
        deviceId,
        hashRefreshToken(refreshToken),
        refreshExpires.toISOString(),
        now.toISOString(),
      ],
    );
    return this.#answer(user, familyId, refreshToken, refreshExpires, now);
  }

  /** The pair a client is given: a new access token, and the refresh token of the family it holds. */
  #answer(user: SessionUser, familyId: string, refreshToken: string, refreshExpires: Date, now: Date): SignedIn {
    const accessExpires = new Date(now.getTime() + this.options.accessTokenMinutes * 60_000);
    return {
      accessToken: signAccessToken(
        { sub: user.id, fam: familyId, exp: Math.floor(accessExpires.getTime() / 1000) },
        this.options.tokenSecret,
      ),
      accessTokenExpiresAt: accessExpires.toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpires.toISOString(),
      user,
    };
  }

  /** 423 while the email is locked after too many wrong passwords. */
  async #refuseIfLocked(email: string, now: Date): Promise<void> {
    const [lock] = await this.central.query<{ locked_until: string }>(
      `SELECT locked_until::text FROM sign_in_failures WHERE email = $1 AND locked_until > $2`,
      [email, now.toISOString()],
    );
    if (lock) throw locked(new Date(lock.locked_until), now);
  }

  /**
   * Counts a failure and returns when the email is locked until, if it is. Atomic, so that
   * guesses sent in parallel all count: a lock still running is never reset by another failure.
   */
  async #recordFailure(email: string, now: Date): Promise<Date | null> {
    const [row] = await this.central.query<{ locked_until: string | null }>(
      `INSERT INTO sign_in_failures AS f (email, failures, last_failure_at) VALUES ($1, 1, $2)
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN f.locked_until IS NOT NULL AND f.locked_until <= $2 THEN 1 ELSE f.failures + 1 END,
         locked_until = CASE WHEN f.locked_until > $2 THEN f.locked_until ELSE NULL END,
         last_failure_at = $2
       RETURNING locked_until::text`,
      [email, now.toISOString()],
    );
    if (row?.locked_until) return new Date(row.locked_until);
    const [locked] = await this.central.query<{ locked_until: string }>(
      `UPDATE sign_in_failures SET locked_until = $3 WHERE email = $1 AND failures >= $2 AND locked_until IS NULL
       RETURNING locked_until::text`,
      [email, FAILURES_BEFORE_LOCK, new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString()],
    );
    return locked ? new Date(locked.locked_until) : null;
  }
}

function toSessionUser(u: SessionUser): SessionUser {
  return { id: u.id, email: u.email, role: u.role, firstName: u.firstName, lastName: u.lastName };
}

function locked(until: Date, now: Date): HttpError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new HttpError(
    423,
    'locked',
    `Too many failed sign-ins: this account is locked until ${until.toISOString()}.`,
    undefined,
    { 'retry-after': String(seconds) },
  );
}
