// Where the period's money went, per currency: the owners' share, the agency's fees, the
// channels' and payment providers' fees, and costs. Definitions: docs/finance.md.
import type { LocalDb } from '../../db/local-database.js';
import { COST_TYPES, ledgerCells } from './ledger.js';
import type { FinanceFilters, FinanceScopes } from './period.js';

export interface CurrencyDistribution {
  currency: string;
  ownerShareMinor: number;
  agencyFeesMinor: number;
  platformFeesMinor: number;
  paymentFeesMinor: number;
  costsMinor: number;
}

export interface IncomeDistribution {
  from: string;
  to: string;
  currencies: CurrencyDistribution[];
}

export function incomeDistribution(db: LocalDb, filters: FinanceFilters, scopes: FinanceScopes): IncomeDistribution {
  const byCurrency = new Map<string, CurrencyDistribution>();
  for (const cell of ledgerCells(db, filters, scopes)) {
    let row = byCurrency.get(cell.currency);
    if (!row) {
      row = {
        currency: cell.currency,
        ownerShareMinor: 0,
        agencyFeesMinor: 0,
        platformFeesMinor: 0,
        paymentFeesMinor: 0,
        costsMinor: 0,
      };
      byCurrency.set(cell.currency, row);
    }
    if (cell.type === 'OWNER_PAYOUT') row.ownerShareMinor += cell.amountMinor;
    else if (cell.type === 'AGENCY_FEE') row.agencyFeesMinor += cell.amountMinor;
    else if (cell.type === 'PLATFORM_FEE') row.platformFeesMinor += cell.amountMinor;
    else if (COST_TYPES.includes(cell.type)) row.costsMinor += cell.amountMinor;
    row.platformFeesMinor += cell.platformFeeMinor;
    row.paymentFeesMinor += cell.transactionFeeMinor;
  }
  return {
    from: filters.from,
    to: filters.to,
    currencies: [...byCurrency.values()].sort((a, b) =>
      a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0,
    ),
  };
}
