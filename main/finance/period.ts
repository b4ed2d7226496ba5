// The period and filters every finance query takes, and the SQL conditions they become. Scope
// conditions come from the router (db/policy/access.ts) and refer to the tables by their own
// names, so the queries here never alias `properties`, `reservations` or `ledger_entries`.
import { and, sql, type SQL } from 'drizzle-orm';
import { addDays, isCalendarDate } from '../../db/domain/dates.js';

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
  for (let starts = from; starts < to;) {
    const next = firstOfNextMonth(starts);
    const ends = next < to ? next : to;
    months.push({ month: starts.slice(0, 7), starts, ends });
    starts = ends;
  }
  return months;
}

function firstOfNextMonth(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

export const MAX_PERIOD_YEARS = 3;

/** The latest allowed end of a period starting on `from`: the same day three years on (1 March for 29 February). */
export function latestEnd(from: string): string {
  const sameDay = `${Number(from.slice(0, 4)) + MAX_PERIOD_YEARS}${from.slice(4)}`;
  return isCalendarDate(sameDay) ? sameDay : addDays(`${sameDay.slice(0, 8)}28`, 1);
}
