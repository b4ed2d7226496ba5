// Check-in and check-out are calendar dates (`YYYY-MM-DD`) in the property's time zone. They
// carry no time and no zone, so a stay never shifts when viewed from another office.

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function toUtcMs(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  return Date.parse(`${date}T00:00:00Z`);
}

/** nights = check-out − check-in. */
export function nightsBetween(checkIn: string, checkOut: string): number {
  return Math.round((toUtcMs(checkOut) - toUtcMs(checkIn)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(toUtcMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Today's calendar date in a time zone, e.g. for "today's check-ins" at a property. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return formatterFor('day', timeZone).format(now);
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

/** Instants are stored as ISO-8601 UTC text. */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString();
}

// ---- wall-clock times in a time zone ----

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts = formatterFor('instant', timeZone).formatToParts(new Date(instantMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instantMs / 1000) * 1000;
}

/** The instant a wall-clock reading (given as ms as if it were UTC) happens in the zone. */
function wallToInstant(wallMs: number, timeZone: string): number {
  // Twice: the offset at the first guess may differ from the one at the answer across a DST change.
  const guess = wallMs - zoneOffsetMs(wallMs, timeZone);
  return wallMs - zoneOffsetMs(guess, timeZone);
}

/** `date` at `time` (HH:MM) on the zone's clocks, as ISO UTC. */
export function zonedInstant(date: string, time: string, timeZone: string): string {
  return new Date(wallToInstant(Date.parse(`${date}T${time}:00.000Z`), timeZone)).toISOString();
}

/** Moves an instant by whole days on the zone's clocks, so 11:00 stays 11:00 across DST. */
export function shiftDays(iso: string, days: number, timeZone: string): string {
  const instant = Date.parse(iso);
  const wall = instant + zoneOffsetMs(instant, timeZone) + days * DAY_MS;
  return new Date(wallToInstant(wall, timeZone)).toISOString();
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone and purpose.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(purpose: 'day' | 'instant', timeZone: string): Intl.DateTimeFormat {
  const key = `${purpose} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter =
      purpose === 'day'
        ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          });
    formatters.set(key, formatter);
  }
  return formatter;
}
