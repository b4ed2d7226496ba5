// An edit made from an older version of a row (two windows on one record, a form left open while
// someone else saved): refused with what changed since, who changed it and when, in the words the
// sync server uses for the same case (db/rules/stale.ts).
import { and, desc, eq } from 'drizzle-orm';
import type { LocalDb } from '../../db/local-database.js';
import { fieldLabel, staleMessage } from '../../db/rules/stale.js';
import { auditLog, users } from '../../db/schema/sqlite.js';
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
  const message = staleMessage({
    thing: THINGS[table],
    fields: stale.map((field) => ({ label: fieldLabel(field), theirs: current[field], yours: changes[field] })),
    by: last?.firstName ? `${last.firstName} ${last.lastName ?? ''}`.trim() : null,
    at: last?.at ?? null,
  });
  throw new AppError(
    'conflict',
    message,
    Object.fromEntries(stale.map((field) => [field, `was changed meanwhile to ${JSON.stringify(current[field])}`])),
  );
}
