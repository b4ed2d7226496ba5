// How the rules speak of statuses, roles, dates and money: in the words an office uses, never as
// codes or ISO dates.
import { Temporal } from 'temporal-polyfill';

const STATUS_WORDS: Record<string, string> = {
  PENDING: 'pending',
  CONFIRMED: 'confirmed',
  CHECKED_IN: 'checked in',
  CHECKED_OUT: 'checked out',
  CANCELLED: 'cancelled',
  NO_SHOW: 'a no-show',
  IN_PROGRESS: 'in progress',
  COMPLETED: 'completed',
  ON_HOLD: 'on hold',
  ACTIVE: 'active',
  INACTIVE: 'deactivated',
  SUSPENDED: 'suspended',
  VIP: 'a VIP',
};

export const statusWords = (status: unknown) => STATUS_WORDS[String(status)] ?? String(status).toLowerCase();

const ROLE_WORDS: Record<string, string> = {
  ADMIN: 'an administrator',
  MANAGER: 'a manager',
  AGENT: 'an agent',
  OWNER: 'an owner',
  GUEST: 'a guest',
  CLEANER: 'a cleaner',
  MAINTENANCE_STAFF: 'a maintenance staff member',
};

export const roleWords = (role: unknown) => ROLE_WORDS[String(role)] ?? String(role).toLowerCase();

/** "12 March 2027" for a calendar date (YYYY-MM-DD), whatever its database gave as text. */
export function dayWords(date: unknown): string {
  const day = Temporal.PlainDate.from(String(date).slice(0, 10));
  return day.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}

/** "12–15 March 2027", "30 March – 2 April 2027", "30 December 2027 – 2 January 2028". */
export function stayWords(checkIn: unknown, checkOut: unknown): string {
  const from = Temporal.PlainDate.from(String(checkIn).slice(0, 10));
  const to = Temporal.PlainDate.from(String(checkOut).slice(0, 10));
  const month = (d: Temporal.PlainDate) => d.toLocaleString('en-GB', { month: 'long' });
  if (from.year !== to.year) return `${dayWords(from.toString())} – ${dayWords(to.toString())}`;
  if (from.month !== to.month) return `${from.day} ${month(from)} – ${to.day} ${month(to)} ${to.year}`;
  return `${from.day}–${to.day} ${month(to)} ${to.year}`;
}

/** "€1,234.50" from minor units and an ISO 4217 code. */
export function moneyWords(minor: unknown, currency: unknown): string {
  const code = String(currency);
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
    .maximumFractionDigits;
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: code }).format(
    Number(minor) / 10 ** (digits ?? 2),
  );
}

/**
 * Why a status cannot move, and where it can: "A task that is pending cannot become completed; it
 * can become in progress or cancelled." `ways` are phrases such as "become in progress or cancelled".
 */
export function cannotBecome(thing: string, from: string, to: string, ways: readonly string[]): string {
  const open = ways.filter(Boolean);
  return (
    `${thing} that is ${statusWords(from)} cannot become ${statusWords(to)}` +
    (open.length > 0 ? `; it can ${open.join(', or ')}.` : '.')
  );
}
