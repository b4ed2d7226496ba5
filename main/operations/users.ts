// Users: staff, owners and guests in one table. Managers administer everyone but admins;
// agents keep their guests' records; nobody changes their own role.
import { and, asc, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { expectedValues, userCreate, userUpdate } from '../../db/contracts/entities.js';
import { enumOf, id, text } from '../../db/contracts/fields.js';
import { USER_ROLES, USER_STATUSES, type UserRole } from '../../db/domain/enums.js';
import { canSignIn } from '../../db/policy/roles.js';
import { CHANGE_RULES, changeRefusal } from '../../db/rules/index.js';
import { ledgerEntries, localCredentials, properties, reservations, tasks, users } from '../../db/schema/sqlite.js';
import { hashPassword, passwordWeakness } from '../../db/auth/passwords.js';
import { conflict, invalid } from '../core/errors.js';
import { appErrorOf } from '../core/rule-checks.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { findInScope, likePattern, scalar } from '../core/queries.js';

type User = typeof users.$inferSelect;

const newPassword = () => z.string({ error: 'must be text' }).max(256, 'must be at most 256 characters');

/**
 * The rulebook's check of whose accounts the caller may manage (db/rules/users.ts), made early
 * where slow work would come first (hashing a password) or no row is written (setting one).
 */
function assertMayAdminister(ctx: OperationContext, role: UserRole): void {
  const actor = { id: ctx.identity.userId, role: ctx.identity.role };
  const refusal = changeRefusal(CHANGE_RULES, 'users', { before: null, after: { role }, actor }, ['role']);
  if (refusal) throw appErrorOf(refusal);
}

async function verifierFor(
  password: string | undefined,
  person: Pick<User, 'email' | 'firstName' | 'lastName' | 'role'>,
) {
  if (password === undefined) return undefined;
  if (!canSignIn(person.role))
    throw invalid('password', `${person.role.toLowerCase()} records cannot sign in, so they have no password`);
  const weakness = passwordWeakness(password, person);
  if (weakness) throw invalid('password', weakness);
  return hashPassword(password);
}

function setVerifier(ctx: OperationContext, userId: string, verifier: string, now: string): void {
  ctx.db
    .insert(localCredentials)
    .values({ userId, verifier, updatedAt: now })
    .onConflictDoUpdate({
      target: localCredentials.userId,
      set: { verifier, failedAttempts: 0, lockedUntil: null, updatedAt: now },
    })
    .run();
}

export const userOperations = {
  'users/list': defineOperation({
    input: z.strictObject({
      search: text(100).optional(),
      role: z.array(enumOf(USER_ROLES)).optional(),
      status: enumOf(USER_STATUSES).optional(),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).default(0),
    }),
    run: (ctx, input) => {
      const pattern = input.search ? likePattern(input.search) : undefined;
      const where = and(
        ctx.scope('users'),
        input.role ? inArray(users.role, input.role) : undefined,
        input.status ? eq(users.status, input.status) : undefined,
        pattern
          ? or(
              sql`${users.email} LIKE ${pattern} ESCAPE '\\'`,
              sql`(${users.firstName} || ' ' || ${users.lastName}) LIKE ${pattern} ESCAPE '\\'`,
              sql`${users.phone} LIKE ${pattern} ESCAPE '\\'`,
            )
          : undefined,
      );
      const items = ctx.db
        .select()
        .from(users)
        .where(where)
        .orderBy(asc(users.lastName), asc(users.firstName), asc(users.id))
        .limit(input.limit)
        .offset(input.offset)
        .all();
      const total = ctx.db.select({ n: count() }).from(users).where(where).get()?.n ?? 0;
      return { items, total };
    },
  }),

  'users/get': defineOperation({
    input: z.strictObject({ id: id() }),
    run: (ctx, { id }) => findInScope(ctx, 'users', id, 'That user'),
  }),

  'users/create': defineOperation({
    input: userCreate.extend({ password: newPassword().optional() }),
    run: async (ctx, { password, ...fields }) => {
      assertMayAdminister(ctx, fields.role);
      const verifier = await verifierFor(password, fields);
      const user = ctx.change((w) => {
        const user = w.insert('users', fields);
        if (verifier) setVerifier(ctx, user.id, verifier, w.now);
        return user;
      });
      const server = ctx.server();
      if (!server) return user;
      // Passwords are the server's: the person reaches it first, then their password is set there.
      const who = `${user.firstName} ${user.lastName}`;
      const refused = await server.deliver('users', user.id);
      if (refused) throw conflict(`The sync server refused to add ${who}: ${refused}`);
      if (password) {
        await server.setPassword(user.id, password).catch((error: unknown) => {
          throw conflict(
            `${who} was added, but the sync server did not take the password: ${(error as Error).message} ` +
              'Set their password from their record once it can be.',
          );
        });
      }
      return user;
    },
  }),

  'users/update': defineOperation({
    input: z.strictObject({ id: id(), changes: userUpdate, expected: expectedValues.optional() }),
    run: (ctx, { id, changes, expected }) => {
      findInScope(ctx, 'users', id, 'That user');
      const updated = ctx.change((w) => w.update('users', id, changes, expected));
      if (updated.status === 'INACTIVE' || updated.status === 'SUSPENDED') ctx.sessions.endAllFor(id);
      return updated;
    },
  }),

  'users/set-password': defineOperation({
    input: z.strictObject({ id: id(), password: newPassword() }),
    run: async (ctx, { id, password }) => {
      const target = findInScope(ctx, 'users', id, 'That user');
      assertMayAdminister(ctx, target.role);
      const verifier = (await verifierFor(password, target))!;
      // Passwords are the server's: refused there, nothing changes here.
      await ctx.server()?.setPassword(id, password);
      ctx.change((w) => {
        // Checked again now that hashing is done: the target may have been promoted meanwhile.
        assertMayAdminister(ctx, w.get('users', id)!.role);
        setVerifier(ctx, id, verifier, w.now);
        w.audit({ action: 'users.password-set', entityType: 'users', entityId: id });
      });
      ctx.sessions.endAllFor(id);
      return null;
    },
  }),

  'users/deactivate': defineOperation({
    input: z.strictObject({ id: id() }),
    run: (ctx, { id }) => {
      findInScope(ctx, 'users', id, 'That user');
      const updated = ctx.change((w) => w.update('users', id, { status: 'INACTIVE' }));
      ctx.sessions.endAllFor(id);
      return updated;
    },
  }),

  'users/delete': defineOperation({
    input: z.strictObject({ id: id() }),
    run: (ctx, { id }) => {
      findInScope(ctx, 'users', id, 'That user');
      const references = referencesTo(ctx, id);
      if (references.length > 0) {
        throw conflict(`This user is still referenced by ${references.join(', ')}. Deactivate the account instead.`);
      }
      ctx.change((w) => {
        ctx.db.delete(localCredentials).where(eq(localCredentials.userId, id)).run();
        w.delete('users', id);
      });
      ctx.sessions.endAllFor(id);
      return null;
    },
  }),
};

/** What still points at a user, in words: "2 properties (owner), 5 reservations (guest)". */
function referencesTo(ctx: OperationContext, userId: string): string[] {
  const counts: [string, SQL][] = [
    ['properties (owner)', sql`SELECT count(*) FROM ${properties} WHERE ${properties.ownerId} = ${userId}`],
    ['properties (agent)', sql`SELECT count(*) FROM ${properties} WHERE ${properties.agentId} = ${userId}`],
    ['reservations (guest)', sql`SELECT count(*) FROM ${reservations} WHERE ${reservations.guestId} = ${userId}`],
    ['reservations (agent)', sql`SELECT count(*) FROM ${reservations} WHERE ${reservations.agentId} = ${userId}`],
    ['tasks (assignee)', sql`SELECT count(*) FROM ${tasks} WHERE ${tasks.assigneeId} = ${userId}`],
    ['ledger entries', sql`SELECT count(*) FROM ${ledgerEntries} WHERE ${ledgerEntries.userId} = ${userId}`],
  ];
  return counts
    .map(([label, query]) => [label, scalar(ctx, query, 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} ${label}`);
}
