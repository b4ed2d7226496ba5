// Occupancy and the rates built on it, per group of properties and per currency: booked nights
// against available nights, and each stay's total spread evenly over its nights. Definitions:
// docs/finance.md.
import { and, inArray, sql } from 'drizzle-orm';
import type { LocalDb } from '../../db/local-database.js';
import { locations, properties, users } from '../../db/schema/sqlite.js';
import { BOOKED_STATUSES, propertyConditions, type FinanceFilters, type FinanceScopes } from './period.js';

export const KPI_GROUPS = ['all', 'property', 'location', 'owner'] as const;
export type KpiGroup = (typeof KPI_GROUPS)[number];

export interface KpiRow {
  /** The property, location or owner; null for 'all' (and for properties without an owner). */
  groupId: string | null;
  groupName: string;
  currency: string;
  properties: number;
  availableNights: number;
  bookedNights: number;
  /** Stays arriving in the period. */
  stays: number;
  /** 0..1; null when there are no available nights. */
  occupancy: number | null;
  roomRevenueMinor: number;
  adrMinor: number | null;
  revparMinor: number | null;
  averageLengthOfStay: number | null;
  averageLeadTimeDays: number | null;
}

export interface FinanceKpis {
  from: string;
  to: string;
  groupBy: KpiGroup;
  rows: KpiRow[];
}

const GROUP_KEY: Record<KpiGroup, string> = {
  all: 'NULL',
  property: 'properties.id',
  location: 'properties.location_id',
  owner: 'properties.owner_id',
};

interface AvailabilityRow {
  group_id: string | null;
  currency: string;
  properties: number;
  available_nights: number;
}

interface StayRow {
  group_id: string | null;
  currency: string;
  booked_nights: number;
  revenue: number;
  stays: number;
  stay_nights: number;
  lead_days: number;
}

export function financeKpis(
  db: LocalDb,
  filters: FinanceFilters,
  scopes: FinanceScopes,
  groupBy: KpiGroup,
): FinanceKpis {
  // Each property's part of the period: from the day it was created until the day it was
  // archived. Day numbers (days since 1970-01-01) keep the arithmetic below in integers.
  const windows = sql`windows AS MATERIALIZED (
    SELECT properties.id AS property_id, ${sql.raw(GROUP_KEY[groupBy])} AS group_id, properties.currency AS currency,
      MAX(${filters.from}, substr(properties.created_at, 1, 10)) AS starts,
      MIN(${filters.to}, coalesce(substr(properties.archived_at, 1, 10), ${filters.to})) AS ends
    FROM properties
    WHERE ${propertyConditions(filters, scopes) ?? sql`1 = 1`}
  ),
  open_windows AS MATERIALIZED (
    SELECT windows.*, unixepoch(starts) / 86400 AS first_day, unixepoch(ends) / 86400 AS end_day
    FROM windows WHERE starts < ends
  )`;

  const available = db.all<AvailabilityRow>(sql`
    WITH ${windows}
    SELECT group_id, currency, count(*) AS properties, sum(end_day - first_day) AS available_nights
    FROM open_windows
    GROUP BY group_id, currency
  `);

  // Stays overlapping their property's window, property by property (CROSS JOIN keeps that
  // order, so each property's stays are one range of its (property_id, check_in) index).
  // `LIMIT -1` (no limit) stops SQLite from inlining a subquery into the sums that use its
  // columns, which would parse each date once per use; it streams its rows instead.
  // A stay's room revenue in the period is total × nights inside ÷ nights, rounded half up to
  // a minor unit (totals are never negative): (2 × total × inside + nights) div (2 × nights).
  const stays = db.all<StayRow>(sql`
    WITH ${windows},
    stays AS (
      SELECT open_windows.group_id AS group_id, reservations.currency AS currency,
        reservations.total_minor AS total,
        unixepoch(reservations.check_in) / 86400 AS ci,
        unixepoch(reservations.check_out) / 86400 AS co,
        open_windows.first_day AS first_day, open_windows.end_day AS end_day,
        reservations.check_in >= open_windows.starts AS arrives,
        unixepoch(substr(reservations.created_at, 1, 10)) / 86400 AS booked_day
      FROM open_windows
      CROSS JOIN reservations ON reservations.property_id = open_windows.property_id
        AND reservations.check_in < open_windows.ends AND reservations.check_out > open_windows.starts
      WHERE ${and(
        sql`reservations.status IN (${sql.join(
          BOOKED_STATUSES.map((s) => sql`${s}`),
          sql`, `,
        )})`,
        scopes.reservations,
      )}
      LIMIT -1
    ),
    nights AS (
      SELECT group_id, currency, total, co - ci AS nights, MIN(co, end_day) - MAX(ci, first_day) AS inside,
        arrives, MAX(ci - booked_day, 0) AS lead
      FROM stays
      LIMIT -1
    )
    SELECT group_id, currency,
      sum(inside) AS booked_nights,
      sum((2 * total * inside + nights) / (2 * nights)) AS revenue,
      sum(arrives) AS stays,
      sum(arrives * nights) AS stay_nights,
      sum(arrives * lead) AS lead_days
    FROM nights
    GROUP BY group_id, currency
  `);

  // One row per group and currency: availability by the properties' currency, stays by their own.
  const merged = new Map<string, { groupId: string | null; currency: string; a?: AvailabilityRow; s?: StayRow }>();
  const rowFor = (groupId: string | null, currency: string) => {
    const key = JSON.stringify([groupId, currency]);
    let row = merged.get(key);
    if (!row) merged.set(key, (row = { groupId, currency }));
    return row;
  };
  for (const a of available) rowFor(a.group_id, a.currency).a = a;
  for (const s of stays) rowFor(s.group_id, s.currency).s = s;

  const names = groupNames(
    db,
    groupBy,
    [...merged.values()].map((r) => r.groupId),
  );
  const rows = [...merged.values()].map(({ groupId, currency, a, s }): KpiRow => {
    const availableNights = a?.available_nights ?? 0;
    const bookedNights = s?.booked_nights ?? 0;
    const roomRevenueMinor = s?.revenue ?? 0;
    const stayCount = s?.stays ?? 0;
    return {
      groupId,
      groupName: names.get(groupId) ?? (groupBy === 'owner' ? 'No owner' : 'All properties'),
      currency,
      properties: a?.properties ?? 0,
      availableNights,
      bookedNights,
      stays: stayCount,
      occupancy: ratio(bookedNights, availableNights),
      roomRevenueMinor,
      adrMinor: rounded(ratio(roomRevenueMinor, bookedNights)),
      revparMinor: rounded(ratio(roomRevenueMinor, availableNights)),
      averageLengthOfStay: ratio(s?.stay_nights ?? 0, stayCount),
      averageLeadTimeDays: ratio(s?.lead_days ?? 0, stayCount),
    };
  });
  rows.sort((x, y) => x.groupName.localeCompare(y.groupName, 'en') || compare(x.currency, y.currency));
  return { from: filters.from, to: filters.to, groupBy, rows };
}

const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : numerator / denominator);
/** Half up; the amounts are never negative. */
const rounded = (value: number | null) => (value === null ? null : Math.round(value));

function groupNames(db: LocalDb, groupBy: KpiGroup, ids: (string | null)[]): Map<string | null, string> {
  const known = ids.filter((id): id is string => id !== null);
  if (groupBy === 'all' || known.length === 0) return new Map();
  if (groupBy === 'property') {
    const rows = db
      .select({ id: properties.id, name: properties.name })
      .from(properties)
      .where(inArray(properties.id, known))
      .all();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  if (groupBy === 'location') {
    const rows = db
      .select({ id: locations.id, name: locations.name })
      .from(locations)
      .where(inArray(locations.id, known))
      .all();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  const rows = db
    .select({ id: users.id, first: users.firstName, last: users.lastName })
    .from(users)
    .where(inArray(users.id, known))
    .all();
  return new Map(rows.map((r) => [r.id, `${r.first} ${r.last}`]));
}
