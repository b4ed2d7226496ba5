// A reservation's paid amount, outstanding balance and payment status are derived from the
// ledger, never stored: a stored copy could disagree with the entries after a sync.
import type { LedgerEntryType, PaymentStatus } from './enums.js';

export interface BalanceEntry {
  type: LedgerEntryType;
  amountMinor: number;
  status: string;
}

export interface ReservationBalance {
  totalMinor: number;
  paidMinor: number;
  refundedMinor: number;
  outstandingMinor: number;
  paymentStatus: PaymentStatus;
}

/**
 * Guest payments count towards paid (a reversal is a negative payment); refunds are money
 * returned. `today` and `checkIn` decide OVERDUE: unpaid once the stay has begun.
 */
export function reservationBalance(
  totalMinor: number,
  entries: readonly BalanceEntry[],
  dates: { checkIn: string; today: string },
): ReservationBalance {
  let paidMinor = 0;
  let refundedMinor = 0;
  for (const entry of entries) {
    if (entry.status !== 'COMPLETED') continue;
    if (entry.type === 'GUEST_PAYMENT') paidMinor += entry.amountMinor;
    else if (entry.type === 'REFUND') refundedMinor += entry.amountMinor;
  }
  const netPaid = paidMinor - refundedMinor;
  const outstandingMinor = Math.max(totalMinor - netPaid, 0);
  return { totalMinor, paidMinor, refundedMinor, outstandingMinor, paymentStatus: status() };

  function status(): PaymentStatus {
    if (refundedMinor > 0 && netPaid <= 0) return 'REFUNDED';
    if (outstandingMinor === 0) return 'PAID';
    if (dates.today >= dates.checkIn) return 'OVERDUE';
    return netPaid > 0 ? 'PARTIAL' : 'PENDING';
  }
}
