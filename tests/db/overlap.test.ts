import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locationRow, propertyRow, reservationRow, userRow } from './fixtures.js';
import { DIALECTS, rejection, type Dialect } from './dialects.js';

describe.each(DIALECTS)('reservation overlap in %s', (_name, open) => {
  let d: Dialect;
  let propertyId: string;
  let otherPropertyId: string;
  let guestId: string;

  beforeEach(async () => {
    d = await open();
    const guest = userRow();
    const location = locationRow();
    const property = propertyRow(location.id);
    const other = propertyRow(location.id, { name: 'Graça Studio' });
    await d.insert('users', guest);
    await d.insert('locations', location);
    await d.insert('properties', property);
    await d.insert('properties', other);
    [propertyId, otherPropertyId, guestId] = [property.id, other.id, guest.id];
    await d.insert(
      'reservations',
      reservationRow(propertyId, guestId, { checkIn: '2026-12-01', checkOut: '2026-12-05' }),
    );
  });
  afterEach(() => d.dispose());

  const stay = (checkIn: string, checkOut: string, extra: Record<string, unknown> = {}) =>
    reservationRow(propertyId, guestId, { checkIn, checkOut, ...extra });

  it.each([
    ['inside', '2026-12-02', '2026-12-03'],
    ['covering', '2026-11-30', '2026-12-06'],
    ['over the start', '2026-11-28', '2026-12-02'],
    ['over the end', '2026-12-04', '2026-12-08'],
    ['identical', '2026-12-01', '2026-12-05'],
  ])('rejects an active stay %s an existing one', async (_how, checkIn, checkOut) => {
    expect(await rejection(d.insert('reservations', stay(checkIn, checkOut)))).toMatch(/reservations_no_overlap/);
    expect(await d.count('reservations')).toBe(1);
  });

  it('accepts back-to-back stays: check-out day is the next check-in day', async () => {
    await d.insert('reservations', stay('2026-12-05', '2026-12-07'));
    await d.insert('reservations', stay('2026-11-28', '2026-12-01'));
    expect(await d.count('reservations')).toBe(3);
  });

  it('accepts the same nights at another property', async () => {
    await d.insert(
      'reservations',
      reservationRow(otherPropertyId, guestId, { checkIn: '2026-12-01', checkOut: '2026-12-05' }),
    );
    expect(await d.count('reservations')).toBe(2);
  });

  it.each(['CANCELLED', 'NO_SHOW'])('lets a %s reservation overlap', async (status) => {
    await d.insert('reservations', stay('2026-12-02', '2026-12-04', { status }));
    expect(await d.count('reservations')).toBe(2);
  });

  it('refuses to reactivate a cancelled stay whose nights are taken', async () => {
    const cancelled = stay('2026-12-02', '2026-12-04', { status: 'CANCELLED' });
    await d.insert('reservations', cancelled);
    expect(await rejection(d.update('reservations', cancelled.id, { status: 'CONFIRMED' }))).toMatch(
      /reservations_no_overlap/,
    );
  });

  it('refuses to move a stay onto taken nights, and allows moving it onto free ones', async () => {
    const later = stay('2026-12-10', '2026-12-12');
    await d.insert('reservations', later);
    expect(await rejection(d.update('reservations', later.id, { checkIn: '2026-12-04' }))).toMatch(
      /reservations_no_overlap/,
    );
    await d.update('reservations', later.id, { checkIn: '2026-12-05' });
  });
});
