// Wall-clock times across daylight-saving changes. Every expected instant is worked out by hand
// from the zone's rules for 2026 (as in the time zone database), written next to it as
// "local time and offset = UTC". The changes used:
//   America/Santiago   -04 / -03  00:00→01:00 on Sun 6 Sep (04:00Z); 24:00→23:00 on Sat 4 Apr (5 Apr 03:00Z)
//   Europe/Lisbon      +00 / +01  01:00→02:00 on Sun 29 Mar (01:00Z); 02:00→01:00 on Sun 25 Oct (01:00Z)
//   America/New_York   -05 / -04  02:00→03:00 on Sun 8 Mar (07:00Z); 02:00→01:00 on Sun 1 Nov (06:00Z)
//   Australia/Sydney   +10 / +11  02:00→03:00 on Sun 4 Oct (3 Oct 16:00Z); 03:00→02:00 on Sun 5 Apr (4 Apr 16:00Z)
//   Australia/Lord_Howe +10:30 / +11  02:00→02:30 on Sun 4 Oct (3 Oct 15:30Z); 02:00→01:30 on Sun 5 Apr (4 Apr 15:00Z)
import { describe, expect, it } from 'vitest';
import { isTimeZone, shiftDays, startOfDay, todayIn, zonedInstant } from '../../db/domain/dates.js';

const at = (iso: string) => new Date(iso);

describe('the start of a day', () => {
  it.each([
    // Santiago's September midnight does not exist: the day starts at 01:00 -03.
    ['America/Santiago', '2026-09-05', '2026-09-05T04:00:00.000Z'], // 00:00 -04
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z'], // 01:00 -03
    ['America/Santiago', '2026-09-07', '2026-09-07T03:00:00.000Z'], // 00:00 -03
    ['America/Santiago', '2026-04-04', '2026-04-04T03:00:00.000Z'], // 00:00 -03
    ['America/Santiago', '2026-04-05', '2026-04-05T04:00:00.000Z'], // 00:00 -04
    ['Europe/Lisbon', '2026-03-29', '2026-03-29T00:00:00.000Z'], // 00:00 +00
    ['Europe/Lisbon', '2026-03-30', '2026-03-29T23:00:00.000Z'], // 00:00 +01
    ['Europe/Lisbon', '2026-10-25', '2026-10-24T23:00:00.000Z'], // 00:00 +01
    ['Europe/Lisbon', '2026-10-26', '2026-10-26T00:00:00.000Z'], // 00:00 +00
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z'], // 00:00 -05
    ['America/New_York', '2026-03-09', '2026-03-09T04:00:00.000Z'], // 00:00 -04
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00.000Z'], // 00:00 -04
    ['America/New_York', '2026-11-02', '2026-11-02T05:00:00.000Z'], // 00:00 -05
    ['Australia/Sydney', '2026-10-04', '2026-10-03T14:00:00.000Z'], // 00:00 +10
    ['Australia/Sydney', '2026-10-05', '2026-10-04T13:00:00.000Z'], // 00:00 +11
    ['Australia/Sydney', '2026-04-05', '2026-04-04T13:00:00.000Z'], // 00:00 +11
    ['Australia/Sydney', '2026-04-06', '2026-04-05T14:00:00.000Z'], // 00:00 +10
    ['Australia/Lord_Howe', '2026-10-04', '2026-10-03T13:30:00.000Z'], // 00:00 +10:30
    ['Australia/Lord_Howe', '2026-10-05', '2026-10-04T13:00:00.000Z'], // 00:00 +11
    ['Australia/Lord_Howe', '2026-04-05', '2026-04-04T13:00:00.000Z'], // 00:00 +11
    ['Australia/Lord_Howe', '2026-04-06', '2026-04-05T13:30:00.000Z'], // 00:00 +10:30
  ])('%s %s starts at %s', (zone, date, expected) => {
    expect(startOfDay(date, zone)).toBe(expected);
    expect(zonedInstant(date, '00:00', zone)).toBe(expected);
  });
});

describe('a wall-clock time in a zone', () => {
  it.each([
    // In a spring-forward gap: moved forward by the gap.
    ['America/Santiago', '2026-09-06', '00:30', '2026-09-06T04:30:00.000Z'], // → 01:30 -03
    ['Europe/Lisbon', '2026-03-29', '01:30', '2026-03-29T01:30:00.000Z'], // → 02:30 +01
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z'], // → 03:30 -04
    ['Australia/Sydney', '2026-10-04', '02:30', '2026-10-03T16:30:00.000Z'], // → 03:30 +11
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:45:00.000Z'], // → 02:45 +11
  ])('in the gap: %s %s %s is %s', (zone, date, time, expected) => {
    expect(zonedInstant(date, time, zone)).toBe(expected);
  });

  it.each([
    // In a fall-back overlap: the first of the two, at the summer offset.
    ['America/Santiago', '2026-04-04', '23:30', '2026-04-05T02:30:00.000Z'], // 23:30 -03
    ['Europe/Lisbon', '2026-10-25', '01:30', '2026-10-25T00:30:00.000Z'], // 01:30 +01
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'], // 01:30 -04
    ['Australia/Sydney', '2026-04-05', '02:30', '2026-04-04T15:30:00.000Z'], // 02:30 +11
    ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00.000Z'], // 01:45 +11
  ])('in the overlap: %s %s %s is %s', (zone, date, time, expected) => {
    expect(zonedInstant(date, time, zone)).toBe(expected);
  });

  it.each([
    // Ordinary times on the days of the changes.
    ['America/Santiago', '2026-09-06', '11:00', '2026-09-06T14:00:00.000Z'], // 11:00 -03
    ['Europe/Lisbon', '2026-10-25', '11:00', '2026-10-25T11:00:00.000Z'], // 11:00 +00
    ['America/New_York', '2026-03-08', '11:00', '2026-03-08T15:00:00.000Z'], // 11:00 -04
    ['Australia/Sydney', '2026-04-05', '11:00', '2026-04-05T01:00:00.000Z'], // 11:00 +10
    ['Australia/Lord_Howe', '2026-10-04', '11:00', '2026-10-04T00:00:00.000Z'], // 11:00 +11
  ])('outside both: %s %s %s is %s', (zone, date, time, expected) => {
    expect(zonedInstant(date, time, zone)).toBe(expected);
  });

  it('refuses what is not a date or a time of day', () => {
    expect(() => zonedInstant('2026-02-30', '11:00', 'Europe/Lisbon')).toThrow(/not a calendar date/);
    expect(() => zonedInstant('2026-03-01', '11', 'Europe/Lisbon')).toThrow(/not a time of day/);
    expect(() => zonedInstant('2026-03-01', '24:00', 'Europe/Lisbon')).toThrow(RangeError);
    expect(() => zonedInstant('2026-03-01', '11:00', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('moving an instant by days', () => {
  it.each([
    // The wall clock stays put across each change, forwards and back.
    ['America/Santiago', '2026-09-05T15:00:00.000Z', 2, '2026-09-07T14:00:00.000Z'], // 11:00 -04 → 11:00 -03
    ['America/Santiago', '2026-09-07T14:00:00.000Z', -2, '2026-09-05T15:00:00.000Z'], // 11:00 -03 → 11:00 -04
    ['America/Santiago', '2026-04-03T14:00:00.000Z', 3, '2026-04-06T15:00:00.000Z'], // 11:00 -03 → 11:00 -04
    ['Europe/Lisbon', '2026-03-28T11:00:00.000Z', 1, '2026-03-29T10:00:00.000Z'], // 11:00 +00 → 11:00 +01
    ['Europe/Lisbon', '2026-10-24T10:00:00.000Z', 1, '2026-10-25T11:00:00.000Z'], // 11:00 +01 → 11:00 +00
    ['Europe/Lisbon', '2026-03-15T11:00:00.000Z', 31, '2026-04-15T10:00:00.000Z'], // 11:00 +00 → 11:00 +01
    ['America/New_York', '2026-03-07T16:00:00.000Z', 1, '2026-03-08T15:00:00.000Z'], // 11:00 -05 → 11:00 -04
    ['America/New_York', '2026-10-31T15:00:00.000Z', 1, '2026-11-01T16:00:00.000Z'], // 11:00 -04 → 11:00 -05
    ['Australia/Sydney', '2026-10-03T01:00:00.000Z', 1, '2026-10-04T00:00:00.000Z'], // 11:00 +10 → 11:00 +11
    ['Australia/Sydney', '2026-04-04T00:00:00.000Z', 1, '2026-04-05T01:00:00.000Z'], // 11:00 +11 → 11:00 +10
    ['Australia/Lord_Howe', '2026-10-03T00:30:00.000Z', 1, '2026-10-04T00:00:00.000Z'], // 11:00 +10:30 → 11:00 +11
    ['Australia/Lord_Howe', '2026-04-04T00:00:00.000Z', 1, '2026-04-05T00:30:00.000Z'], // 11:00 +11 → 11:00 +10:30
  ])('across the change: %s %s by %i days is %s', (zone, iso, days, expected) => {
    expect(shiftDays(iso, days, zone)).toBe(expected);
  });

  it.each([
    // Onto a time the target day skips or repeats: the same rules as zonedInstant.
    ['America/Santiago', '2026-09-05T04:30:00.000Z', 1, '2026-09-06T04:30:00.000Z'], // 00:30 -04 → gap → 01:30 -03
    ['America/Santiago', '2026-04-04T02:30:00.000Z', 1, '2026-04-05T02:30:00.000Z'], // 23:30 -03 → first 23:30 -03
    ['Europe/Lisbon', '2026-03-28T01:30:00.000Z', 1, '2026-03-29T01:30:00.000Z'], // 01:30 +00 → gap → 02:30 +01
    ['Europe/Lisbon', '2026-10-24T00:30:00.000Z', 1, '2026-10-25T00:30:00.000Z'], // 01:30 +01 → first 01:30 +01
    ['America/New_York', '2026-03-07T07:30:00.000Z', 1, '2026-03-08T07:30:00.000Z'], // 02:30 -05 → gap → 03:30 -04
    ['America/New_York', '2026-10-31T05:30:00.000Z', 1, '2026-11-01T05:30:00.000Z'], // 01:30 -04 → first 01:30 -04
    ['Australia/Sydney', '2026-04-03T15:30:00.000Z', 1, '2026-04-04T15:30:00.000Z'], // 02:30 +11 → first 02:30 +11
    ['Australia/Lord_Howe', '2026-10-02T15:45:00.000Z', 1, '2026-10-03T15:45:00.000Z'], // 02:15 +10:30 → gap → 02:45 +11
  ])('onto a gap or an overlap: %s %s by %i days is %s', (zone, iso, days, expected) => {
    expect(shiftDays(iso, days, zone)).toBe(expected);
  });
});

describe('today in a zone', () => {
  it.each([
    ['America/Santiago', '2026-09-06T03:59:59.999Z', '2026-09-05'], // 23:59:59 -04
    ['America/Santiago', '2026-09-06T04:00:00.000Z', '2026-09-06'], // 01:00 -03, the day's first instant
    ['America/Santiago', '2026-04-05T03:59:59.999Z', '2026-04-04'], // 23:59:59 -04, the second 23:00 hour
    ['America/Santiago', '2026-04-05T04:00:00.000Z', '2026-04-05'], // 00:00 -04
    ['Europe/Lisbon', '2026-03-29T22:59:59.999Z', '2026-03-29'], // 23:59:59 +01
    ['Europe/Lisbon', '2026-03-29T23:00:00.000Z', '2026-03-30'], // 00:00 +01
    ['Europe/Lisbon', '2026-10-25T23:59:59.999Z', '2026-10-25'], // 23:59:59 +00
    ['Europe/Lisbon', '2026-10-26T00:00:00.000Z', '2026-10-26'], // 00:00 +00
    ['America/New_York', '2026-11-01T03:59:59.999Z', '2026-10-31'], // 23:59:59 -04
    ['America/New_York', '2026-11-01T04:00:00.000Z', '2026-11-01'], // 00:00 -04
    ['America/New_York', '2026-11-02T04:59:59.999Z', '2026-11-01'], // 23:59:59 -05
    ['America/New_York', '2026-11-02T05:00:00.000Z', '2026-11-02'], // 00:00 -05
    ['Australia/Sydney', '2026-10-04T12:59:59.999Z', '2026-10-04'], // 23:59:59 +11
    ['Australia/Sydney', '2026-10-04T13:00:00.000Z', '2026-10-05'], // 00:00 +11
    ['Australia/Lord_Howe', '2026-04-05T13:29:59.999Z', '2026-04-05'], // 23:59:59 +10:30
    ['Australia/Lord_Howe', '2026-04-05T13:30:00.000Z', '2026-04-06'], // 00:00 +10:30
  ])('%s at %s is %s', (zone, iso, expected) => {
    expect(todayIn(zone, at(iso))).toBe(expected);
  });

  it('follows the clock through a day, a night and back again in one zone', () => {
    // The same zone asked in and out of order must not answer from a stale day.
    expect(todayIn('America/Santiago', at('2026-09-06T04:00:00.000Z'))).toBe('2026-09-06');
    expect(todayIn('America/Santiago', at('2026-09-06T03:59:59.999Z'))).toBe('2026-09-05');
    expect(todayIn('America/Santiago', at('2026-09-07T02:59:59.999Z'))).toBe('2026-09-06'); // 23:59:59 -03
    expect(todayIn('America/Santiago', at('2026-09-07T03:00:00.000Z'))).toBe('2026-09-07'); // 00:00 -03
    expect(todayIn('America/Santiago', at('2026-09-06T12:00:00.000Z'))).toBe('2026-09-06');
  });
});

describe('the bounds of a month that holds a change', () => {
  // [its first instant, the next month's first instant): what a month-to-date figure counts.
  it.each([
    ['America/Santiago', '2026-09-01', '2026-10-01', '2026-09-01T04:00:00.000Z', '2026-10-01T03:00:00.000Z', 719],
    ['America/Santiago', '2026-04-01', '2026-05-01', '2026-04-01T03:00:00.000Z', '2026-05-01T04:00:00.000Z', 721],
    ['Europe/Lisbon', '2026-03-01', '2026-04-01', '2026-03-01T00:00:00.000Z', '2026-03-31T23:00:00.000Z', 743],
    ['Europe/Lisbon', '2026-10-01', '2026-11-01', '2026-09-30T23:00:00.000Z', '2026-11-01T00:00:00.000Z', 745],
    ['America/New_York', '2026-11-01', '2026-12-01', '2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z', 721],
    ['Australia/Sydney', '2026-10-01', '2026-11-01', '2026-09-30T14:00:00.000Z', '2026-10-31T13:00:00.000Z', 743],
    ['Australia/Lord_Howe', '2026-04-01', '2026-05-01', '2026-03-31T13:00:00.000Z', '2026-04-30T13:30:00.000Z', 720.5],
  ])('%s from %s to %s is [%s, %s), %d hours', (zone, first, next, from, until, hours) => {
    expect(zonedInstant(first, '00:00', zone)).toBe(from);
    expect(zonedInstant(next, '00:00', zone)).toBe(until);
    expect((Date.parse(until) - Date.parse(from)) / 3_600_000).toBe(hours);
  });
});

describe('time zone names', () => {
  it('accepts IANA zones as the time zone database spells them, and UTC', () => {
    for (const zone of ['UTC', 'Europe/Lisbon', 'America/Argentina/Buenos_Aires', 'Australia/Lord_Howe', 'Etc/UTC']) {
      expect(isTimeZone(zone)).toBe(true);
    }
  });

  it('refuses offsets, abbreviations, other spellings and made-up places', () => {
    for (const junk of [
      '',
      'Mars/Olympus',
      'CET+1',
      '+01:00',
      'Z',
      'GMT',
      'EST5EDT',
      'europe/lisbon',
      'Europe/Lisbon ',
      'Europe/',
    ]) {
      expect(isTimeZone(junk)).toBe(false);
    }
  });
});
