// Rows for core tests, written straight into the core's database so a test does not depend on
// the operations that would normally create them. Staff get a local credential for
// STRONG_PASSWORD, so they sign in through 'auth/sign-in' like anyone else.
import { expect } from 'vitest';
import { eq } from 'drizzle-orm';
import type { SignInRole } from '../../db/policy/roles.js';
import {
  ledgerEntries,
  localCredentials,
  locations,
  properties,
  reservations,
  tasks,
  users,
} from '../../db/schema/sqlite.js';
import { hashPassword } from '../../db/auth/passwords.js';
import type { Identity } from '../../main/core/sessions.js';
import { ledgerRow, locationRow, propertyRow, reservationRow, taskRow, userRow } from '../db/fixtures.js';
import { STRONG_PASSWORD, type TestCore } from './test-core.js';

export type User = typeof users.$inferSelect;
export type Location = typeof locations.$inferSelect;
export type Property = typeof properties.$inferSelect;
export type Reservation = typeof reservations.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;

type Overrides = Record<string, unknown>;

// One argon2 hash per test file is enough: every seeded staff member shares the password.
let verifier: Promise<string> | undefined;
const strongVerifier = () => (verifier ??= hashPassword(STRONG_PASSWORD));

export function seedUser(core: TestCore, overrides: Overrides = {}): User {
  const row = userRow(overrides);
  core.database.db
    .insert(users)
    .values(row as never)
    .run();
  return core.database.db.select().from(users).where(eq(users.id, row.id)).get()!;
}

export function seedGuest(core: TestCore, firstName = 'Ana', lastName = 'Silva', overrides: Overrides = {}): User {
  return seedUser(core, { role: 'GUEST', firstName, lastName, ...overrides });
}

/** A user of `role` who can sign in with STRONG_PASSWORD. */
export async function seedStaff(core: TestCore, role: SignInRole, overrides: Overrides = {}): Promise<User> {
  const user = seedUser(core, { role, firstName: role.charAt(0) + role.slice(1).toLowerCase(), ...overrides });
  core.database.db
    .insert(localCredentials)
    .values({ userId: user.id, verifier: await strongVerifier(), updatedAt: user.updatedAt })
    .run();
  return user;
}

export function signInAs(core: TestCore, callerId: string, user: Pick<User, 'email'>): Promise<Identity> {
  return core.ok<Identity>(callerId, 'auth/sign-in', { email: user.email, password: STRONG_PASSWORD });
}

export function seedLocation(core: TestCore, overrides: Overrides = {}): Location {
  const row = locationRow(overrides);
  core.database.db
    .insert(locations)
    .values(row as never)
    .run();
  return core.database.db.select().from(locations).where(eq(locations.id, row.id)).get()!;
}

export function seedProperty(core: TestCore, locationId: string, overrides: Overrides = {}): Property {
  const row = propertyRow(locationId, overrides);
  core.database.db
    .insert(properties)
    .values(row as never)
    .run();
  return core.database.db.select().from(properties).where(eq(properties.id, row.id)).get()!;
}

export function seedReservation(
  core: TestCore,
  propertyId: string,
  guestId: string,
  overrides: Overrides = {},
): Reservation {
  const row = reservationRow(propertyId, guestId, overrides);
  core.database.db
    .insert(reservations)
    .values(row as never)
    .run();
  return core.database.db.select().from(reservations).where(eq(reservations.id, row.id)).get()!;
}

export function seedTask(core: TestCore, propertyId: string, overrides: Overrides = {}): Task {
  const row = taskRow(propertyId, overrides);
  core.database.db
    .insert(tasks)
    .values(row as never)
    .run();
  return core.database.db.select().from(tasks).where(eq(tasks.id, row.id)).get()!;
}

export function seedLedgerEntry(core: TestCore, userId: string, overrides: Overrides = {}): LedgerEntry {
  const row = ledgerRow(userId, overrides);
  core.database.db
    .insert(ledgerEntries)
    .values(row as never)
    .run();
  return core.database.db.select().from(ledgerEntries).where(eq(ledgerEntries.id, row.id)).get()!;
}

export function taskRowById(core: TestCore, id: string): Task {
  return core.database.db.select().from(tasks).where(eq(tasks.id, id)).get()!;
}

export function reservationRowById(core: TestCore, id: string): Reservation {
  return core.database.db.select().from(reservations).where(eq(reservations.id, id)).get()!;
}

/** Row counts of tables by name (raw SQL names, e.g. 'audit_log', 'outbox'). */
export function countRows<T extends string>(core: TestCore, ...tables: T[]): Record<T, number> {
  const counts = {} as Record<T, number>;
  for (const table of tables) {
    counts[table] = core.database.sqlite.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
  }
  return counts;
}

/** What one change wrote: the difference in row counts around `work`. */
export async function rowsWrittenBy<T extends string>(
  core: TestCore,
  tables: T[],
  work: () => Promise<unknown>,
): Promise<Record<T, number>> {
  const before = countRows(core, ...tables);
  await work();
  const after = countRows(core, ...tables);
  const delta = {} as Record<T, number>;
  for (const table of tables) delta[table] = after[table] - before[table];
  return delta;
}

/**
 * After refusals: every table as it was, but the audit log, which gained one refusal row per
 * refusal (each with the outbox entry that carries it), and nothing else.
 */
export function onlyRefusalsRecorded<T extends string>(
  core: TestCore,
  before: Record<T, number>,
  after: Record<T, number>,
): void {
  const audit = 'audit_log' as T;
  const outbox = 'outbox' as T;
  const added = (after[audit] ?? 0) - (before[audit] ?? 0);
  expect(added, 'refusal rows added to the audit log').toBeGreaterThan(0);
  expect({ ...after, [audit]: 0, [outbox]: 0 }).toEqual({ ...before, [audit]: 0, [outbox]: 0 });
  if (outbox in before) expect(after[outbox] - before[outbox]).toBe(added);
  const actions = core.database.sqlite
    .prepare('SELECT action FROM audit_log ORDER BY rowid DESC LIMIT ?')
    .pluck()
    .all(added) as string[];
  for (const action of actions) expect(['call.refused', 'access.denied']).toContain(action);
}
