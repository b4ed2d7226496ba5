// reservation_payments is derived by the database from the append-only ledger, in both dialects.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ledgerRow, locationRow, propertyRow, reservationRow, userRow } from './fixtures.js';
import { DIALECTS, type Dialect } from './dialects.js';

describe.each(DIALECTS)('reservation_payments in %s', (_name, open) => {
  let d: Dialect;
  let guestId: string;
  let reservationId: string;
  let paidOf: () => Promise<number | null>;

  beforeEach(async () => {
    d = await open();
    const guest = userRow();
    const location = locationRow();
    const property = propertyRow(location.id);
    const reservation = reservationRow(property.id, guest.id);
    for (const [table, row] of [
      ['users', guest],
      ['locations', location],
      ['properties', property],
      ['reservations', reservation],
    ] as const) {
      await d.insert(table, row);
    }
    [guestId, reservationId] = [guest.id, reservation.id];
    paidOf = () => d.paidMinor(reservationId);
  });
  afterEach(() => d.dispose());

  const entry = (amountMinor: number, extra: Record<string, unknown> = {}) =>
    ledgerRow(guestId, {
      reservationId,
      amountMinor,
      platformFeeMinor: 0,
      netAmountMinor: amountMinor,
      status: 'COMPLETED',
      ...extra,
    });

  it('adds completed payments, subtracts refunds and follows reversals', async () => {
    expect(await paidOf()).toBeNull();
    const deposit = entry(10_000);
    await d.insert('ledgerEntries', deposit);
    await d.insert('ledgerEntries', entry(38_000));
    expect(await paidOf()).toBe(48_000);
    await d.insert('ledgerEntries', entry(5_000, { type: 'REFUND', referenceEntryId: deposit.id }));
    expect(await paidOf()).toBe(43_000);
    await d.insert('ledgerEntries', entry(-10_000, { referenceEntryId: deposit.id }));
    expect(await paidOf()).toBe(33_000);
  });

  it('ignores entries that are not completed, and other kinds of entry', async () => {
    await d.insert('ledgerEntries', entry(10_000, { status: 'PENDING' }));
    await d.insert('ledgerEntries', entry(7_000, { type: 'AGENCY_FEE' }));
    expect(await paidOf()).toBeNull();
  });
});
