// What each list exports, by operation: plain values with their own headers, independent of how
// the screen draws its cells. Names, never ids; enum values in words; money with its currency.
import { nightsBetween } from '../../db/domain/dates.js';
import { label } from '../format.js';
import type { ExportColumn } from './export-format.js';
import type { ItemOf, KeysetList } from './paged-table.js';

type Catalogue = { [N in KeysetList]: ExportColumn<ItemOf<N>>[] };

const moneyOf = (amountMinor: number | null | undefined, currency: string | null | undefined) =>
  amountMinor === undefined || currency === undefined
    ? undefined
    : amountMinor === null || currency === null
      ? null
      : { amountMinor, currency };

const words = (value: string | null | undefined) => (value == null ? value : label(value));

export const EXPORT_COLUMNS: Catalogue = {
  'reservations/list': [
    { header: 'Guest', text: (r) => r.guestName },
    { header: 'Email', text: (r) => r.guestEmail },
    { header: 'Phone', text: (r) => r.guestPhone },
    { header: 'Property', text: (r) => r.propertyName },
    { header: 'Check-in', date: (r) => r.checkIn },
    { header: 'Check-out', date: (r) => r.checkOut },
    { header: 'Nights', number: (r) => nightsBetween(r.checkIn, r.checkOut) },
    { header: 'Guests', number: (r) => r.guests },
    { header: 'Status', text: (r) => words(r.status) },
    { header: 'Total', money: (r) => moneyOf(r.totalMinor, r.currency) },
    { header: 'Source', text: (r) => words(r.source) },
    { header: 'Booked', instant: (r) => r.createdAt },
  ],
  'properties/list': [
    { header: 'Name', text: (p) => p.name },
    { header: 'Nickname', text: (p) => p.nickname },
    { header: 'Address', text: (p) => p.address },
    { header: 'Type', text: (p) => words(p.type) },
    { header: 'Status', text: (p) => words(p.status) },
    { header: 'Guests', number: (p) => p.capacity },
    { header: 'Bedrooms', number: (p) => p.bedrooms },
    { header: 'Bathrooms', number: (p) => p.bathrooms },
    { header: 'Price per night', money: (p) => moneyOf(p.pricePerNightMinor, p.currency) },
    { header: 'Tags', text: (p) => (p.tags === undefined ? undefined : (p.tags ?? []).join(', ')) },
    { header: 'Archived', instant: (p) => p.archivedAt },
  ],
  'tasks/list': [
    { header: 'Scheduled', instant: (t) => t.scheduledAt },
    { header: 'Task', text: (t) => t.title },
    { header: 'Type', text: (t) => words(t.type) },
    { header: 'Property', text: (t) => t.propertyName },
    { header: 'Assignee', text: (t) => t.assigneeName },
    { header: 'Priority', text: (t) => words(t.priority) },
    { header: 'Status', text: (t) => words(t.status) },
    { header: 'Due', instant: (t) => t.dueAt },
    { header: 'Completed', instant: (t) => t.completedAt },
    { header: 'Cost', money: (t) => moneyOf(t.costMinor, t.currency) },
  ],
  'ledger/list': [
    { header: 'Recorded', instant: (e) => e.createdAt },
    { header: 'Type', text: (e) => words(e.type) },
    { header: 'Category', text: (e) => e.category },
    { header: 'Amount', money: (e) => moneyOf(e.amountMinor, e.currency) },
    { header: 'Net', money: (e) => moneyOf(e.netAmountMinor, e.currency) },
    { header: 'Person', text: (e) => e.personName },
    { header: 'Property', text: (e) => e.propertyName },
    { header: 'Guest', text: (e) => e.stay?.guestName ?? null },
    { header: 'Check-in', date: (e) => e.stay?.checkIn ?? null },
    { header: 'Status', text: (e) => words(e.status) },
    { header: 'Reversed', text: (e) => (e.reversed ? (e.reversed.reason ?? 'Yes') : null) },
    { header: 'Description', text: (e) => e.description ?? e.notes },
  ],
};
