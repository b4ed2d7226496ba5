// One search box for the whole office: properties, guests, reservations and tasks matching a few
// letters. Each kind is searched only if the caller's role may list it, within the scope of that
// list, and only on columns the role may see: a search that matched a hidden column would reveal it.
import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { count, text } from '../../db/contracts/fields.js';
import { accessFor, columnVisible, type Access, type GuardedOperation } from '../../db/policy/access.js';
import type { SignInRole } from '../../db/policy/roles.js';
import { locations, properties, reservations, tasks, users } from '../../db/schema/sqlite.js';
import { defineOperation, scopeCondition, type OperationContext } from '../core/operation.js';
import { likePattern } from '../core/queries.js';

/** The columns of `table` that `role` may see, out of those a search would match on. */
function visibleColumns(table: string, role: SignInRole, columns: SQLiteColumn[]): SQLiteColumn[] {
  return columns.filter((column) => columnVisible(table, role, column.name));
}

function matching(columns: (SQLiteColumn | SQL)[], pattern: string): SQL {
  if (columns.length === 0) return sql`1 = 0`;
  return or(...columns.map((column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`))!;
}

/** The grant and row scope of the list a kind of record is found through, or null if the role has none. */
function listedThrough(ctx: OperationContext, operation: GuardedOperation, table: string) {
  const access: Access | null = accessFor(operation, ctx.identity.role);
  return access ? { scope: scopeCondition(table, ctx.identity, access) } : null;
}

const searchInput = z.strictObject({
  query: text(100).refine((v) => v.length >= 2, 'must be at least 2 characters'),
  /** Most hits of each kind. */
  limit: count(1, 20).default(6),
});

export const searchOperations = {
  'search/everything': defineOperation({
    input: searchInput,
    run: (ctx, input) => {
      const { role } = ctx.identity;
      const pattern = likePattern(input.query);
      const today = ctx.now().toISOString().slice(0, 10);

      const propertyList = listedThrough(ctx, 'properties/list', 'properties');
      const propertyHits = propertyList
        ? ctx.db
            .select({
              id: properties.id,
              name: properties.name,
              nickname: properties.nickname,
              address: properties.address,
              locationName: locations.name,
            })
            .from(properties)
            .innerJoin(locations, eq(locations.id, properties.locationId))
            .where(
              and(
                propertyList.scope,
                matching(
                  visibleColumns('properties', role, [
                    properties.name,
                    properties.nickname,
                    properties.address,
                    properties.tags,
                  ]),
                  pattern,
                ),
              ),
            )
            // Properties still let come before archived ones.
            .orderBy(sql`${properties.archivedAt} IS NOT NULL`, asc(properties.name), asc(properties.id))
            .limit(input.limit)
            .all()
        : null;

      const userList = listedThrough(ctx, 'users/list', 'users');
      const fullName = sql`(${users.firstName} || ' ' || ${users.lastName})`;
      const guestHits = userList
        ? ctx.db
            .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email })
            .from(users)
            .where(
              and(
                userList.scope,
                eq(users.role, 'GUEST'),
                or(
                  matching(visibleColumns('users', role, [users.email, users.phone]), pattern),
                  sql`${fullName} LIKE ${pattern} ESCAPE '\\'`,
                ),
              ),
            )
            .orderBy(asc(users.lastName), asc(users.firstName), asc(users.id))
            .limit(input.limit)
            .all()
        : null;

      const reservationList = listedThrough(ctx, 'reservations/list', 'reservations');
      const reservationHits = reservationList
        ? ctx.db
            .select({
              id: reservations.id,
              guestName: reservations.guestName,
              propertyName: properties.name,
              checkIn: reservations.checkIn,
              checkOut: reservations.checkOut,
              status: reservations.status,
            })
            .from(reservations)
            .innerJoin(properties, eq(properties.id, reservations.propertyId))
            .where(
              and(
                reservationList.scope,
                matching(
                  visibleColumns('reservations', role, [
                    reservations.guestName,
                    reservations.guestEmail,
                    reservations.sourceId,
                  ]),
                  pattern,
                ),
              ),
            )
            // The stay nearest today first: the one on the phone is rarely two years ago.
            .orderBy(
              sql`abs(julianday(${reservations.checkIn}) - julianday(${today}))`,
              desc(reservations.checkIn),
              asc(reservations.id),
            )
            .limit(input.limit)
            .all()
        : null;

      const taskList = listedThrough(ctx, 'tasks/list', 'tasks');
      const taskHits = taskList
        ? ctx.db
            .select({
              id: tasks.id,
              title: tasks.title,
              status: tasks.status,
              scheduledAt: tasks.scheduledAt,
              propertyId: tasks.propertyId,
              propertyName: properties.name,
              reservationId: tasks.reservationId,
            })
            .from(tasks)
            .innerJoin(properties, eq(properties.id, tasks.propertyId))
            .where(
              and(taskList.scope, matching(visibleColumns('tasks', role, [tasks.title, tasks.description]), pattern)),
            )
            // Work still to do first, the soonest first.
            .orderBy(
              sql`${tasks.status} IN ('COMPLETED', 'CANCELLED')`,
              sql`${tasks.scheduledAt} IS NULL`,
              sql`abs(julianday(${tasks.scheduledAt}) - julianday(${today}))`,
              asc(tasks.id),
            )
            .limit(input.limit)
            .all()
        : null;

      return { properties: propertyHits, guests: guestHits, reservations: reservationHits, tasks: taskHits };
    },
  }),
};
