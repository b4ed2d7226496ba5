// The period and filters every finance query takes, and the SQL conditions they become. Scope
// conditions come from the router (db/policy/access.ts) and refer to the tables by their own
// names, so the queries here never alias `properties`, `reservations` or `ledger_entries`.
import { and, sql, type SQL } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';

export interface FinanceFilters {
  /** First day of the period, YYYY-MM-DD. */
  from: string;
  /** Day after the last day of the period (exclusive). */
  to: string;
  propertyId?: string | undefined;
  locationId?: string | undefined;
  ownerId?: string | undefined;
}

/** The caller's row scope per table; undefined means every row. */
export interface FinanceScopes {
  properties?: SQL | undefined;
  reservations?: SQL | undefined;
  ledgerEntries?: SQL | undefined;
}

/** Reservations whose nights are sold: a pending request may still fall through, the others gave them up. */
export const BOOKED_STATUSES = ['CONFIRMED', 'CHECKED_IN', 'CHECKED_OUT'] as const;

/** Conditions on `properties` rows: the filters and the caller's property scope. */
export function propertyConditions(filters: FinanceFilters, scopes: FinanceScopes): SQL | undefined {
  return and(
    filters.propertyId === undefined ? undefined : sql`properties.id = ${filters.propertyId}`,
    filters.locationId === undefined ? undefined : sql`properties.location_id = ${filters.locationId}`,
    filters.ownerId === undefined ? undefined : sql`properties.owner_id = ${filters.ownerId}`,
    scopes.properties,
  );
}

/**
 * `column IN (the filtered, scoped properties)`, or undefined when every property counts. Rows
 * with no property (agency-wide costs) then count too, but never once a filter or scope applies.
 */
export function inPropertySet(column: SQL, filters: FinanceFilters, scopes: FinanceScopes): SQL | undefined {
  const conditions = propertyConditions(filters, scopes);
  return conditions && sql`${column} IN (SELECT properties.id FROM properties WHERE ${conditions})`;
}

/** Every calendar month the period touches, with the part of it inside the period: [starts, ends). */
export function monthsOf(from: string, to: string): { month: string; starts: string; ends: string }[] {
  const months: { month: string; starts: string; ends: string }[] = [];
  const end = Temporal.PlainDate.from(to);
  // Compared as dates, not text: the month after December 9999 has no YYYY-MM-DD form.
  for (let starts = Temporal.PlainDate.from(from); Temporal.PlainDate.compare(starts, end) < 0;) {
    const next = starts.with({ day: 1 }).add({ months: 1 });
    const ends = Temporal.PlainDate.compare(next, end) < 0 ? next : end;
    months.push({ month: starts.toPlainYearMonth().toString(), starts: starts.toString(), ends: ends.toString() });
    starts = ends;
  }
  return months;
}

export const MAX_PERIOD_YEARS = 3;

/**
 * The latest allowed end of a period starting on `from`: the same day three years on (1 March
 * for 29 February), and never past the last date the form YYYY-MM-DD can write.
 */
export function latestEnd(from: string): string {
  const start = Temporal.PlainDate.from(from);
  const later = start.add({ years: MAX_PERIOD_YEARS }); // 29 February becomes the 28th
  const end = later.day === start.day ? later : later.add({ days: 1 });
  return end.year > 9999 ? '9999-12-31' : end.toString();
}
