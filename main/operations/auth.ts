// First-run setup, sign-in, sign-out and password change. Identity lives in main's session
// (bound to the caller's connection), never in call arguments.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { email, text } from '../../db/contracts/fields.js';
import { canSignIn } from '../../db/policy/roles.js';
import { localCredentials, users } from '../../db/schema/sqlite.js';
import { dummyVerifier, hashPassword, passwordWeakness, verifyPassword } from '../../db/auth/passwords.js';
import { failureDelayMs, lockedUntilAfter } from '../../db/auth/lockout.js';
import { AppError, conflict } from '../core/errors.js';
import { unlessTrailBroken } from '../core/chain-keeper.js';
import { defineOperation, definePublicOperation, type PublicContext } from '../core/operation.js';
import type { Identity } from '../core/sessions.js';
import { effectiveSettings, readUserSettings } from '../fleet-config.js';

const password = () =>
  z.string({ error: 'is required' }).min(1, 'is required').max(256, 'must be at most 256 characters');

export const setupInput = z.strictObject({
  email: email(),
  firstName: text(100),
  lastName: text(100),
  password: password(),
});

function requireStrong(
  candidate: string,
  person: { email?: string; firstName?: string; lastName?: string },
  field: string,
) {
  const weakness = passwordWeakness(candidate, person);
  if (weakness) throw new AppError('validation', `${field}: ${weakness}`, { [field]: weakness });
}

function identityOf(user: typeof users.$inferSelect): Identity {
  if (!canSignIn(user.role)) throw new AppError('forbidden', 'Guests cannot sign in.');
  return { userId: user.id, role: user.role, email: user.email, name: `${user.firstName} ${user.lastName}` };
}

export function hasUsers(ctx: PublicContext): boolean {
  return (
    ctx.db
      .select({ one: sql`1` })
      .from(users)
      .limit(1)
      .get() !== undefined
  );
}

type Attempt = { verifier: string; failures: number } | { lockedUntil: string } | null;

/**
 * Counts a password attempt before it is checked, so that guesses sent in parallel each count and
 * cannot outrun the lock; a successful attempt clears the count. Null if the user has no verifier.
 */
function chargeAttempt(ctx: PublicContext, userId: string, now: Date): Attempt {
  const credential = ctx.db.select().from(localCredentials).where(eq(localCredentials.userId, userId)).get();
  if (!credential) return null;
  if (credential.lockedUntil && credential.lockedUntil > now.toISOString())
    return { lockedUntil: credential.lockedUntil };
  // A lock that has run out starts the count afresh.
  const failures = (credential.lockedUntil ? 0 : credential.failedAttempts) + 1;
  ctx.db
    .update(localCredentials)
    .set({ failedAttempts: failures, lockedUntil: lockedUntilAfter(failures, now), updatedAt: now.toISOString() })
    .where(eq(localCredentials.userId, userId))
    .run();
  return { verifier: credential.verifier, failures };
}

function clearAttempts(ctx: PublicContext, userId: string, now: string): void {
  ctx.db
    .update(localCredentials)
    .set({ failedAttempts: 0, lockedUntil: null, updatedAt: now })
    .where(eq(localCredentials.userId, userId))
    .run();
}

const lockedError = (until: string) =>
  new AppError(
    'locked',
    `Too many failed attempts: this account is locked until ${until}. Try again then, or ask an administrator.`,
  );

export const authOperations = {
  'auth/status': definePublicOperation({
    input: z.undefined().or(z.strictObject({})),
    run: (ctx) => ({
      // With a sync server, the first administrator is made there.
      needsSetup: !ctx.door() && !hasUsers(ctx),
      identity: ctx.identity ?? null,
      syncServerUrl: effectiveSettings(ctx.environment.fleet.config, readUserSettings(ctx.environment.settingsFile))
        .settings.syncServerUrl,
    }),
  }),

  'auth/setup': definePublicOperation({
    input: setupInput,
    run: async (ctx, input) => {
      const door = ctx.door();
      if (door) {
        throw conflict(
          `This computer works with the sync server at ${door.url}: sign in with your account there (the first administrator is made on the server).`,
        );
      }
      requireStrong(input.password, input, 'password');
      // The first admin creates themselves: the audit names them once their id exists.
      const verifier = await hashPassword(input.password);
      const admin = ctx.change((w) => {
        // Checked inside the transaction: two windows racing through setup create one admin.
        if (hasUsers(ctx)) throw conflict('Roomy is already set up: sign in instead.');
        const user = w.insert('users', {
          email: input.email,
          firstName: input.firstName,
          lastName: input.lastName,
          role: 'ADMIN',
          status: 'ACTIVE',
          isVerified: true,
        });
        ctx.db.insert(localCredentials).values({ userId: user.id, verifier, updatedAt: w.now }).run();
        return user;
      });
      const identity = identityOf(admin);
      ctx.sessions.bind(ctx.callerId, identity);
      return identity;
    },
  }),

  'auth/sign-in': definePublicOperation({
    input: z.strictObject({ email: email(), password: password() }),
    run: async (ctx, input) => {
      // With a sync server, the door signs the person in there and binds the window to their own database.
      const door = ctx.door();
      if (door) return door.signIn(ctx.callerId, input);
      const user = ctx.db.select().from(users).where(eq(users.email, input.email)).get();
      const credential = user
        ? ctx.db.select().from(localCredentials).where(eq(localCredentials.userId, user.id)).get()
        : undefined;
      const now = ctx.now();
      const refuse = (reason: string) =>
        ctx.change((w) =>
          w.audit({
            action: 'auth.sign-in-failed',
            entityType: 'users',
            entityId: user?.id ?? null,
            after: { email: input.email, reason },
          }),
        );
      const attempt = credential ? chargeAttempt(ctx, credential.userId, now) : null;
      if (attempt && 'lockedUntil' in attempt) {
        refuse('locked');
        throw lockedError(attempt.lockedUntil).alreadyRecorded();
      }
      const valid = await verifyPassword(attempt?.verifier ?? (await dummyVerifier()), input.password);
      if (!user || !attempt || !valid) {
        refuse(user ? 'wrong password' : 'unknown email');
        await ctx.sleep(failureDelayMs(attempt?.failures ?? 1));
        throw new AppError(
          'unauthenticated',
          'That email and password do not match an account on this device.',
        ).alreadyRecorded();
      }
      if (user.status === 'INACTIVE' || user.status === 'SUSPENDED') {
        refuse(`account ${user.status.toLowerCase()}`);
        throw new AppError(
          'forbidden',
          `This account is ${user.status.toLowerCase()}. Ask an administrator to reactivate it.`,
        ).alreadyRecorded();
      }
      if (!canSignIn(user.role)) {
        refuse('guests cannot sign in');
        throw new AppError('forbidden', 'Guests cannot sign in.').alreadyRecorded();
      }
      const identity = identityOf(user);
      // Signing in still works on a tampered trail (the tamper is recorded outside the database):
      // an administrator must be able to see it and restore a backup.
      unlessTrailBroken(() =>
        ctx.change((w) => {
          clearAttempts(ctx, user.id, w.now);
          w.update('users', user.id, { lastLoginAt: w.now });
          w.audit({ action: 'auth.sign-in', entityType: 'users', entityId: user.id });
        }, identity),
      );
      ctx.sessions.bind(ctx.callerId, identity);
      return identity;
    },
  }),

  'auth/sign-out': defineOperation({
    input: z.undefined().or(z.strictObject({})),
    run: (ctx) => {
      unlessTrailBroken(() =>
        ctx.change((w) => w.audit({ action: 'auth.sign-out', entityType: 'users', entityId: ctx.identity.userId })),
      );
      ctx.sessions.end(ctx.callerId);
      return null;
    },
  }),

  'auth/me': defineOperation({
    input: z.undefined().or(z.strictObject({})),
    run: (ctx) => ctx.identity,
  }),

  'auth/change-password': defineOperation({
    input: z.strictObject({ currentPassword: password(), newPassword: password() }),
    run: async (ctx, input) => {
      const { userId } = ctx.identity;
      const server = ctx.server();
      if (server) {
        // The server holds the password: it checks the current one (counting wrong ones) and the
        // new one. Refused there, nothing changes here; taken, this device keeps the new verifier.
        await server.changeOwnPassword(input.currentPassword, input.newPassword);
      } else {
        const attempt = chargeAttempt(ctx, userId, ctx.now());
        if (attempt && 'lockedUntil' in attempt) throw lockedError(attempt.lockedUntil);
        if (!attempt || !(await verifyPassword(attempt.verifier, input.currentPassword))) {
          await ctx.sleep(failureDelayMs(attempt?.failures ?? 1));
          throw new AppError('validation', 'currentPassword: is not your current password', {
            currentPassword: 'is not your current password',
          });
        }
        const user = ctx.db.select().from(users).where(eq(users.id, userId)).get()!;
        requireStrong(input.newPassword, user, 'newPassword');
      }
      const verifier = await hashPassword(input.newPassword);
      ctx.change((w) => {
        clearAttempts(ctx, userId, w.now);
        ctx.db
          .update(localCredentials)
          .set({ verifier, updatedAt: w.now })
          .where(eq(localCredentials.userId, userId))
          .run();
        w.audit({ action: 'auth.password-changed', entityType: 'users', entityId: userId });
      });
      ctx.sessions.endAllFor(userId, ctx.callerId);
      return null;
    },
  }),
};
