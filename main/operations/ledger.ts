// The ledger: entries are recorded, never edited. Refunds reference the payment they return;
// a reversal is a new entry with negated amounts that references the one it undoes.
import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { ledgerEntryCreate } from '../../db/contracts/entities.js';
import { calendarDate, enumOf, id, text } from '../../db/contracts/fields.js';
import { LEDGER_ENTRY_TYPES } from '../../db/domain/enums.js';
import { ledgerEntries } from '../../db/schema/sqlite.js';
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
