// Finance reports: the cash-basis summary, where the money went, and occupancy KPIs. Read-only;
// every figure is per currency and limited to the caller's row scope (an agent's never include
// owner payouts). The formulas are in docs/finance.md; the queries in main/finance/.
import { z } from 'zod';
import { calendarDate, enumOf, id } from '../../db/contracts/fields.js';
import { isCalendarDate } from '../../db/domain/dates.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { incomeDistribution } from '../finance/distribution.js';
import { financeKpis, KPI_GROUPS } from '../finance/kpis.js';
import { latestEnd, MAX_PERIOD_YEARS, type FinanceScopes } from '../finance/period.js';
import { financeSummary } from '../finance/summary.js';

const filterFields = {
  from: calendarDate(),
  to: calendarDate(),
  propertyId: id().optional(),
  locationId: id().optional(),
  ownerId: id().optional(),
};

/** The period [from, to): `to` is exclusive, after `from`, and at most three years on. */
function checkPeriod(value: { from: string; to: string }, ctx: z.RefinementCtx): void {
  // Also runs when a date failed its own check: then there is nothing to compare.
  if (!isCalendarDate(value.from) || !isCalendarDate(value.to)) return;
  if (value.to <= value.from) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: 'must be after from (it is the first day after the period)',
    });
  } else if (value.to > latestEnd(value.from)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_PERIOD_YEARS} years after from` });
  }
}

export const financeFiltersInput = z.strictObject(filterFields).superRefine(checkPeriod);
export const financeKpisInput = z
  .strictObject({ ...filterFields, groupBy: enumOf(KPI_GROUPS).default('all') })
  .superRefine(checkPeriod);

function scopesOf(ctx: OperationContext): FinanceScopes {
  return {
    properties: ctx.scope('properties'),
    reservations: ctx.scope('reservations'),
    ledgerEntries: ctx.scope('ledger_entries'),
  };
}

export const financeOperations = {
  'finance/summary': defineOperation({
    input: financeFiltersInput,
    run: (ctx, input) => financeSummary(ctx.db, input, scopesOf(ctx)),
  }),

  'finance/income-distribution': defineOperation({
    input: financeFiltersInput,
    run: (ctx, input) => incomeDistribution(ctx.db, input, scopesOf(ctx)),
  }),

  'finance/kpis': defineOperation({
    input: financeKpisInput,
    run: (ctx, { groupBy, ...filters }) => financeKpis(ctx.db, filters, scopesOf(ctx), groupBy),
  }),
};
