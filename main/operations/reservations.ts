// Reservations: a guest's stay at a property, its life cycle, and what it owes. The rules a stay
// must keep (guest, capacity, currency, no overlap, the life cycle) are the rulebook's
// (db/rules/reservations.ts), run by every write; what is here is what a change also does:
// the tasks that follow a stay's dates, the turnover clean, the tasks of a stay that will not happen.
import { and, asc, count, desc, eq, gt, inArray, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { expectedValues, reservationCreate, reservationUpdate } from '../../db/contracts/entities.js';
import {
  calendarDate,
  enumOf,
  id,
  optionalText,
  RANGE_IN_ORDER,
  rangeInOrder,
  text,
} from '../../db/contracts/fields.js';
import { nightsBetween, shiftDays, todayIn, zonedInstant } from '../../db/domain/dates.js';
import { INACTIVE_RESERVATION_STATUSES, RESERVATION_STATUSES, type TaskType } from '../../db/domain/enums.js';
import { isReservationUndo } from '../../db/domain/reservation-states.js';
import { reservationBalance, type ReservationBalance } from '../../db/domain/reservation-balance.js';
import { OPEN_TASK_STATUSES } from '../../db/domain/task-states.js';
import { HIDDEN_COLUMNS } from '../../db/policy/access.js';
import { ruleParams, rowRefusal } from '../../db/rules/index.js';
import { reservationRowRules } from '../../db/rules/reservations.js';
import { statusWords } from '../../db/rules/words.js';
import { ledgerEntries, locations, properties, reservations, tasks } from '../../db/schema/sqlite.js';
import type { ChangeWriter } from '../core/changes.js';
import { invalid } from '../core/errors.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { afterCursor, encodeCursor, findInScope, likePattern, pageSize } from '../core/queries.js';
import { visibleRow } from '../core/visibility.js';

type Reservation = typeof reservations.$inferSelect;
type Property = typeof properties.$inferSelect;

// ---- rules shared by create and update ----

function propertyOf(ctx: OperationContext, propertyId: string): Property {
  return ctx.db.select().from(properties).where(eq(properties.id, propertyId)).get()!;
}

function timeZoneOf(ctx: OperationContext, property: Property): string {
  const location = ctx.db
    .select({ timeZone: locations.timeZone })
    .from(locations)
    .where(eq(locations.id, property.locationId))
    .get();
  return location?.timeZone ?? 'UTC';
}

// ---- what a change to a reservation does to its tasks ----

// Tasks that happen at the end of the stay follow the check-out; all others (check-in, welcome
// meeting, deliveries) follow the check-in.
const FOLLOWS_CHECK_OUT: readonly TaskType[] = ['CLEANING', 'CHECK_OUT'];
// Only tasks nobody has started move: one in progress is being done now, whatever the dates say.
const MOVABLE_TASK_STATUSES = ['PENDING', 'ON_HOLD'] as const;

function moveTasks(
  ctx: OperationContext,
  w: ChangeWriter,
  reservationId: string,
  delta: { checkIn: number; checkOut: number },
  timeZone: string,
): void {
  const open = ctx.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.reservationId, reservationId), inArray(tasks.status, [...MOVABLE_TASK_STATUSES])))
    .all();
  for (const task of open) {
    const days = FOLLOWS_CHECK_OUT.includes(task.type) ? delta.checkOut : delta.checkIn;
    if (days === 0) continue;
    const patch: { scheduledAt?: string; dueAt?: string } = {};
    if (task.scheduledAt) patch.scheduledAt = shiftDays(task.scheduledAt, days, timeZone);
    if (task.dueAt) patch.dueAt = shiftDays(task.dueAt, days, timeZone);
    if (Object.keys(patch).length > 0) w.update('tasks', task.id, patch);
  }
}

/** The house's usual check-out hour: the turnover clean is planned for it. */
const TURNOVER_TIME = '11:00';

function scheduleTurnover(ctx: OperationContext, w: ChangeWriter, reservation: Reservation): void {
  const existing = ctx.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.reservationId, reservation.id), eq(tasks.type, 'CLEANING'), ne(tasks.status, 'CANCELLED')))
    .get();
  if (existing) return;
  const property = propertyOf(ctx, reservation.propertyId);
  // Planned on the booked check-out day even if the guest left early: the next guest cannot
  // arrive before it, and the cleaner's rota is built around it.
  w.insert('tasks', {
    propertyId: property.id,
    reservationId: reservation.id,
    type: 'CLEANING',
    title: `Turnover clean after ${reservation.guestName}`,
    status: 'PENDING',
    priority: 'MEDIUM',
    scheduledAt: zonedInstant(reservation.checkOut, TURNOVER_TIME, timeZoneOf(ctx, property)),
  });
}

/** A check-out undone: the turnover clean it planned is cancelled, unless someone has started it. */
function cancelTurnover(ctx: OperationContext, w: ChangeWriter, reservationId: string): void {
  const planned = ctx.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(
      and(
        eq(tasks.reservationId, reservationId),
        eq(tasks.type, 'CLEANING'),
        inArray(tasks.status, [...MOVABLE_TASK_STATUSES]),
      ),
    )
    .all();
  for (const task of planned) w.update('tasks', task.id, { status: 'CANCELLED' });
}

function cancelOpenTasks(ctx: OperationContext, w: ChangeWriter, reservationId: string): void {
  const open = ctx.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.reservationId, reservationId), inArray(tasks.status, [...OPEN_TASK_STATUSES])))
    .all();
  for (const task of open) w.update('tasks', task.id, { status: 'CANCELLED' });
}

function balanceOf(ctx: OperationContext, reservation: Reservation): ReservationBalance {
  const entries = ctx.db
    .select({ type: ledgerEntries.type, amountMinor: ledgerEntries.amountMinor, status: ledgerEntries.status })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.reservationId, reservation.id))
    .all();
  const timeZone = timeZoneOf(ctx, propertyOf(ctx, reservation.propertyId));
  return reservationBalance(reservation.totalMinor, entries, {
    checkIn: reservation.checkIn,
    today: todayIn(timeZone, ctx.now()),
  });
}

// ---- inputs ----

const byId = z.strictObject({ id: id() });

const listInput = z
  .strictObject({
    propertyId: id().optional(),
    guestId: id().optional(),
    /** Stays overlapping [from, to), as calendar dates. */
    from: calendarDate().optional(),
    to: calendarDate().optional(),
    status: z
      .array(enumOf(RESERVATION_STATUSES), { error: 'must be a list of statuses' })
      .min(1, 'must name at least one status')
      .optional(),
    source: text(40).optional(),
    search: text(200).optional(),
    order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
    limit: pageSize(),
    cursor: z.string({ error: 'must be a cursor from a previous page' }).optional(),
  })
  .refine(rangeInOrder, RANGE_IN_ORDER)
  .prefault({});

const checkDatesInput = z
  .strictObject({
    propertyId: id(),
    checkIn: calendarDate(),
    checkOut: calendarDate(),
    /** The stay being changed, which does not clash with itself. */
    reservationId: id().optional(),
  })
  .refine((v) => v.checkOut > v.checkIn, { error: 'must be after the check-in date', path: ['checkOut'] });

/**
 * Whether a property is free for these nights, in the rulebook's words, and what they cost at its
 * nightly rate: what the booking form shows before anything is booked. The rulebook still decides
 * when the stay is written.
 */
function checkDates(ctx: OperationContext, input: z.infer<typeof checkDatesInput>) {
  const property = findInScope(ctx, 'properties', input.propertyId, 'Property');
  const nights = nightsBetween(input.checkIn, input.checkOut);
  const clash = ctx.db
    .select({
      guestName: reservations.guestName,
      checkIn: reservations.checkIn,
      checkOut: reservations.checkOut,
      status: reservations.status,
    })
    .from(reservations)
    .where(
      and(
        eq(reservations.propertyId, property.id),
        input.reservationId ? ne(reservations.id, input.reservationId) : undefined,
        notInArray(reservations.status, [...INACTIVE_RESERVATION_STATUSES]),
        lt(reservations.checkIn, input.checkOut),
        gt(reservations.checkOut, input.checkIn),
      ),
    )
    .orderBy(asc(reservations.checkIn))
    .get();
  const problems: string[] = [];
  if (clash) {
    const overlap = reservationRowRules.find((rule) => rule.id === 'reservations.no-overlap')!;
    const facts = {
      property: property.name,
      guest_name: clash.guestName,
      check_in: clash.checkIn,
      check_out: clash.checkOut,
      status: clash.status,
    };
    problems.push(rowRefusal(overlap, facts, {}).sentence);
  }
  const tooFar =
    input.checkOut > ruleParams({ id: ctx.identity.userId, role: ctx.identity.role }, ctx.now()).latest_stay;
  if (tooFar) {
    const horizon = reservationRowRules.find((rule) => rule.id === 'reservations.within-horizon')!;
    problems.push(rowRefusal(horizon, {}, {}).sentence);
  }
  return {
    free: problems.length === 0,
    /** Why these dates cannot be booked, as sentences; empty when they can. */
    problems,
    nights,
    currency: property.currency,
    pricePerNightMinor: property.pricePerNightMinor,
    totalMinor: property.pricePerNightMinor * nights,
  };
}

// ---- the operations ----

export const reservationOperations = {
  'reservations/list': defineOperation({
    input: listInput,
    run: (ctx, input) => {
      const role = ctx.identity.role;
      const searchable = [reservations.guestName, reservations.guestEmail].filter(
        // Nobody may find a booking by a column they are not allowed to see.
        (column) => !(HIDDEN_COLUMNS.reservations?.[role] ?? []).includes(column.name),
      );
      const pattern = input.search === undefined ? undefined : likePattern(input.search);
      const filters = [
        ctx.scope('reservations'),
        input.propertyId ? eq(reservations.propertyId, input.propertyId) : undefined,
        input.guestId ? eq(reservations.guestId, input.guestId) : undefined,
        input.from ? gt(reservations.checkOut, input.from) : undefined,
        input.to ? lt(reservations.checkIn, input.to) : undefined,
        input.status ? inArray(reservations.status, input.status) : undefined,
        input.source ? eq(reservations.source, input.source) : undefined,
        pattern ? or(...searchable.map((column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`)) : undefined,
      ];
      const conditions = [...filters, afterCursor(input.cursor, reservations.checkIn, reservations.id, input.order)];
      const direction = input.order === 'desc' ? desc : asc;
      const rows = ctx.db
        .select({ reservation: reservations, propertyName: properties.name })
        .from(reservations)
        .innerJoin(properties, eq(properties.id, reservations.propertyId))
        .where(and(...conditions))
        .orderBy(direction(reservations.checkIn), direction(reservations.id))
        .limit(input.limit + 1)
        .all();
      const page = rows.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: page.map(({ reservation, propertyName }) => ({
          ...visibleRow('reservations', role, reservation),
          propertyName,
        })),
        nextCursor:
          rows.length > input.limit && last ? encodeCursor([last.reservation.checkIn, last.reservation.id]) : null,
        // Every list says how many there are in all, for these filters.
        total:
          ctx.db
            .select({ n: count() })
            .from(reservations)
            .where(and(...filters))
            .get()?.n ?? 0,
      };
    },
  }),

  'reservations/get': defineOperation({
    input: byId,
    run: (ctx, input) => {
      const reservation = findInScope(ctx, 'reservations', input.id, 'Reservation');
      const property = propertyOf(ctx, reservation.propertyId);
      const timeZone = timeZoneOf(ctx, property);
      return {
        ...visibleRow('reservations', ctx.identity.role, reservation),
        propertyName: property.name,
        balance: balanceOf(ctx, reservation),
        /** Today where the property is: an arrival day is the property's, not the office's. */
        today: todayIn(timeZone, ctx.now()),
        timeZone,
      };
    },
  }),

  'reservations/balance': defineOperation({
    input: byId,
    run: (ctx, input) => balanceOf(ctx, findInScope(ctx, 'reservations', input.id, 'Reservation')),
  }),

  'reservations/check-dates': defineOperation({
    input: checkDatesInput,
    run: (ctx, input) => checkDates(ctx, input),
  }),

  'reservations/create': defineOperation({
    input: reservationCreate,
    run: (ctx, input) =>
      // The rulebook (db/rules/reservations.ts) runs inside the transaction, so two windows cannot
      // both take the same nights.
      ctx.change((w) => {
        const property = findInScope(ctx, 'properties', input.propertyId, 'Property');
        const row = w.insert('reservations', {
          ...input,
          status: input.status ?? 'PENDING',
          // Explicit null means "no agent"; left out, the property's agent handles the stay.
          agentId: input.agentId === undefined ? property.agentId : input.agentId,
        });
        return visibleRow('reservations', ctx.identity.role, row);
      }),
  }),

  'reservations/update': defineOperation({
    input: z.strictObject({ id: id(), changes: reservationUpdate, expected: expectedValues.optional() }),
    run: (ctx, { id: reservationId, changes, expected }) =>
      ctx.change((w) => {
        const current = findInScope(ctx, 'reservations', reservationId, 'Reservation');
        const property = propertyOf(ctx, current.propertyId);
        const dates = { checkIn: changes.checkIn ?? current.checkIn, checkOut: changes.checkOut ?? current.checkOut };
        const datesMove = dates.checkIn !== current.checkIn || dates.checkOut !== current.checkOut;
        const row = w.update('reservations', current.id, changes, expected);
        if (datesMove) {
          const delta = {
            checkIn: nightsBetween(current.checkIn, dates.checkIn),
            checkOut: nightsBetween(current.checkOut, dates.checkOut),
          };
          moveTasks(ctx, w, current.id, delta, timeZoneOf(ctx, property));
        }
        return visibleRow('reservations', ctx.identity.role, row);
      }),
  }),

  'reservations/set-status': defineOperation({
    input: z.strictObject({ id: id(), status: enumOf(RESERVATION_STATUSES), reason: optionalText(500) }),
    run: (ctx, input) =>
      ctx.change((w) => {
        const current = findInScope(ctx, 'reservations', input.id, 'Reservation');
        // Undoing a check-in or check-out is allowed by the life cycle, but only with a reason on record.
        const undo = isReservationUndo(current.status, input.status);
        if (undo && !input.reason)
          throw invalid(
            'reason',
            `is required to take a stay that is ${statusWords(current.status)} back to ${statusWords(input.status)}: say what went wrong`,
          );
        const row = w.update('reservations', current.id, { status: input.status });
        if (input.reason) {
          w.audit({
            action: undo ? 'reservations.status-undone' : 'reservations.status-reason',
            entityType: 'reservations',
            entityId: current.id,
            after: { from: current.status, to: input.status, reason: input.reason },
          });
        }
        if (undo && current.status === 'CHECKED_OUT') cancelTurnover(ctx, w, current.id);
        if (input.status === 'CHECKED_OUT') scheduleTurnover(ctx, w, row);
        // A stay that will not happen needs no check-in or cleaning: its open tasks are cancelled.
        if (input.status === 'CANCELLED' || input.status === 'NO_SHOW') cancelOpenTasks(ctx, w, current.id);
        return visibleRow('reservations', ctx.identity.role, row);
      }),
  }),
};
