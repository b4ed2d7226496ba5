// The cash-basis summary: money in and out by the ledger entries' dates, per currency and
// month; never a sum across currencies. Definitions: docs/finance.md.
import type { LocalDb } from '../../db/local-database.js';
import { COST_TYPES, ledgerCells, outstandingByCurrency, type LedgerCell } from './ledger.js';
import { monthsOf, type FinanceFilters, type FinanceScopes } from './period.js';

export interface MonthFigures {
  month: string;
  revenueMinor: number;
  feesMinor: number;
  costsMinor: number;
  netMinor: number;
}

export interface CurrencySummary {
  currency: string;
  revenueMinor: number;
  refundsMinor: number;
  feesMinor: number;
  costsMinor: number;
  netMinor: number;
  outstandingMinor: number;
  byMonth: MonthFigures[];
}

export interface FinanceSummary {
  from: string;
  to: string;
  currencies: CurrencySummary[];
}

interface Sums {
  revenueMinor: number;
  refundsMinor: number;
  feesMinor: number;
  costsMinor: number;
}

const zero = (): Sums => ({ revenueMinor: 0, refundsMinor: 0, feesMinor: 0, costsMinor: 0 });

/** Adds one cell: payments (reversals are negative payments) less refunds, every fee, the costs. */
function add(sums: Sums, cell: LedgerCell): void {
  if (cell.type === 'GUEST_PAYMENT') sums.revenueMinor += cell.amountMinor;
  else if (cell.type === 'REFUND') {
    sums.revenueMinor -= cell.amountMinor;
    sums.refundsMinor += cell.amountMinor;
  } else if (cell.type === 'PLATFORM_FEE') sums.feesMinor += cell.amountMinor;
  else if (COST_TYPES.includes(cell.type)) sums.costsMinor += cell.amountMinor;
  sums.feesMinor += cell.platformFeeMinor + cell.transactionFeeMinor;
}

const net = (s: Sums) => s.revenueMinor - s.feesMinor - s.costsMinor;

export function financeSummary(db: LocalDb, filters: FinanceFilters, scopes: FinanceScopes): FinanceSummary {
  const months = monthsOf(filters.from, filters.to).map((m) => m.month);
  const outstanding = outstandingByCurrency(db, filters, scopes);
  const byCurrency = new Map<string, { total: Sums; months: Map<string, Sums> }>();
  const entry = (currency: string) => {
    let found = byCurrency.get(currency);
    if (!found) {
      found = { total: zero(), months: new Map(months.map((m) => [m, zero()])) };
      byCurrency.set(currency, found);
    }
    return found;
  };

  for (const cell of ledgerCells(db, filters, scopes)) {
    const { total, months: perMonth } = entry(cell.currency);
    add(total, cell);
    const month = perMonth.get(cell.month);
    if (month) add(month, cell);
  }
  for (const currency of outstanding.keys()) entry(currency);

  const currencies = [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, { total, months: perMonth }]) => ({
      currency,
      ...total,
      netMinor: net(total),
      outstandingMinor: outstanding.get(currency) ?? 0,
      byMonth: [...perMonth.entries()].map(([month, s]) => ({
        month,
        revenueMinor: s.revenueMinor,
        feesMinor: s.feesMinor,
        costsMinor: s.costsMinor,
        netMinor: net(s),
      })),
    }));
  return { from: filters.from, to: filters.to, currencies };
}
