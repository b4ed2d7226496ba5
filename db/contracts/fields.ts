// Field validators shared by the contracts. Every message reads after the field's name:
// "checkOut: must be after checkIn".
import { z } from 'zod';
import { isCalendarDate, isTimeZone } from '../domain/dates.js';
import { isUuidV7 } from '../domain/ids.js';
import { isCurrencyCode } from '../domain/money.js';

/** "is required" when absent, otherwise "must be <what>". */
const expected = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

export const text = (max = 200) =>
  z.string(expected('text')).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Optional text; null clears the field in an update. */
export const optionalText = (max = 200) => text(max).nullish();

export const longText = (max = 5000) => optionalText(max);

export const id = () => z.string(expected('an id')).refine(isUuidV7, 'must be a UUIDv7 id');

export const email = () =>
  z
    .string(expected('an email address'))
    .trim()
    .toLowerCase()
    .pipe(z.email('must be a valid email address such as name@example.com'));

export const phone = () =>
  z
    .string(expected('a phone number'))
    .trim()
    .regex(/^\+?[0-9 ()./-]{5,30}$/, 'must be a phone number such as +351 912 345 678')
    .nullish();

export const countryCode = () =>
  z.string(expected('a country code')).regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code such as PT');

export const currencyCode = () =>
  z.string(expected('a currency code')).refine(isCurrencyCode, 'must be an ISO 4217 currency code such as EUR');

export const timeZone = () =>
  z.string(expected('a time zone')).refine(isTimeZone, 'must be an IANA time zone such as Europe/Lisbon');

export const calendarDate = () =>
  z.string(expected('a date')).refine(isCalendarDate, 'must be a real date in the form YYYY-MM-DD');

/** An instant with an offset, stored as UTC ISO text so that instants sort correctly as text. */
export const instant = () =>
  z.iso
    .datetime({
      offset: true,
      error: (issue) =>
        issue.input === undefined ? 'is required' : 'must be an ISO 8601 date-time such as 2026-11-24T10:00:00Z',
    })
    .transform((value) => new Date(value).toISOString())
    .refine((iso) => /^\d{4}-/.test(iso) && iso >= '1970', 'must be between the years 1970 and 9999');

const wholeNumber = (what: string) =>
  z.number(expected(what)).int(`must be ${what}, not a fraction`).refine(Number.isSafeInteger, 'is too large');

/** Money in minor units (cents for EUR, yen for JPY), never negative. */
export const minorUnits = () =>
  wholeNumber('a whole number of minor units (e.g. cents)').min(0, 'must not be negative');

/** Money that may be negative: only reversing ledger entries use it. */
export const signedMinorUnits = () => wholeNumber('a whole number of minor units (e.g. cents)');

export const count = (min: number, max: number) =>
  wholeNumber('a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

export const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${values.join(', ')}`),
  });

export const stringList = (maxItems = 100, maxLength = 120) =>
  z.array(text(maxLength), expected('a list of text')).max(maxItems, `must have at most ${maxItems} items`);

export const bool = () => z.boolean(expected('true or false'));

/** An update must change something. */
export const nonEmptyUpdate = (value: object) => Object.keys(value).length > 0;
export const NON_EMPTY_UPDATE = { error: 'nothing to update: give at least one field' } as const;

/** A range's `to` comes after its `from` when both are given (the end is exclusive). */
export const rangeInOrder = (v: { from?: string; to?: string }) =>
  v.from === undefined || v.to === undefined || v.to > v.from;
export const RANGE_IN_ORDER = { error: 'must be after from', path: ['to'] };
