// Field validators shared by the contracts. Every message reads after the field's name in words:
// "Check-out must be after the check-in date".
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

const THIS_COMPUTER = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The address of one of our servers (sync, updates), checked by parsing, never by pattern: https,
 * or plain http to this computer only. A user name or password in it is refused: the address is
 * shown in About to every role and written to logs, and our servers take credentials only at
 * sign-in. A query or #fragment is refused too, since paths are joined onto the address. With a
 * label, each message names the field as people know it ("Sync server address: …"): the first-run
 * screen asks for it before anyone has signed in. Without one, messages read after the key, as in
 * IT's file. Comes out without a trailing slash.
 */
export const serverAddress = (example: string, label: string | null) => {
  const say = (problem: string) => (label ? `${label}: ${problem}` : problem);
  return z
    .string({ error: (issue) => say(issue.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .max(2000, say('must be at most 2000 characters'))
    .transform((value, ctx) => {
      const refuse = (problem: string) => {
        ctx.addIssue({ code: 'custom', message: say(problem), input: value });
        return z.NEVER;
      };
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return refuse(`must be a web address such as ${example}`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return refuse(`must start with https:// (such as ${example})`);
      if (url.protocol === 'http:' && !THIS_COMPUTER.includes(url.hostname))
        return refuse('must use https (plain http only to localhost)');
      if (url.username !== '' || url.password !== '' || /^[a-z]+:\/\/[^/?#]*@/i.test(value))
        return refuse('must not contain a user name or password: people sign in inside Roomy');
      if (value.includes('#')) return refuse('must not end with a # part');
      if (value.includes('?')) return refuse('must not contain a ? part');
      return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    });
};

/** The sync server's address: labelled as the screens name it; `null` for IT's file, keyed by name. */
export const syncServerAddress = (label: string | null = 'Sync server address') =>
  serverAddress('https://sync.office.example', label);

/** Where IT's own update server is, when it is not the default (only IT's file sets it). */
export const updateServerAddress = (label: string | null = null) =>
  serverAddress('https://updates.office.example', label);
