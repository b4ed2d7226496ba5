// Signing in, refreshing, signing out, and checking the token on every request.
import type { CentralDatabase } from '../../db/central-database.js';
import { FAILURES_BEFORE_LOCK, lockedUntilAfter } from '../../db/auth/lockout.js';
import { dummyVerifier, hashPassword, passwordWeakness, verifyPassword } from '../../db/auth/passwords.js';
import { newId } from '../../db/domain/ids.js';
import type { UserRole } from '../../db/domain/enums.js';
import { accessFor } from '../../db/policy/access.js';
import { canSignIn, mayAdminister, type SignInRole } from '../../db/policy/roles.js';
import { forbidden, HttpError, unauthenticated } from '../http-errors.js';
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
}

export interface SignedIn {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: SessionUser;
}

export interface SessionOptions {
  tokenSecret: string;
  accessTokenMinutes: number;
  refreshTokenDays: number;
  now?: () => Date;
}

const WRONG_CREDENTIALS = 'The email or password is wrong.';

export class Sessions {
  readonly #now: () => Date;

  constructor(
    private readonly central: CentralDatabase,
    private readonly options: SessionOptions,
  ) {
    this.#now = options.now ?? (() => new Date());
  }

  async signIn(email: string, password: string, deviceId: string | null): Promise<SignedIn> {
    const now = this.#now();
    const [failure] = await this.central.query<{ failures: number; locked_until: string | null }>(
      `SELECT failures, locked_until::text FROM sign_in_failures WHERE email = $1`,
      [email],
    );
    if (failure?.locked_until && new Date(failure.locked_until) > now)
      throw locked(new Date(failure.locked_until), now);

    const [user] = await this.central.query<SessionUser & { password_hash: string | null; status: string }>(
      `SELECT id, email, role, first_name AS "firstName", last_name AS "lastName", password_hash, status FROM users WHERE email = $1`,
      [email],
    );
    // Verify against a stand-in when there is no account, so both paths take as long.
    const valid = await verifyPassword(user?.password_hash ?? (await dummyVerifier()), password);
    if (!user || !user.password_hash || !valid) {
      const failures = await this.#recordFailure(email, now);
      if (failures >= FAILURES_BEFORE_LOCK) throw locked(new Date(lockedUntilAfter(failures, now)!), now);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    if (user.status !== 'ACTIVE') throw new HttpError(403, 'forbidden', 'This account is deactivated.');
    if (!canSignIn(user.role)) throw new HttpError(403, 'forbidden', 'Guests cannot sign in.');
    await this.central.query(`DELETE FROM sign_in_failures WHERE email = $1`, [email]);
    return this.#issue(toSessionUser(user), newId(), deviceId, now);
  }

  /** Swaps a refresh token for a new pair. A token used twice revokes its whole family. */
  async refresh(refreshToken: string): Promise<SignedIn> {
    const now = this.#now();
    const hash = hashRefreshToken(refreshToken);
    const outcome = await this.central.transaction(async (query) => {
      const [token] = await query<{
        id: string;
        family_id: string;
        device_id: string | null;
        expires_at: string;
        replaced_at: string | null;
        revoked_at: string | null;
      }>(
        `SELECT id, family_id, device_id, expires_at::text, replaced_at::text, revoked_at::text
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [hash],
      );
      if (!token || token.revoked_at) return { error: 'This session has ended; sign in again.' };
      if (token.replaced_at) {
        await query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [
          token.family_id,
          now.toISOString(),
        ]);
        return {
          error: 'This refresh token was already used, so every session of that sign-in is now ended; sign in again.',
          revokedFamily: true,
        };
      }
      if (new Date(token.expires_at) <= now) return { error: 'This session has expired; sign in again.' };
      await query(`UPDATE refresh_tokens SET replaced_at = $2 WHERE id = $1`, [token.id, now.toISOString()]);
      return { familyId: token.family_id, deviceId: token.device_id, id: token.id };
    });
    if ('error' in outcome) throw unauthenticated(outcome.error!);
    const [user] = await this.central.query<SessionUser & { status: string }>(
      `SELECT u.id, u.email, u.role, u.first_name AS "firstName", u.last_name AS "lastName", u.status
       FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1`,
      [outcome.id],
    );
    if (!user || user.status !== 'ACTIVE' || !canSignIn(user.role))
      throw unauthenticated('This account can no longer sign in.');
    return this.#issue(toSessionUser(user), outcome.familyId, outcome.deviceId, now);
  }

  async signOut(familyId: string): Promise<void> {
    await this.central.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [
      familyId,
      this.#now().toISOString(),
    ]);
  }

  /** Changes the caller's own password; their other sign-ins end, this one stays. */
  async changeOwnPassword(session: Authenticated, currentPassword: string, newPassword: string): Promise<void> {
    const [row] = await this.central.query<{ password_hash: string | null }>(
      `SELECT password_hash FROM users WHERE id = $1`,
      [session.user.id],
    );
    if (!row?.password_hash || !(await verifyPassword(row.password_hash, currentPassword))) {
      throw new HttpError(400, 'validation', 'currentPassword: is not your current password', {
        currentPassword: 'is not your current password',
      });
    }
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
    const [user] = await this.central.query<SessionUser & { status: string; live: boolean }>(
      `SELECT id, email, role, first_name AS "firstName", last_name AS "lastName", status,
         EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = $2 AND revoked_at IS NULL) AS live
       FROM users WHERE id = $1`,
      [check.claims.sub, check.claims.fam],
    );
    if (!user || !user.live) throw unauthenticated('This session has ended; sign in again.');
    if (user.status !== 'ACTIVE' || !canSignIn(user.role)) throw unauthenticated('This account can no longer sign in.');
    return { user: toSessionUser(user), familyId: check.claims.fam };
  }

  async #issue(user: SessionUser, familyId: string, deviceId: string | null, now: Date): Promise<SignedIn> {
    const accessExpires = new Date(now.getTime() + this.options.accessTokenMinutes * 60_000);
    const refreshExpires = new Date(now.getTime() + this.options.refreshTokenDays * 86_400_000);
    const refreshToken = newRefreshToken();
    await this.central.query(
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

  async #recordFailure(email: string, now: Date): Promise<number> {
    const [row] = await this.central.query<{ failures: number }>(
      `INSERT INTO sign_in_failures (email, failures, last_failure_at) VALUES ($1, 1, $2)
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN sign_in_failures.locked_until IS NOT NULL THEN 1 ELSE sign_in_failures.failures + 1 END,
         locked_until = NULL, last_failure_at = $2
       RETURNING failures`,
      [email, now.toISOString()],
    );
    const failures = row!.failures;
    const lockedUntil = lockedUntilAfter(failures, now);
    if (lockedUntil)
      await this.central.query(`UPDATE sign_in_failures SET locked_until = $2 WHERE email = $1`, [email, lockedUntil]);
    return failures;
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
