// Amounts and dates for people, in the user's locale. Money stays integer minor units until here.
import { formatMoney, minorUnitDigits } from '../db/domain/money.js';

export const locale = navigator.language || 'en';

export function money(amountMinor: number | null | undefined, currency: string | null | undefined): string {
  if (amountMinor == null || !currency) return '—';
  return formatMoney({ amountMinor, currency }, locale);
}

/** Minor units as the decimal text a money field shows ("1234.5" for 123450 EUR cents). */
export function minorToDecimalText(amountMinor: number | null | undefined, currency: string): string {
  if (amountMinor == null) return '';
  const digits = minorUnitDigits(currency);
  return (amountMinor / 10 ** digits).toFixed(digits);
}

const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
const shortDateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const weekdayFormat = new Intl.DateTimeFormat(locale, { weekday: 'narrow', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const instantFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

const utcDate = (date: string) => new Date(`${date}T00:00:00Z`);

/** A calendar date (YYYY-MM-DD): the same day wherever the user is. */
export const formatDate = (date: string | null | undefined) => (date ? dateFormat.format(utcDate(date)) : '—');
export const formatShortDate = (date: string) => shortDateFormat.format(utcDate(date));
export const formatWeekday = (date: string) => weekdayFormat.format(utcDate(date));
/** A month key (YYYY-MM). */
export const formatMonth = (month: string) => monthFormat.format(utcDate(`${month}-01`));
/** An instant, in the user's own time zone. */
export const formatInstant = (iso: string | null | undefined) => (iso ? instantFormat.format(new Date(iso)) : '—');

export const percent = (ratio: number | null | undefined) =>
  ratio == null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);

export const number = (value: number | null | undefined, digits = 1) =>
  value == null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);

/** ENUM_VALUE → "Enum value". */
export const label = (value: string | null | undefined) =>
  value ? value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ') : '—';

/** Today as a calendar date in the user's time zone. */
export function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** A person's name as the screens show it. */
export const personName = (person: { firstName: string; lastName: string } | null | undefined) =>
  person ? `${person.firstName} ${person.lastName}`.trim() : '—';

/** Calendar days from one date to another (YYYY-MM-DD), negative when `to` is earlier. */
export const daysBetween = (from: string, to: string) =>
  Math.round((utcDate(to).getTime() - utcDate(from).getTime()) / 86_400_000);

/** "in 10 days", "tomorrow", "today", "yesterday", "3 days ago". */
export function relativeDays(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}
