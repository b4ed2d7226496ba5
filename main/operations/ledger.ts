// The ledger: entries are recorded, never edited. Refunds reference the payment they return;
// a reversal is a new entry with negated amounts that references the one it undoes.
import { and, count, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { ledgerEntryCreate } from '../../db/contracts/entities.js';
import { calendarDate, enumOf, id, text } from '../../db/contracts/fields.js';
import { LEDGER_ENTRY_TYPES } from '../../db/domain/enums.js';
import { moneyWords, stayWords } from '../../db/rules/words.js';
import { ledgerEntries, properties, reservations, users } from '../../db/schema/sqlite.js';
import { invalid } from '../core/errors.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { afterCursor, encodeCursor, findInScope, pageSize } from '../core/queries.js';

const listInput = z.strictObject({
  reservationId: id().optional(),
  propertyId: id().optional(),
  userId: id().optional(),
  type: z.array(enumOf(LEDGER_ENTRY_TYPES)).optional(),
  from: calendarDate().optional(),
  to: calendarDate().optional(),
  limit: pageSize(),
  cursor: z.string().optional(),
});

/**
 * Where an entry belongs: its reservation, property and task, each within the caller's scope. A
 * refund belongs where its payment does. Whether they fit together (the reservation's property,
 * the booking's currency) is the rulebook's (db/rules/ledger.ts), checked as the entry is written.
 */
function placeEntry(ctx: OperationContext, input: z.infer<typeof ledgerEntryCreate>) {
  const payment = input.referenceEntryId
    ? findInScope(ctx, 'ledger_entries', input.referenceEntryId, 'That payment')
    : null;
  const reservationId = input.reservationId ?? payment?.reservationId ?? null;
  let propertyId = input.propertyId ?? payment?.propertyId ?? null;
  if (reservationId) propertyId ??= findInScope(ctx, 'reservations', reservationId, 'That reservation').propertyId;
  if (propertyId) findInScope(ctx, 'properties', propertyId, 'That property');
  if (input.taskId) propertyId ??= findInScope(ctx, 'tasks', input.taskId, 'That task').propertyId;
  // Scoped callers (agents) record only against what they look after.
  if (ctx.access === 'scoped' && !propertyId)
    throw invalid('propertyId', 'is required: give the property or reservation the entry is for');
  return { reservationId, propertyId };
}

type Entry = typeof ledgerEntries.$inferSelect;

const TYPE_WORDS: Record<Entry['type'], string> = {
  GUEST_PAYMENT: 'guest payment',
  OWNER_PAYOUT: 'owner payout',
  REFUND: 'refund',
  TASK_COST: 'task cost',
  AGENCY_FEE: 'agency fee',
  PLATFORM_FEE: 'platform fee',
  MAINTENANCE_COST: 'maintenance cost',
  CLEANING_COST: 'cleaning cost',
  MARKETING_COST: 'marketing cost',
};

/** What an entry is, in words: "guest payment of €480.00 from Ana Ribeiro, Alfama Loft 12–16 March 2027". */
function entryWords(ctx: OperationContext, entry: Entry): string {
  const person = ctx.db
    .select({ name: sql<string>`${users.firstName} || ' ' || ${users.lastName}` })
    .from(users)
    .where(eq(users.id, entry.userId))
    .get()?.name;
  const property = entry.propertyId
    ? ctx.db.select({ name: properties.name }).from(properties).where(eq(properties.id, entry.propertyId)).get()?.name
    : undefined;
  const stay = entry.reservationId
    ? ctx.db
        .select({ checkIn: reservations.checkIn, checkOut: reservations.checkOut })
        .from(reservations)
        .where(eq(reservations.id, entry.reservationId))
        .get()
    : undefined;
  const direction = entry.type === 'GUEST_PAYMENT' ? 'from' : entry.type.endsWith('_FEE') ? 'with' : 'to';
  const where = [property, stay ? stayWords(stay.checkIn, stay.checkOut) : undefined].filter(Boolean).join(' ');
  return (
    `${TYPE_WORDS[entry.type]} of ${moneyWords(entry.amountMinor, entry.currency)}` +
    (person ? ` ${direction} ${person}` : '') +
    (where ? `, ${where}` : '')
  );
}

const reversals = alias(ledgerEntries, 'reversal');
const referenced = alias(ledgerEntries, 'referenced');

export const ledgerOperations = {
  'ledger/list': defineOperation({
    input: listInput,
    run: (ctx, input) => {
      const filters = [
        ctx.scope('ledger_entries'),
        input.reservationId ? eq(ledgerEntries.reservationId, input.reservationId) : undefined,
        input.propertyId ? eq(ledgerEntries.propertyId, input.propertyId) : undefined,
        input.userId ? eq(ledgerEntries.userId, input.userId) : undefined,
        input.type ? inArray(ledgerEntries.type, input.type) : undefined,
        input.from ? gte(ledgerEntries.createdAt, input.from) : undefined,
        input.to ? lt(ledgerEntries.createdAt, input.to) : undefined,
      ];
      const rows = ctx.db
        .select({
          entry: ledgerEntries,
          personName: sql<string | null>`${users.firstName} || ' ' || ${users.lastName}`,
          propertyName: properties.name,
          guestName: reservations.guestName,
          checkIn: reservations.checkIn,
          checkOut: reservations.checkOut,
          reversedAt: reversals.createdAt,
          reversedBecause: reversals.notes,
          originalType: referenced.type,
          originalAmountMinor: referenced.amountMinor,
          originalAt: referenced.createdAt,
        })
        .from(ledgerEntries)
        .leftJoin(users, eq(users.id, ledgerEntries.userId))
        .leftJoin(properties, eq(properties.id, ledgerEntries.propertyId))
        .leftJoin(reservations, eq(reservations.id, ledgerEntries.reservationId))
        // An entry is reversed by at most one negative entry that references it (the rulebook's ledger.reversed-once).
        .leftJoin(reversals, and(eq(reversals.referenceEntryId, ledgerEntries.id), lt(reversals.amountMinor, 0)))
        .leftJoin(referenced, eq(referenced.id, ledgerEntries.referenceEntryId))
        .where(and(...filters, afterCursor(input.cursor, ledgerEntries.createdAt, ledgerEntries.id, 'desc')))
        .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
        .limit(input.limit + 1)
        .all();
      const page = rows.slice(0, input.limit);
      const last = page.at(-1)?.entry;
      return {
        items: page.map((row) => ({
          ...row.entry,
          /** Who the money is with, and where: names, never ids. */
          personName: row.personName,
          propertyName: row.propertyName,
          stay:
            row.checkIn && row.checkOut
              ? { guestName: row.guestName, checkIn: row.checkIn, checkOut: row.checkOut }
              : null,
          /** Set on an entry that was reversed: when, and the reason given. */
          reversed: row.reversedAt ? { at: row.reversedAt, reason: row.reversedBecause } : null,
          /** Set on a reversal or a refund: the entry it undoes or returns. */
          refersTo:
            row.originalType && row.originalAmountMinor !== null && row.originalAt
              ? { type: row.originalType, amountMinor: row.originalAmountMinor, at: row.originalAt }
              : null,
        })),
        nextCursor: rows.length > input.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
        total:
          ctx.db
            .select({ n: count() })
            .from(ledgerEntries)
            .where(and(...filters))
            .get()?.n ?? 0,
      };
    },
  }),

  'ledger/record': defineOperation({
    input: ledgerEntryCreate,
    run: (ctx, input) => {
      const { reservationId, propertyId } = placeEntry(ctx, input);
      return ctx.change((w) =>
        w.insert('ledger_entries', {
          ...input,
          reservationId,
          propertyId,
          platformFeeMinor: input.platformFeeMinor ?? 0,
          transactionFeeMinor: input.transactionFeeMinor ?? 0,
          processedAt: input.processedAt ?? (input.status === undefined || input.status === 'COMPLETED' ? w.now : null),
        }),
      );
    },
  }),

  'ledger/reverse': defineOperation({
    input: z.strictObject({ id: id(), reason: text(500) }),
    run: (ctx, { id, reason }) => {
      // Only completed entries, once, exactly: the rulebook checks the reversal as it is written.
      const original = findInScope(ctx, 'ledger_entries', id, 'That ledger entry');
      return ctx.change((w) =>
        w.insert('ledger_entries', {
          userId: original.userId,
          propertyId: original.propertyId,
          reservationId: original.reservationId,
          taskId: original.taskId,
          referenceEntryId: original.id,
          type: original.type,
          category: original.category,
          amountMinor: -original.amountMinor,
          currency: original.currency,
          description: `Reversal of the ${entryWords(ctx, original)}`.slice(0, 500),
          platformFeeMinor: -original.platformFeeMinor,
          transactionFeeMinor: -original.transactionFeeMinor,
          netAmountMinor: -original.netAmountMinor,
          status: 'COMPLETED',
          processedAt: w.now,
          notes: reason,
        }),
      );
    },
  }),
};
