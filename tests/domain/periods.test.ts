// Calendar-date arithmetic: days, nights, months and the longest finance period. Dates carry no
// zone, so none of this may move with the machine's zone or a DST change.
import { describe, expect, it } from 'vitest';
import { addDays, isCalendarDate, nightsBetween } from '../../db/domain/dates.js';
import { latestEnd, monthsOf } from '../../main/finance/period.js';

describe('calendar dates', () => {
  it('adds days across months, years and DST changes, both ways', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30'); // Europe's clocks change on the 29th
    expect(addDays('2026-09-05', 1)).toBe('2026-09-06'); // Santiago's missing midnight
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-11-24', 0)).toBe('2026-11-24');
    expect(addDays('2026-01-31', 365)).toBe('2027-01-31');
  });

  it('counts nights in whole days, either way', () => {
    expect(nightsBetween('2026-09-05', '2026-09-07')).toBe(2);
    expect(nightsBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(nightsBetween('2026-12-05', '2026-12-01')).toBe(-4);
    expect(nightsBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(nightsBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it('accepts only real dates that PostgreSQL can store', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('9999-12-31')).toBe(true);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-00-10')).toBe(false);
    expect(isCalendarDate('0000-01-01')).toBe(false);
    expect(isCalendarDate('2026-11-24T00:00')).toBe(false);
    expect(isCalendarDate('+02026-11-24')).toBe(false);
    expect(() => addDays('2026-02-29', 1)).toThrow(/not a calendar date/);
  });
});

describe('finance periods', () => {
  it('splits a period into its calendar months, partial at both ends', () => {
    expect(monthsOf('2026-03-15', '2026-05-10')).toEqual([
      { month: '2026-03', starts: '2026-03-15', ends: '2026-04-01' },
      { month: '2026-04', starts: '2026-04-01', ends: '2026-05-01' },
      { month: '2026-05', starts: '2026-05-01', ends: '2026-05-10' },
    ]);
    expect(monthsOf('2026-12-01', '2027-01-01')).toEqual([
      { month: '2026-12', starts: '2026-12-01', ends: '2027-01-01' },
    ]);
    expect(monthsOf('2025-11-24', '2026-11-24')).toHaveLength(13);
  });

  it('ends a period within the last month the date form can write', () => {
    expect(monthsOf('9999-11-20', '9999-12-31')).toEqual([
      { month: '9999-11', starts: '9999-11-20', ends: '9999-12-01' },
      { month: '9999-12', starts: '9999-12-01', ends: '9999-12-31' },
    ]);
    const longest = monthsOf('9996-12-31', latestEnd('9996-12-31'));
    expect(longest).toHaveLength(37);
    expect(longest.at(-1)).toEqual({ month: '9999-12', starts: '9999-12-01', ends: '9999-12-31' });
  });

  it('allows at most three years, 29 February ending on 1 March', () => {
    expect(latestEnd('2026-11-24')).toBe('2029-11-24');
    expect(latestEnd('2028-02-29')).toBe('2031-03-01');
    expect(latestEnd('2029-02-28')).toBe('2032-02-28');
    expect(latestEnd('9998-06-01')).toBe('9999-12-31');
  });
});
