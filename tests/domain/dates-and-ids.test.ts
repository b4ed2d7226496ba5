import { describe, expect, it } from 'vitest';
import { addDays, isCalendarDate, isTimeZone, nightsBetween, todayIn } from '../../db/domain/dates.js';
import { idAt, isUuidV7, newId } from '../../db/domain/ids.js';
import { reservationBalance } from '../../db/domain/reservation-balance.js';

describe('calendar dates', () => {
  it('counts nights as check-out minus check-in, across DST and leap days', () => {
    expect(nightsBetween('2026-12-01', '2026-12-05')).toBe(4);
    expect(nightsBetween('2026-03-28', '2026-03-30')).toBe(2); // clocks change in Europe on 29 March
    expect(nightsBetween('2028-02-28', '2028-03-01')).toBe(2);
  });

  it('accepts only real dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
    expect(() => nightsBetween('2026-02-30', '2026-03-02')).toThrow(/not a calendar date/);
  });

  it('knows today in the property’s zone', () => {
    const lateInLondon = new Date('2026-11-24T23:30:00Z');
    expect(todayIn('Europe/London', lateInLondon)).toBe('2026-11-24');
    expect(todayIn('Asia/Tokyo', lateInLondon)).toBe('2026-11-25');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('accepts IANA zones only', () => {
    expect(isTimeZone('Europe/Lisbon')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('CET+1')).toBe(false);
  });
});

describe('ids', () => {
  it('are UUIDv7, unique and time-ordered', () => {
    const ids = Array.from({ length: 1000 }, newId);
    expect(ids.every(isUuidV7)).toBe(true);
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
    expect(isUuidV7('6f1c8e5e-4b5f-4d7e-9c1a-2b3c4d5e6f70')).toBe(false); // a v4
  });

  it('can be made for a given moment, deterministically', () => {
    const random = new Uint8Array(16).fill(7);
    expect(idAt(Date.UTC(2026, 0, 1), random)).toBe(idAt(Date.UTC(2026, 0, 1), random));
    expect(idAt(Date.UTC(2026, 0, 1), random) < idAt(Date.UTC(2026, 0, 2), random)).toBe(true);
  });
});

describe('reservation balance, derived from the ledger', () => {
  const dates = { checkIn: '2026-12-01', today: '2026-11-24' };
  const paid = (amountMinor: number, type = 'GUEST_PAYMENT' as const) => ({ type, amountMinor, status: 'COMPLETED' });

  it('is pending with nothing paid, partial with a deposit, paid in full', () => {
    expect(reservationBalance(48_000, [], dates)).toMatchObject({ outstandingMinor: 48_000, paymentStatus: 'PENDING' });
    expect(reservationBalance(48_000, [paid(14_400)], dates)).toMatchObject({
      outstandingMinor: 33_600,
      paymentStatus: 'PARTIAL',
    });
    expect(reservationBalance(48_000, [paid(14_400), paid(33_600)], dates)).toMatchObject({
      outstandingMinor: 0,
      paymentStatus: 'PAID',
    });
  });

  it('is overdue once the stay begins unpaid, ignores unfinished payments, and shows refunds', () => {
    expect(reservationBalance(48_000, [], { ...dates, today: '2026-12-01' }).paymentStatus).toBe('OVERDUE');
    expect(reservationBalance(48_000, [{ ...paid(48_000), status: 'PENDING' }], dates).paidMinor).toBe(0);
    expect(
      reservationBalance(48_000, [paid(48_000), { type: 'REFUND', amountMinor: 48_000, status: 'COMPLETED' }], dates),
    ).toMatchObject({
      refundedMinor: 48_000,
      paymentStatus: 'REFUNDED',
    });
  });
});
