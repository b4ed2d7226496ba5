// Properties: the searchable, filterable, keyset-paginated list, the property page's overview,
// and the changes office staff make. Field staff see only a property's operational columns.
import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  lt,
  lte,
  notInArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { z } from 'zod';
import { expectedValues, propertyCreate, propertyUpdate } from '../../db/contracts/entities.js';
import { count as countField, enumOf, id, minorUnits, text } from '../../db/contracts/fields.js';
import { addDays, todayIn, zonedInstant } from '../../db/domain/dates.js';
import { PROPERTY_STATUSES, PROPERTY_TYPES, type UserRole } from '../../db/domain/enums.js';
import { accessFor, FIELD_STAFF_PROPERTY_COLUMNS } from '../../db/policy/access.js';
import { FIELD_STAFF } from '../../db/policy/roles.js';
import { ledgerEntries, locations, properties, reservations, tasks, users } from '../../db/schema/sqlite.js';
import { invalid } from '../core/errors.js';
import { defineOperation, scopeCondition, type OperationContext } from '../core/operation.js';
import { afterCursor, encodeCursor, findInScope, likePattern, pageSize, prepareOnce } from '../core/queries.js';
import { visibleRow } from '../core/visibility.js';

type Property = typeof properties.$inferSelect;

/** Each sort of the list: its column, and the field of a row that holds its value. */
const SORTS = {
  name: properties.name,
  price: properties.pricePerNightMinor,
  capacity: properties.capacity,
  created: properties.createdAt,
} as const;
const SORT_FIELDS = { name: 'name', price: 'pricePerNightMinor', capacity: 'capacity', created: 'createdAt' } as const;

const ACTIVE_STAYS = sql`${reservations.status} NOT IN ('CANCELLED', 'NO_SHOW')`;
const OPEN_TASKS = ['PENDING', 'IN_PROGRESS', 'ON_HOLD'] as const;

const fieldStaffFields = new Set<string>(
  Object.entries(properties)
    .filter(([, column]) => FIELD_STAFF_PROPERTY_COLUMNS.includes((column as { name?: string }).name as never))
    .map(([field]) => field),
);

/** What of a property the caller may see: field staff get only the operational columns. */
function visible(role: UserRole, property: Property): Partial<Property> {
  if (!isFieldStaff(role)) return property;
  return Object.fromEntries(Object.entries(property).filter(([field]) => fieldStaffFields.has(field)));
}

const listInput = z.strictObject({
  search: text(100).optional(),
  locationId: id().optional(),
  status: z.array(enumOf(PROPERTY_STATUSES)).optional(),
  type: z.array(enumOf(PROPERTY_TYPES)).optional(),
  ownerId: id().optional(),
  agentId: id().optional(),
  minBedrooms: countField(0, 50).optional(),
  minCapacity: countField(1, 100).optional(),
  minPriceMinor: minorUnits().optional(),
  maxPriceMinor: minorUnits().optional(),
  includeArchived: z.boolean().default(false),
  sort: z
    .enum(Object.keys(SORTS) as [keyof typeof SORTS], { error: `must be one of ${Object.keys(SORTS).join(', ')}` })
    .default('name'),
  order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('asc'),
  limit: pageSize(),
  cursor: z.string().optional(),
});

const isFieldStaff = (role: UserRole) => (FIELD_STAFF as readonly string[]).includes(role);

/**
 * Field staff may not sort, filter or search by what they cannot see: each would reveal it
 * (a price in a cursor, an owner by filtering for them, a tag by searching for it).
 */
function refuseHiddenFilters(ctx: OperationContext, input: z.infer<typeof listInput>): void {
  if (!isFieldStaff(ctx.identity.role)) return;
  if (input.sort === 'price') throw invalid('sort', 'must be name, capacity or created');
  for (const field of ['ownerId', 'agentId', 'minPriceMinor', 'maxPriceMinor'] as const) {
    if (input[field] !== undefined) throw invalid(field, 'is not a filter you can use');
  }
}

function listConditions(ctx: OperationContext, input: z.infer<typeof listInput>): (SQL | undefined)[] {
  const pattern = input.search ? likePattern(input.search) : undefined;
  const searchTags = !isFieldStaff(ctx.identity.role);
  return [
    ctx.scope('properties'),
    input.includeArchived ? undefined : isNull(properties.archivedAt),
    input.locationId ? eq(properties.locationId, input.locationId) : undefined,
    input.status ? inArray(properties.status, input.status) : undefined,
    input.type ? inArray(properties.type, input.type) : undefined,
    input.ownerId ? eq(properties.ownerId, input.ownerId) : undefined,
    input.agentId ? eq(properties.agentId, input.agentId) : undefined,
    input.minBedrooms !== undefined ? gte(properties.bedrooms, input.minBedrooms) : undefined,
    input.minCapacity !== undefined ? gte(properties.capacity, input.minCapacity) : undefined,
    input.minPriceMinor !== undefined ? gte(properties.pricePerNightMinor, input.minPriceMinor) : undefined,
    input.maxPriceMinor !== undefined ? lte(properties.pricePerNightMinor, input.maxPriceMinor) : undefined,
    pattern
      ? or(
          sql`${properties.name} LIKE ${pattern} ESCAPE '\\'`,
          sql`${properties.nickname} LIKE ${pattern} ESCAPE '\\'`,
          sql`${properties.address} LIKE ${pattern} ESCAPE '\\'`,
          searchTags ? sql`${properties.tags} LIKE ${pattern} ESCAPE '\\'` : undefined,
        )
      : undefined,
  ];
}

export const propertyOperations = {
  'properties/list': defineOperation({
    input: listInput,
    run: (ctx, input) => {
      refuseHiddenFilters(ctx, input);
      const column = SORTS[input.sort];
      const direction = input.order === 'asc' ? asc : desc;
      const rows = ctx.db
        .select()
        .from(properties)
        .where(
          and(...listConditions(ctx, input), afterCursor(input.cursor, SORTS[input.sort], properties.id, input.order)),
        )
        .orderBy(direction(column), direction(properties.id))
        .limit(input.limit + 1)
        .all();
      const page = rows.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: page.map((p) => visible(ctx.identity.role, p)),
        nextCursor: rows.length > input.limit && last ? encodeCursor([last[SORT_FIELDS[input.sort]], last.id]) : null,
        total:
          ctx.db
            .select({ n: count() })
            .from(properties)
            .where(and(...listConditions(ctx, input)))
            .get()?.n ?? 0,
      };
    },
  }),

  'properties/get': defineOperation({
    input: z.strictObject({ id: id() }),
    run: (ctx, { id }) => {
      const property = findInScope(ctx, 'properties', id, 'That property');
      const location = ctx.db.select().from(locations).where(eq(locations.id, property.locationId)).get();
      return {
        ...visible(ctx.identity.role, property),
        locationName: location?.name ?? null,
        timeZone: location?.timeZone ?? null,
      };
    },
  }),

  'properties/overview': defineOperation({
    input: z.strictObject({ id: id() }),
    run: (ctx, { id }) => overview(ctx, findInScope(ctx, 'properties', id, 'That property')),
  }),

  'properties/create': defineOperation({
    input: propertyCreate,
    run: (ctx, input) => ctx.change((w) => w.insert('properties', input)),
  }),

  'properties/update': defineOperation({
    input: z.strictObject({ id: id(), changes: propertyUpdate, expected: expectedValues.optional() }),
    run: (ctx, { id, changes, expected }) => {
      findInScope(ctx, 'properties', id, 'That property');
      return ctx.change((w) => w.update('properties', id, changes, expected));
    },
  }),

  'properties/archive': defineOperation({
    input: z.strictObject({ id: id() }),
    run: (ctx, { id }) => {
      findInScope(ctx, 'properties', id, 'That property');
      return ctx.change((w) => w.update('properties', id, { archivedAt: w.now, status: 'INACTIVE' }));
    },
  }),
};

function timeZoneOf(ctx: OperationContext, property: Property): string {
  const query = prepareOnce(ctx.db, 'location time zone', () =>
    ctx.db
      .select({ tz: locations.timeZone })
      .from(locations)
      .where(eq(locations.id, sql.placeholder('id')))
      .prepare(),
  );
  return query.get({ id: property.locationId })?.tz ?? 'UTC';
}

/** The property page's header: what is coming, what is open, and how this month is going. */
function overview(ctx: OperationContext, property: Property) {
  const timeZone = timeZoneOf(ctx, property);
  const today = todayIn(timeZone, ctx.now());
  const monthStart = `${today.slice(0, 7)}-01`;
  const tomorrow = addDays(today, 1);
  const { role } = ctx.identity;
  const p = sql.placeholder;
  const upcoming = prepareOnce(ctx.db, 'overview upcoming', () =>
    ctx.db
      .select()
      .from(reservations)
      .where(and(eq(reservations.propertyId, p('property')), ACTIVE_STAYS, gte(reservations.checkOut, p('today'))))
      .orderBy(asc(reservations.checkIn))
      .limit(10)
      .prepare(),
  )
    .all({ property: property.id, today })
    .map((r) => visibleRow('reservations', role, r));
  // Only roles that may list tasks see them here (owners do not), within their task scope.
  const taskAccess = accessFor('tasks/list', role);
  const openTasks = taskAccess
    ? prepareOnce(ctx.db, `overview tasks ${role} ${taskAccess}`, () =>
        ctx.db
          .select()
          .from(tasks)
          .where(
            and(
              eq(tasks.propertyId, p('property')),
              inArray(tasks.status, [...OPEN_TASKS]),
              scopeCondition('tasks', ctx.identity, taskAccess, p('me')),
            ),
          )
          .orderBy(asc(tasks.scheduledAt))
          .limit(20)
          .prepare(),
      )
        .all({ property: property.id, me: ctx.identity.userId })
        .map((t) => visibleRow('tasks', role, t))
    : null;
  // Booked nights from the 1st of the month up to and including today, over the days elapsed.
  const bookedNights =
    prepareOnce(ctx.db, 'overview booked nights', () =>
      ctx.db
        .select({
          nights: sql<
            number | null
          >`sum(julianday(min(${reservations.checkOut}, ${p('tomorrow')})) - julianday(max(${reservations.checkIn}, ${p('monthStart')})))`,
        })
        .from(reservations)
        .where(
          and(
            eq(reservations.propertyId, p('property')),
            notInArray(reservations.status, ['CANCELLED', 'NO_SHOW', 'PENDING']),
            lt(reservations.checkIn, p('tomorrow')),
            gt(reservations.checkOut, p('monthStart')),
          ),
        )
        .prepare(),
    ).get({ property: property.id, tomorrow, monthStart })?.nights ?? 0;
  const daysElapsed = Number(today.slice(8, 10));
  const revenueMinor =
    prepareOnce(ctx.db, 'overview revenue', () =>
      ctx.db
        .select({
          total: sql<
            number | null
          >`sum(CASE ${ledgerEntries.type} WHEN 'REFUND' THEN -${ledgerEntries.amountMinor} ELSE ${ledgerEntries.amountMinor} END)`,
        })
        .from(ledgerEntries)
        .where(
          and(
            eq(ledgerEntries.propertyId, p('property')),
            inArray(ledgerEntries.type, ['GUEST_PAYMENT', 'REFUND']),
            eq(ledgerEntries.status, 'COMPLETED'),
            eq(ledgerEntries.currency, p('currency')),
            gte(ledgerEntries.createdAt, p('from')),
            lt(ledgerEntries.createdAt, p('until')),
          ),
        )
        .prepare(),
    ).get({
      property: property.id,
      currency: property.currency,
      from: zonedInstant(monthStart, '00:00', timeZone),
      until: zonedInstant(tomorrow, '00:00', timeZone),
    })?.total ?? 0;
  // Whose property it is: the office (and the owner) read the overview, never field staff.
  const owner = property.ownerId
    ? ctx.db
        .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
        .from(users)
        .where(eq(users.id, property.ownerId))
        .get()
    : undefined;
  return {
    property: visible(ctx.identity.role, property),
    owner: owner ? { id: owner.id, name: `${owner.firstName} ${owner.lastName}` } : null,
    today,
    upcomingReservations: upcoming,
    openTasks,
    monthToDate: {
      from: monthStart,
      /** Guest payments less refunds and reversals, as recorded from the 1st to today, before fees. */
      revenueMinor,
      currency: property.currency,
      bookedNights,
      availableNights: daysElapsed,
      occupancy: daysElapsed > 0 ? bookedNights / daysElapsed : 0,
    },
  };
}
