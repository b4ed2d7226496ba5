// An edit made from an older version of a row: both ends refuse it in the same words, naming
// what changed meanwhile, who changed it and when, so the person can look at both and decide.
import { Temporal } from 'temporal-polyfill';

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
  scheduledAt: 'Scheduled',
  dueAt: 'Due',
  assigneeId: 'Assignee',
  agentId: 'Agent',
  ownerId: 'Owner',
  guestId: 'Guest',
};

/** A contract field name in words: "specialRequests" → "Special requests". */
export function fieldLabel(field: string): string {
  if (LABELS[field]) return LABELS[field];
  const words = field
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueWords(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
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
  fields: Array<{ label: string; theirs: unknown; yours: unknown }>;
  /** Who made the newer change, and when, as far as the audit log tells. */
  by: string | null;
  at: string | null;
}

export function staleMessage(edit: StaleEdit): string {
  const who = edit.by ?? 'Someone';
  const when = edit.at ? ` (${momentWords(edit.at)})` : '';
  const what = edit.fields
    .map((f) => `${f.label} is now ${valueWords(f.theirs)}, where you wrote ${valueWords(f.yours)}`)
    .join('; ');
  return (
    `${who} changed this ${edit.thing} after you opened it${when}: ${what}. ` +
    'Your change was not saved: compare the two and save again.'
  );
}
