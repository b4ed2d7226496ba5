// An edit made from an older version of a row: both ends refuse it in the same words, naming
// what changed meanwhile, who changed it and when, so the person can look at both and decide.
import { Temporal } from 'temporal-polyfill';
import { dayWords, moneyWords } from './words.js';

const LABELS: Record<string, string> = {
  checkIn: 'Check-in',
  checkOut: 'Check-out',
  guestName: 'Name on the booking',
  guestEmail: 'Guest email',
  guestPhone: 'Guest phone',
  totalMinor: 'Total',
  pricePerNightMinor: 'Price per night',
  costMinor: 'Cost',
  estimatedCostMinor: 'Estimated cost',
  amountMinor: 'Amount',
  netAmountMinor: 'Net amount',
  platformFeeMinor: 'Channel fee',
  transactionFeeMinor: 'Payment fee',
  processedAt: 'Received on',
  referenceEntryId: 'Referenced entry',
  reservationId: 'Reservation',
  propertyId: 'Property',
  locationId: 'Location',
  taskId: 'Task',
  userId: 'Person',
  scheduledAt: 'Scheduled',
  dueAt: 'Due',
  completedAt: 'Completed at',
  assigneeId: 'Assignee',
  agentId: 'Agent',
  ownerId: 'Owner',
  guestId: 'Guest',
  isCredit: 'Guest’s credit',
  timeZone: 'Time zone',
  '(input)': 'The request',
};

/** A contract field name in words: "specialRequests" → "Special requests", "changes.checkOut" → "Check-out". */
export function fieldLabel(field: string): string {
  const name = field.replace(/^(changes|expected)\./, '');
  if (LABELS[name]) return LABELS[name];
  const words = name
    .replace(/[._]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/ Minor$/, '')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A value as a person reads it: dates as "12 March 2027", amounts with their currency, never an
 * id. `field` (the contract's name) and `currency` say how to read a number of minor units.
 */
export function valueWords(value: unknown, field?: string, currency?: string | null): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? 'empty' : `“${value.map(String).join(', ')}”`;
  if (typeof value === 'object') return 'changed';
  if (typeof value === 'number' && field?.endsWith('Minor') && currency) return moneyWords(value, currency);
  const text = String(value);
  if (CALENDAR_DATE.test(text)) return dayWords(text);
  if (INSTANT.test(text)) return momentWords(text);
  if (UUID.test(text)) return 'another choice';
  return `“${text.length > 80 ? `${text.slice(0, 77)}…` : text}”`;
}

function momentWords(at: string): string {
  try {
    const instant = Temporal.Instant.from(at.includes('T') ? at : at.replace(' ', 'T').replace(/\+00$/, 'Z'));
    return instant.toLocaleString('en-GB', {
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    });
  } catch {
    return at;
  }
}

export interface StaleEdit {
  /** "reservation", "task". */
  thing: string;
  /** `field` (the contract's name) lets values be read as dates or money; `currency` is the row's. */
  fields: Array<{ label: string; theirs: unknown; yours: unknown; field?: string }>;
  currency?: string | null;
  /** Who made the newer change, and when, as far as the audit log tells. */
  by: string | null;
  at: string | null;
}

export function staleMessage(edit: StaleEdit): string {
  const who = edit.by ?? 'Someone';
  const when = edit.at ? ` (${momentWords(edit.at)})` : '';
  const words = (value: unknown, field?: string) => valueWords(value, field, edit.currency);
  const what = edit.fields
    .map((f) => `${f.label} is now ${words(f.theirs, f.field)}, where you wrote ${words(f.yours, f.field)}`)
    .join('; ');
  return (
    `${who} changed this ${edit.thing} after you opened it${when}: ${what}. ` +
    'Your change was not saved: compare the two and save again.'
  );
}
