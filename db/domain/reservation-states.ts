// The reservation life cycle as data. Pure, so the desktop core and the sync server refuse the
// same moves with the same words.
//
//   PENDING ─► CONFIRMED ─► CHECKED_IN ─► CHECKED_OUT
//                  ▲┄┄┄┄┄┄┄┄┄┄┄┄┘ ▲┄┄┄┄┄┄┄┄┄┄┄┄┄┄┘      ┄ undo, with a reason
//   PENDING, CONFIRMED ─► CANCELLED;  CONFIRMED ─► NO_SHOW        (final)
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

/**
 * Moves back, for a check-in or check-out pressed by mistake: each needs a reason, which the audit
 * log keeps. A cancelled stay or a no-show is not reopened: its nights may be sold by now.
 */
export const RESERVATION_UNDO = {
  CHECKED_IN: ['CONFIRMED'],
  CHECKED_OUT: ['CHECKED_IN'],
} as const satisfies Partial<Record<ReservationStatus, readonly ReservationStatus[]>>;

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

/** The statuses a mistaken move from `from` may be undone to. */
export function undoReservationStatuses(from: ReservationStatus): readonly ReservationStatus[] {
  return (RESERVATION_UNDO as Partial<Record<ReservationStatus, readonly ReservationStatus[]>>)[from] ?? [];
}

export function isReservationUndo(from: ReservationStatus, to: ReservationStatus): boolean {
  return undoReservationStatuses(from).includes(to);
}

/** Forward moves and undos alike. */
export function canMoveReservation(from: ReservationStatus, to: ReservationStatus): boolean {
  return nextReservationStatuses(from).includes(to) || isReservationUndo(from, to);
}

/** Stays are taken at most this many years ahead (the rulebook's reservations.within-horizon). */
export const STAY_HORIZON_YEARS = 3;

/** The latest check-out a booking made at `now` may have (YYYY-MM-DD): forms check it before sending. */
export function latestStay(now: Date): string {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + STAY_HORIZON_YEARS);
  return latest.toISOString().slice(0, 10);
}
