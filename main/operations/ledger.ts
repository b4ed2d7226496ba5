// The ledger: entries are recorded, never edited. Refunds reference the payment they return;
// a reversal is a new entry with negated amounts that references the one it undoes.
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ledgerEntryCreate } from '../../db/contracts/entities.js';
import { calendarDate, enumOf, id, text } from '../../db/contracts/fields.js';
import { LEDGER_ENTRY_TYPES } from '../../db/domain/enums.js';
import { ledgerEntries, users } from '../../db/schema/sqlite.js';
import { conflict, forbidden, invalid } from '../core/errors.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { afterCursor, encodeCursor, findInScope, pageSize, scalar } from '../core/queries.js';

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

/** Where an entry belongs: its reservation and property, both within the caller's scope, in their currency. */
/**
 * Where an entry belongs: its reservation, property and task, all within the caller's scope and
 * consistent with each other, in the booking's currency. A refund belongs where its payment does.
 */
function placeEntry(ctx: OperationContext, input: z.infer<typeof ledgerEntryCreate>, payment: Entry | null) {
  let reservationId = input.reservationId ?? payment?.reservationId ?? null;
  let propertyId = input.propertyId ?? payment?.propertyId ?? null;
  let currency: string | null = payment?.currency ?? null;
  if (payment && input.reservationId && input.reservationId !== payment.reservationId) {
    throw invalid('reservationId', 'must be the reservation of the payment being refunded');
  }
  if (reservationId) {
    const reservation = findInScope(ctx, 'reservations', reservationId, 'That reservation');
    if (propertyId && propertyId !== reservation.propertyId)
      throw invalid('propertyId', 'must be the property of the reservation');
    propertyId = reservation.propertyId;
    currency ??= reservation.currency;
  }
  if (propertyId) currency ??= findInScope(ctx, 'properties', propertyId, 'That property').currency;
  // Scoped callers (agents) record only against what they look after.
  if (ctx.access === 'scoped' && !propertyId)
    throw invalid('propertyId', 'is required: give the property or reservation the entry is for');
  if (input.taskId) {
    const task = findInScope(ctx, 'tasks', input.taskId, 'That task');
    if (propertyId && task.propertyId !== propertyId) throw invalid('taskId', 'must be a task of the same property');
    propertyId ??= task.propertyId;
  }
  if (currency && input.currency !== currency)
    throw invalid('currency', `must be ${currency}, the currency of the booking`);
  if (!ctx.db.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).get()) {
    throw invalid('userId', 'must be the id of an existing user');
  }
  reservationId ??= null;
  return { reservationId, propertyId };
}

/** Completed refunds of a payment, net of the refunds that were themselves reversed. */
function refundedSoFar(ctx: OperationContext, paymentId: string): number {
  return scalar(
    ctx,
    sql`SELECT coalesce(sum(amount_minor), 0) FROM ${ledgerEntries}
        WHERE status = 'COMPLETED' AND type = 'REFUND'
          AND (reference_entry_id = ${paymentId}
            OR reference_entry_id IN (SELECT id FROM ${ledgerEntries} WHERE reference_entry_id = ${paymentId} AND type = 'REFUND'))`,
    0,
  );
}

function reversalOf(ctx: OperationContext, id: string) {
  return ctx.db
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.referenceEntryId, id), lt(ledgerEntries.amountMinor, 0)))
    .get();
}

/** The guest payment a refund returns money from, checked: completed, not reversed, in scope. */
function refundedPayment(ctx: OperationContext, input: z.infer<typeof ledgerEntryCreate>): Entry | null {
  if (!input.referenceEntryId) return null;
  if (input.type !== 'REFUND') {
    throw invalid('referenceEntryId', 'is only for refunds here; corrections are made by reversing the entry');
  }
  const payment = findInScope(ctx, 'ledger_entries', input.referenceEntryId, 'That payment');
  if (payment.type !== 'GUEST_PAYMENT' || payment.amountMinor <= 0)
    throw invalid('referenceEntryId', 'must be a guest payment');
  if (payment.status !== 'COMPLETED') throw invalid('referenceEntryId', 'must be a completed payment');
  if (reversalOf(ctx, payment.id)) throw invalid('referenceEntryId', 'was reversed: there is nothing left to refund');
  const left = payment.amountMinor - refundedSoFar(ctx, payment.id);
  if (input.amountMinor > left)
    throw invalid('amountMinor', `is more than the ${left} minor units of that payment not yet refunded`);
  return payment;
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
            afterCursor(input.cursor, ledgerEntries.createdAt, ledgerEntries.id, 'desc'),
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
      // Negative amounts and fees are written only by ledger/reverse.
      for (const field of ['amountMinor', 'platformFeeMinor', 'transactionFeeMinor'] as const) {
        if ((input[field] ?? 0) < 0) throw invalid(field, 'must not be negative: to undo an entry, reverse it');
      }
      const payment = refundedPayment(ctx, input);
      const { reservationId, propertyId } = placeEntry(ctx, input, payment);
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
      const original = findInScope(ctx, 'ledger_entries', id, 'That ledger entry');
      // Only completed entries count in balances; reversing anything else would invent money.
      if (original.status !== 'COMPLETED')
        throw conflict(`Only completed entries can be reversed; this one is ${original.status}.`);
      if (original.amountMinor < 0 && original.referenceEntryId)
        throw conflict('This entry is itself a reversal; record a new entry instead.');
      const reversed = reversalOf(ctx, id);
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
