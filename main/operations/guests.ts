// The guest page: who the guest is, their stays past and upcoming, what they have spent, and what
// the office keeps on them (notes, tags, "do not rent"). Stays and money are read through the
// caller's own scopes, so an agent's page adds up to what their reservation and ledger lists show.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { id } from '../../db/contracts/fields.js';
import { nightsBetween, todayIn } from '../../db/domain/dates.js';
import type { ReservationStatus } from '../../db/domain/enums.js';
import { ledgerEntries, locations, properties, reservations } from '../../db/schema/sqlite.js';
import { notFound } from '../core/errors.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { findInScope } from '../core/queries.js';
import { visibleRow } from '../core/visibility.js';

/** A stay still to come (or under way): anything else is history, cancelled ones included. */
const COMING: readonly ReservationStatus[] = ['PENDING', 'CONFIRMED', 'CHECKED_IN'];
/** Stays that did not happen: they make nobody a repeat guest. */
const NOT_STAYED: readonly ReservationStatus[] = ['CANCELLED', 'NO_SHOW'];

export interface GuestStay {
  id: string;
  propertyId: string;
  propertyName: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  status: ReservationStatus;
  totalMinor: number;
  currency: string;
}

export const guestOperations = {
  'guests/profile': defineOperation({
    input: z.strictObject({ id: id() }),
    run: (ctx, { id }) => {
      const found = findInScope(ctx, 'users', id, 'That guest');
      if (found.role !== 'GUEST') throw notFound('That guest');
      const guest = visibleRow('users', ctx.identity.role, found);
      const { upcoming, past } = staysOf(ctx, id);
      const stayed = [...upcoming, ...past].filter((s) => !NOT_STAYED.includes(s.status)).length;
      return { guest, upcoming, past, stayCount: stayed, repeatGuest: stayed >= 2, totalSpent: spentBy(ctx, id) };
    },
  }),
};

/** The guest's stays the caller may see: upcoming soonest first, past latest first. */
function staysOf(ctx: OperationContext, guestId: string): { upcoming: GuestStay[]; past: GuestStay[] } {
  const rows = ctx.db
    .select({
      id: reservations.id,
      propertyId: reservations.propertyId,
      propertyName: properties.name,
      timeZone: locations.timeZone,
      checkIn: reservations.checkIn,
      checkOut: reservations.checkOut,
      guests: reservations.guests,
      status: reservations.status,
      totalMinor: reservations.totalMinor,
      currency: reservations.currency,
    })
    .from(reservations)
    .innerJoin(properties, eq(properties.id, reservations.propertyId))
    .innerJoin(locations, eq(locations.id, properties.locationId))
    .where(and(eq(reservations.guestId, guestId), ctx.scope('reservations')))
    .orderBy(asc(reservations.checkIn), asc(reservations.id))
    .all();
  const now = ctx.now();
  // "Today" is the property's own day: a stay ends at check-out in its time zone.
  const todays = new Map<string, string>();
  const todayAt = (timeZone: string) => {
    if (!todays.has(timeZone)) todays.set(timeZone, todayIn(timeZone, now));
    return todays.get(timeZone)!;
  };
  const upcoming: GuestStay[] = [];
  const past: GuestStay[] = [];
  for (const { timeZone, ...row } of rows) {
    const stay = { ...row, nights: nightsBetween(row.checkIn, row.checkOut) };
    if (COMING.includes(row.status) && row.checkOut > todayAt(timeZone)) upcoming.push(stay);
    else past.push(stay);
  }
  return { upcoming, past: past.reverse() };
}

/**
 * What the guest has paid for their stays, per currency, in minor units: completed guest
 * payments less completed refunds. Reversals are entries of the same type with the opposite
 * sign, so they cancel what they reverse.
 */
function spentBy(ctx: OperationContext, guestId: string): { currency: string; amountMinor: number }[] {
  const amount = sql<number>`sum(CASE WHEN ${ledgerEntries.type} = 'REFUND' THEN -${ledgerEntries.amountMinor} ELSE ${ledgerEntries.amountMinor} END)`;
  return ctx.db
    .select({ currency: ledgerEntries.currency, amountMinor: amount })
    .from(ledgerEntries)
    .innerJoin(reservations, eq(reservations.id, ledgerEntries.reservationId))
    .where(
      and(
        eq(reservations.guestId, guestId),
        eq(ledgerEntries.status, 'COMPLETED'),
        inArray(ledgerEntries.type, ['GUEST_PAYMENT', 'REFUND']),
        ctx.scope('ledger_entries'),
      ),
    )
    .groupBy(ledgerEntries.currency)
    .orderBy(asc(ledgerEntries.currency))
    .all()
    .map((row) => ({ currency: row.currency, amountMinor: Number(row.amountMinor) }));
}
