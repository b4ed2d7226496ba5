// An edit made from an older version of a row (two windows on one record, a form left open while
// someone else saved): refused with what changed since, who changed it and when, in the words the
// sync server uses for the same case (db/rules/stale.ts).
import { and, desc, eq } from 'drizzle-orm';
import type { LocalDb } from '../../db/local-database.js';
import { fieldLabel, staleMessage, valueWords } from '../../db/rules/stale.js';
import { auditLog, locations, properties, reservations, tasks, users } from '../../db/schema/sqlite.js';
import { AppError } from './errors.js';
import type { SyncedTableName } from './synced-tables.js';

const THINGS: Record<SyncedTableName, string> = {
  users: 'person',
  locations: 'location',
  properties: 'property',
  reservations: 'reservation',
  tasks: 'task',
  ledger_entries: 'ledger entry',
  audit_log: 'audit row',
};

/** Fields that hold the id of another row: the message names that row, never its id. */
const REFERENCES: Record<string, 'person' | 'location' | 'property' | 'reservation' | 'task'> = {
  guestId: 'person',
  agentId: 'person',
  ownerId: 'person',
  assigneeId: 'person',
  userId: 'person',
  locationId: 'location',
  propertyId: 'property',
  reservationId: 'reservation',
  taskId: 'task',
};

function nameOf(db: LocalDb, field: string, value: unknown): unknown {
  const kind = REFERENCES[field];
  if (!kind || typeof value !== 'string') return value;
  const row =
    kind === 'person'
      ? db.select({ a: users.firstName, b: users.lastName }).from(users).where(eq(users.id, value)).get()
      : kind === 'location'
        ? db.select({ a: locations.name }).from(locations).where(eq(locations.id, value)).get()
        : kind === 'property'
          ? db.select({ a: properties.name }).from(properties).where(eq(properties.id, value)).get()
          : kind === 'reservation'
            ? db.select({ a: reservations.guestName }).from(reservations).where(eq(reservations.id, value)).get()
            : db.select({ a: tasks.title }).from(tasks).where(eq(tasks.id, value)).get();
  if (!row) return value;
  return [row.a, 'b' in row ? row.b : null].filter(Boolean).join(' ');
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function refuseStale(
  db: LocalDb,
  table: SyncedTableName,
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
  expected: Record<string, unknown>,
): void {
  const stale = Object.keys(changes).filter((field) => field in expected && !same(current[field], expected[field]));
  if (stale.length === 0) return;
  const last = db
    .select({ at: auditLog.at, firstName: users.firstName, lastName: users.lastName })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.entityType, table), eq(auditLog.entityId, String(current.id))))
    .orderBy(desc(auditLog.at))
    .get();
  const currency = typeof current.currency === 'string' ? current.currency : null;
  const message = staleMessage({
    thing: THINGS[table],
    fields: stale.map((field) => ({
      field,
      label: fieldLabel(field),
      theirs: nameOf(db, field, current[field]),
      yours: nameOf(db, field, changes[field]),
    })),
    currency,
    by: last?.firstName ? `${last.firstName} ${last.lastName ?? ''}`.trim() : null,
    at: last?.at ?? null,
  });
  throw new AppError(
    'conflict',
    message,
    Object.fromEntries(
      stale.map((field) => [
        field,
        `was changed meanwhile to ${valueWords(nameOf(db, field, current[field]), field, currency)}`,
      ]),
    ),
  );
}
