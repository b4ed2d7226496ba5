// The ledger: entries are recorded, never edited. Refunds reference the payment they return;
// a reversal is a new entry with negated amounts that references the one it undoes.
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { ledgerEntryCreate } from '../../db/contracts/entities.js';
import { calendarDate, enumOf, id, text } from '../../db/contracts/fields.js';
import { LEDGER_ENTRY_TYPES } from '../../db/domain/enums.js';
import { ledgerEntries, users } from '../../db/schema/sqlite.js';
import { conflict, forbidden, invalid } from '../core/errors.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { decodeCursor, encodeCursor, findInScope, pageSize, scalar } from '../core/queries.js';

type Entry = typeof ledgerEntries.$inferSelect;

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

function afterCursor(cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const values = decodeCursor(cursor);
  if (!values || values.length !== 2 || values.some((v) => typeof v !== 'string')) {
    throw invalid('cursor', 'is not a cursor from a previous page');
  }
  const [createdAt, lastId] = values as [string, string];
  return or(
    lt(ledgerEntries.createdAt, createdAt),
    and(eq(ledgerEntries.createdAt, createdAt), lt(ledgerEntries.id, lastId)),
  );
}

/** Where an entry belongs: its reservation and property, both within the caller's scope, in their currency. */
function placeEntry(ctx: OperationContext, input: z.infer<typeof ledgerEntryCreate>) {
  let propertyId = input.propertyId ?? null;
  let currency: string | null = null;
  if (input.reservationId) {
    const reservation = findInScope(ctx, 'reservations', input.reservationId, 'That reservation');
    if (propertyId && propertyId !== reservation.propertyId)
      throw invalid('propertyId', 'must be the property of the reservation');
    propertyId = reservation.propertyId;
    currency = reservation.currency;
  }
  if (propertyId) currency ??= findInScope(ctx, 'properties', propertyId, 'That property').currency;
  if (currency && input.currency !== currency)
    throw invalid('currency', `must be ${currency}, the currency of the booking`);
  if (!ctx.db.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).get()) {
    throw invalid('userId', 'must be the id of an existing user');
  }
  return { propertyId };
}

function refundable(ctx: OperationContext, payment: Entry): number {
  const refunded = scalar(
    ctx,
    sql`SELECT sum(${ledgerEntries.amountMinor}) FROM ${ledgerEntries} WHERE ${ledgerEntries.referenceEntryId} = ${payment.id} AND ${ledgerEntries.type} = 'REFUND'`,
    0,
  );
  return payment.amountMinor - refunded;
}

export const ledgerOperations = {
  'ledger/list': defineOperation({
    input: listInput,
    run: (ctx, input) => {
      const rows = ctx.db
        .select()
        .from(ledgerEntries)
        .where(
          and(
            ctx.scope('ledger_entries'),
            input.reservationId ? eq(ledgerEntries.reservationId, input.reservationId) : undefined,
            input.propertyId ? eq(ledgerEntries.propertyId, input.propertyId) : undefined,
            input.userId ? eq(ledgerEntries.userId, input.userId) : undefined,
            input.type ? inArray(ledgerEntries.type, input.type) : undefined,
            input.from ? gte(ledgerEntries.createdAt, input.from) : undefined,
            input.to ? lt(ledgerEntries.createdAt, input.to) : undefined,
            afterCursor(input.cursor),
          ),
        )
        .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
        .limit(input.limit + 1)
        .all();
      const page = rows.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: page,
        nextCursor: rows.length > input.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
      };
    },
  }),

  'ledger/record': defineOperation({
    input: ledgerEntryCreate,
    run: (ctx, input) => {
      if (input.type === 'OWNER_PAYOUT' && ctx.identity.role === 'AGENT')
        throw forbidden('Agents do not record owner payouts.');
      if (input.amountMinor < 0) throw invalid('amountMinor', 'must not be negative: to undo an entry, reverse it');
      const { propertyId } = placeEntry(ctx, input);
      if (input.referenceEntryId) {
        if (input.type !== 'REFUND')
          throw invalid('referenceEntryId', 'is only for refunds here; corrections are made by reversing the entry');
        const payment = findInScope(ctx, 'ledger_entries', input.referenceEntryId, 'That payment');
        if (payment.type !== 'GUEST_PAYMENT' || payment.amountMinor < 0)
          throw invalid('referenceEntryId', 'must be a guest payment');
        if (payment.reservationId !== (input.reservationId ?? payment.reservationId))
          throw invalid('referenceEntryId', 'must be a payment of this reservation');
        const left = refundable(ctx, payment);
        if (input.amountMinor > left)
          throw invalid('amountMinor', `is more than the ${left} minor units of that payment not yet refunded`);
      }
      return ctx.change((w) =>
        w.insert('ledger_entries', {
          ...input,
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
      const original = findInScope(ctx, 'ledger_entries', id, 'That ledger entry');
      if (original.amountMinor < 0 && original.referenceEntryId)
        throw conflict('This entry is itself a reversal; record a new entry instead.');
      const reversed = ctx.db
        .select({ id: ledgerEntries.id })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.referenceEntryId, id), lt(ledgerEntries.amountMinor, 0)))
        .get();
      if (reversed) throw conflict(`This entry was already reversed by entry ${reversed.id}.`);
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
          description: `Reversal of ${original.id}`,
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
