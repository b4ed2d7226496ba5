// Check-in and check-out are calendar dates (`YYYY-MM-DD`) in the property's time zone. They
// carry no time and no zone, so a stay never shifts when viewed from another office. Date
// arithmetic goes through Temporal.PlainDate, zone arithmetic through Temporal.ZonedDateTime.
//
// Wall-clock rules, the same in every zone:
// - a time inside a spring-forward gap moves forward by the gap (02:30 in a 02:00→03:00 gap is 03:30);
// - a time inside a fall-back overlap is the earlier of its two instants;
// - a day's midnight that does not exist (America/Santiago in September) is the first instant of
//   that day (01:00 there), never a moment of the day before;
// - moving an instant by days keeps its wall-clock time across DST changes (by the rules above).
// Instants come back as `toISOString()` text, the form they are stored and compared in.
import { Temporal } from 'temporal-polyfill';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_TIME = /^(\d{2}):(\d{2})$/;

function plainDateOrNull(value: string): Temporal.PlainDate | null {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Year 0 has no date in PostgreSQL (nor in the calendar as people count it).
  if (year === 0) return null;
  try {
    return new Temporal.PlainDate(year, month, day); // refuses 30 February and month 13
  } catch {
    return null;
  }
}

function plainDate(value: string): Temporal.PlainDate {
  const date = plainDateOrNull(value);
  if (!date) throw new RangeError(`"${value}" is not a calendar date (YYYY-MM-DD)`);
  return date;
}

export function isCalendarDate(value: string): boolean {
  return plainDateOrNull(value) !== null;
}

/** nights = check-out − check-in. */
export function nightsBetween(checkIn: string, checkOut: string): number {
  return plainDate(checkIn).until(plainDate(checkOut), { largestUnit: 'days' }).days;
}

export function addDays(date: string, days: number): string {
  return plainDate(date).add({ days }).toString();
}

// todayIn runs for every row of some lists: each zone keeps the span of the day it last answered.
const currentDays = new Map<string, { date: string; startsMs: number; endsMs: number }>();

/** Today's calendar date in a time zone, e.g. for "today's check-ins" at a property. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const ms = now.getTime();
  const id = zone(timeZone);
  const known = currentDays.get(id);
  if (known && ms >= known.startsMs && ms < known.endsMs) return known.date;
  const date = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(id).toPlainDate();
  const day = {
    date: date.toString(),
    startsMs: date.toZonedDateTime({ timeZone: id }).epochMilliseconds,
    endsMs: date.add({ days: 1 }).toZonedDateTime({ timeZone: id }).epochMilliseconds,
  };
  currentDays.set(id, day);
  return day.date;
}

/**
 * A named IANA zone (`Europe/Lisbon`, `UTC`) spelt as the time zone database spells it. Bare
 * offsets (`+01:00`) and legacy names without a region (`CET`, `EST5EDT`) do not name a place.
 */
export function isTimeZone(value: string): boolean {
  if (value !== 'UTC' && !value.includes('/')) return false;
  try {
    return zone(value) === value;
  } catch {
    return false;
  }
}

/** Instants are stored as ISO-8601 UTC text. */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString();
}

// ---- wall-clock times in a time zone ----

/** The first instant of a calendar day in the zone, as ISO UTC. */
export function startOfDay(date: string, timeZone: string): string {
  return isoOf(plainDate(date).toZonedDateTime({ timeZone: zone(timeZone) }));
}

/** `date` at `time` (HH:MM) on the zone's clocks, as ISO UTC; gaps and overlaps as described above. */
export function zonedInstant(date: string, time: string, timeZone: string): string {
  const match = WALL_TIME.exec(time);
  if (!match) throw new RangeError(`"${time}" is not a time of day (HH:MM)`);
  // Midnight is the day's start even where a gap swallows it and ends at an odd minute.
  if (time === '00:00') return startOfDay(date, timeZone);
  const wall = plainDate(date).toPlainDateTime(new Temporal.PlainTime(Number(match[1]), Number(match[2])));
  return isoOf(wall.toZonedDateTime(zone(timeZone), { disambiguation: 'compatible' }));
}

/** Moves an instant by whole days on the zone's clocks, so 11:00 stays 11:00 across DST. */
export function shiftDays(iso: string, days: number, timeZone: string): string {
  // Adding days to a ZonedDateTime keeps the wall clock and resolves it as 'compatible'.
  return isoOf(Temporal.Instant.from(iso).toZonedDateTimeISO(zone(timeZone)).add({ days }));
}

function isoOf(zoned: Temporal.ZonedDateTime): string {
  return new Date(zoned.epochMilliseconds).toISOString();
}

// Resolving a zone name costs more than using it: each zone, in its own spelling, is resolved
// once. Other spellings are resolved each time, so odd input cannot grow the cache.
const zones = new Set<string>();

/** The zone's id as Temporal spells it; a RangeError for a name that is not a zone. */
function zone(timeZone: string): string {
  if (zones.has(timeZone)) return timeZone;
  const id = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone).timeZoneId;
  if (id === timeZone) zones.add(id);
  return id;
}
