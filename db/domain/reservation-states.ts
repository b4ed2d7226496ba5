// The reservation life cycle as data. Pure, so the desktop core and the sync server refuse the
// same moves with the same words.
import type { ReservationStatus } from './enums.js';

/** Which status may follow which. Statuses with no successor are final. */
export const RESERVATION_TRANSITIONS = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['CHECKED_IN', 'CANCELLED', 'NO_SHOW'],
  CHECKED_IN: ['CHECKED_OUT'],
  CHECKED_OUT: [],
  CANCELLED: [],
  NO_SHOW: [],
} as const satisfies Record<ReservationStatus, readonly ReservationStatus[]>;

/** A reservation starts as a request or an accepted booking; the rest happens to it later. */
export const RESERVATION_CREATE_STATUSES = ['PENDING', 'CONFIRMED'] as const satisfies readonly ReservationStatus[];

/** While a stay can still happen (or is happening), its dates may be corrected. */
export const RESERVATION_DATES_EDITABLE = [
  'PENDING',
  'CONFIRMED',
  'CHECKED_IN',
] as const satisfies readonly ReservationStatus[];

export function nextReservationStatuses(from: ReservationStatus): readonly ReservationStatus[] {
  return RESERVATION_TRANSITIONS[from];
}

export function canMoveReservation(from: ReservationStatus, to: ReservationStatus): boolean {
  return nextReservationStatuses(from).includes(to);
}

/** Why the move is refused, in words a person can act on; null when it is allowed. */
export function reservationTransitionRefusal(from: ReservationStatus, to: ReservationStatus): string | null {
  if (canMoveReservation(from, to)) return null;
  const next = nextReservationStatuses(from);
  const allowed = next.length > 0 ? next.join(', ') : `none (${from} is final)`;
  return `A reservation that is ${from} cannot become ${to}; allowed next: ${allowed}.`;
}
