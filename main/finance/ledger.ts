// The ledger side of the finance reports: completed entries of the period, summed per currency,
// month and entry type (summary and income distribution are both sums of these cells), and the
// outstanding balances of the stays that arrive in the period.
import { and, sql } from 'drizzle-orm';
import { LEDGER_ENTRY_TYPES, type LedgerEntryType } from '../../db/domain/enums.js';
import type { LocalDb } from '../../db/local-database.js';
import { inPropertySet, monthsOf, propertyConditions, type FinanceFilters, type FinanceScopes } from './period.js';

export interface LedgerCell {
  currency: string;
  /** YYYY-MM of the entries' createdAt (UTC). */
  month: string;
  type: LedgerEntryType;
  entries: number;
  amountMinor: number;
  platformFeeMinor: number;
  transactionFeeMinor: number;
}

export const COST_TYPES: readonly LedgerEntryType[] = [
  'TASK_COST',
  'MAINTENANCE_COST',
  'CLEANING_COST',
  'MARKETING_COST',
];

/**
 * One cell per currency, month and type that has completed entries in the period.
 *
 * Shaped for speed at scale: a plain GROUP BY sorts every entry of the period, which costs far
 * more than reading them. Here the currencies (found with one index seek each), the types and
 * the months drive the loop, and each cell is one range of an index on (currency, type,
 * created_at, ...) that holds every column used, so nothing is sorted and no row is read.
 * That index is described in docs/finance.md ("Performance").
 */
export function ledgerCells(db: LocalDb, filters: FinanceFilters, scopes: FinanceScopes): LedgerCell[] {
  const months = monthsOf(filters.from, filters.to);
  const conditions = and(
    sql`ledger_entries.currency = currencies.code`,
    sql`ledger_entries.type = types.type`,
    sql`ledger_entries.created_at >= months.starts`,
    sql`ledger_entries.created_at < months.ends`,
    sql`ledger_entries.status = 'COMPLETED'`,
    inPropertySet(sql`ledger_entries.property_id`, filters, scopes),
    scopes.ledgerEntries,
  );
  const rows = db.all<{ currency: string; type: LedgerEntryType; month: string; totals: string }>(sql`
    WITH RECURSIVE
      next_currency(code) AS (
        SELECT MIN(currency) FROM ledger_entries
        UNION ALL
        SELECT (SELECT MIN(currency) FROM ledger_entries WHERE currency > next_currency.code)
        FROM next_currency WHERE next_currency.code IS NOT NULL
      ),
      currencies(code) AS MATERIALIZED (SELECT code FROM next_currency WHERE code IS NOT NULL),
      types(type) AS (VALUES ${sql.join(
        LEDGER_ENTRY_TYPES.map((type) => sql`(${type})`),
        sql`, `,
      )}),
      months(month, starts, ends) AS (VALUES ${sql.join(
        months.map((m) => sql`(${m.month}, ${m.starts}, ${m.ends})`),
        sql`, `,
      )})
    SELECT currencies.code AS currency, types.type AS type, months.month AS month, (
      SELECT json_array(count(*), sum(amount_minor), sum(platform_fee_minor), sum(transaction_fee_minor))
      FROM ledger_entries
      WHERE ${conditions}
    ) AS totals
    FROM currencies, types, months
  `);
  const cells: LedgerCell[] = [];
  for (const row of rows) {
    const [entries, amountMinor, platformFeeMinor, transactionFeeMinor] = JSON.parse(row.totals) as number[];
    if (!entries) continue;
    cells.push({
      currency: row.currency,
      month: row.month,
      type: row.type,
      entries,
      amountMinor: amountMinor ?? 0,
      platformFeeMinor: platformFeeMinor ?? 0,
      transactionFeeMinor: transactionFeeMinor ?? 0,
    });
  }
  return cells;
}

/**
 * Per currency: what the guests of active stays arriving in the period still owe, each stay's
 * total less its completed payments and refunds (of any date), never below zero. The same rule
 * as db/domain/reservation-balance.ts.
 */
export function outstandingByCurrency(
  db: LocalDb,
  filters: FinanceFilters,
  scopes: FinanceScopes,
): Map<string, number> {
  // What each stay's guests have paid, kept by the database as ledger entries arrive (see
  // reservation_payments in db/schema): one narrow row per stay instead of its entries. No
  // ledger scope is needed: a stay in the caller's scope has its payments in it too.
  const paid = sql`(SELECT reservation_payments.paid_minor FROM reservation_payments
    WHERE reservation_payments.reservation_id = reservations.id)`;
  // Property by property (CROSS JOIN keeps that order): each property's stays are one range
  // of its (property_id, check_in) index, so the work follows the period, not the table.
  const rows = db.all<{ currency: string; outstanding: number }>(sql`
    SELECT reservations.currency AS currency,
      coalesce(sum(MAX(reservations.total_minor - coalesce(${paid}, 0), 0)), 0) AS outstanding
    FROM properties CROSS JOIN reservations ON reservations.property_id = properties.id
    WHERE ${and(
      sql`reservations.check_in >= ${filters.from}`,
      sql`reservations.check_in < ${filters.to}`,
      sql`reservations.status NOT IN ('CANCELLED', 'NO_SHOW')`,
      propertyConditions(filters, scopes),
      scopes.reservations,
    )}
    GROUP BY reservations.currency
  `);
  return new Map(rows.map((r) => [r.currency, r.outstanding]));
}
