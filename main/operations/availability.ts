// Availability: which properties are free for a stay, and the booking calendar's rows. Both read
// only; what may be booked is still the rulebook's to decide when the booking is made.
import { and, asc, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { calendarDate, count, enumOf, id } from '../../db/contracts/fields.js';
import { nightsBetween } from '../../db/domain/dates.js';
import { INACTIVE_RESERVATION_STATUSES, PROPERTY_TYPES } from '../../db/domain/enums.js';
import { accessFor } from '../../db/policy/access.js';
import { locations, properties, reservations } from '../../db/schema/sqlite.js';
import { defineOperation, scopeCondition } from '../core/operation.js';
import { pageSize } from '../core/queries.js';

/** Longest stay a search looks for, and longest span the calendar shows at once. */
const MAX_NIGHTS = 365;
const MAX_CALENDAR_DAYS = 62;

const activeStay = () =>
  sql`${reservations.status} NOT IN (${sql.join(
    INACTIVE_RESERVATION_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  )})`;

const searchInput = z
  .strictObject({
    checkIn: calendarDate(),
    checkOut: calendarDate(),
    guests: count(1, 100),
    locationId: id().optional(),
    type: z.array(enumOf(PROPERTY_TYPES)).optional(),
    minBedrooms: count(0, 50).optional(),
    limit: pageSize(),
  })
  .refine((v) => v.checkOut > v.checkIn, { error: 'must be after the check-in date', path: ['checkOut'] })
  .refine((v) => v.checkOut <= v.checkIn || nightsBetween(v.checkIn, v.checkOut) <= MAX_NIGHTS, {
    error: `must be at most ${MAX_NIGHTS} nights after the check-in date`,
    path: ['checkOut'],
  });

const calendarInput = z
  .strictObject({ from: calendarDate(), to: calendarDate() })
  .refine((v) => v.to > v.from, { error: 'must be after the first day', path: ['to'] })
  .refine((v) => v.to <= v.from || nightsBetween(v.from, v.to) <= MAX_CALENDAR_DAYS, {
    error: `must be at most ${MAX_CALENDAR_DAYS} days after the first day`,
    path: ['to'],
  });

export const availabilityOperations = {
  /**
   * Properties being let that hold the party and have no active stay on any of the nights
   * [checkIn, checkOut), within the caller's scope; each with the price of those nights at its
   * nightly rate, in its own currency. The most suitable first: the smallest that fits, then by name.
   */
  'availability/search': defineOperation({
    input: searchInput,
    run: (ctx, input) => {
      const nights = nightsBetween(input.checkIn, input.checkOut);
      const rows = ctx.db
        .select({
          id: properties.id,
          name: properties.name,
          type: properties.type,
          address: properties.address,
          locationId: properties.locationId,
          locationName: locations.name,
          capacity: properties.capacity,
          bedrooms: properties.bedrooms,
          bathrooms: properties.bathrooms,
          pricePerNightMinor: properties.pricePerNightMinor,
          currency: properties.currency,
        })
        .from(properties)
        .innerJoin(locations, eq(locations.id, properties.locationId))
        .where(
          and(
            ctx.scope('properties'),
            isNull(properties.archivedAt),
            eq(properties.status, 'ACTIVE'),
            gte(properties.capacity, input.guests),
            input.locationId ? eq(properties.locationId, input.locationId) : undefined,
            input.type ? inArray(properties.type, input.type) : undefined,
            input.minBedrooms !== undefined ? gte(properties.bedrooms, input.minBedrooms) : undefined,
            // Served by reservations_property_dates_idx: one short index range per property.
            sql`NOT EXISTS (SELECT 1 FROM ${reservations}
                 WHERE ${reservations.propertyId} = ${properties.id} AND ${activeStay()}
                   AND ${reservations.checkIn} < ${input.checkOut} AND ${reservations.checkOut} > ${input.checkIn})`,
          ),
        )
        .orderBy(asc(properties.capacity), asc(properties.name), asc(properties.id))
        .limit(input.limit + 1)
        .all();
      return {
        nights,
        items: rows.slice(0, input.limit).map((row) => ({ ...row, totalMinor: row.pricePerNightMinor * nights })),
        more: rows.length > input.limit,
      };
    },
  }),

  /**
   * The booking calendar in one answer: every property the caller may see (not archived), each
   * with its active stays overlapping [from, to). The screen filters and scrolls them itself.
   */
  'availability/calendar': defineOperation({
    input: calendarInput,
    run: (ctx, input) => {
      const propertyRows = ctx.db
        .select({
          id: properties.id,
          name: properties.name,
          nickname: properties.nickname,
          type: properties.type,
          locationId: properties.locationId,
          ownerId: properties.ownerId,
          agentId: properties.agentId,
          capacity: properties.capacity,
          bedrooms: properties.bedrooms,
        })
        .from(properties)
        .where(and(ctx.scope('properties'), isNull(properties.archivedAt)))
        .orderBy(asc(properties.name), asc(properties.id))
        .all();
      // Stays are read under the reservations scope of the caller's reservations/list grant, which
      // the calendar screen already requires.
      const stayAccess = accessFor('reservations/list', ctx.identity.role);
      const stays = stayAccess
        ? ctx.db
            .select({
              id: reservations.id,
              propertyId: reservations.propertyId,
              checkIn: reservations.checkIn,
              checkOut: reservations.checkOut,
              status: reservations.status,
              guestName: reservations.guestName,
            })
            .from(reservations)
            .where(
              and(
                scopeCondition('reservations', ctx.identity, stayAccess),
                activeStay(),
                lt(reservations.checkIn, input.to),
                gt(reservations.checkOut, input.from),
              ),
            )
            .all()
        : [];
      // Stays are grouped here rather than joined in SQL: a join (or an order) would make SQLite
      // walk every stay instead of the date index's range. Those of archived properties drop out.
      type Stay = Omit<(typeof stays)[number], 'propertyId'>;
      const byProperty = new Map<string, Stay[]>(propertyRows.map((p) => [p.id, []]));
      for (const { propertyId, ...stay } of stays) byProperty.get(propertyId)?.push(stay);
      for (const list of byProperty.values()) list.sort((a, b) => (a.checkIn < b.checkIn ? -1 : 1));
      return { properties: propertyRows.map((p) => ({ ...p, stays: byProperty.get(p.id)! })) };
    },
  }),
};
