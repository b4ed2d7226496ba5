// A guest's stay: who, where, when, how many, in which currency, and how it may move along.
import { INACTIVE_RESERVATION_STATUSES, type ReservationStatus } from '../domain/enums.js';
import {
  RESERVATION_CREATE_STATUSES,
  RESERVATION_DATES_EDITABLE,
  canMoveReservation,
  nextReservationStatuses,
  undoReservationStatuses,
} from '../domain/reservation-states.js';
import { factsOfRow, type ChangeRule, type RowRule } from './rulebook.js';
import { cannotBecome, roleWords, statusWords, stayWords } from './words.js';

const INACTIVE = INACTIVE_RESERVATION_STATUSES.map((s) => `'${s}'`).join(', ');
const table = 'reservations' as const;

export const reservationRowRules: RowRule[] = [
  {
    id: 'reservations.property-not-archived',
    table,
    field: 'propertyId',
    label: 'Property',
    code: 'validation',
    columns: [],
    onUpdate: false,
    holds: `NOT EXISTS (SELECT 1 FROM properties p WHERE p.id = r.property_id AND p.archived_at IS NOT NULL)`,
    facts: factsOfRow(table, `(SELECT p.name FROM properties p WHERE p.id = r.property_id) AS property`),
    message: (f) => `is ${String(f.property)}, which is archived and takes no reservations`,
  },
  {
    id: 'reservations.guest-is-a-guest',
    table,
    field: 'guestId',
    label: 'Guest',
    code: 'validation',
    columns: ['guest_id'],
    stage: 'before',
    holds: `EXISTS (SELECT 1 FROM users u WHERE u.id = :r_guest_id AND u.role = 'GUEST')`,
    facts: `SELECT (SELECT u.role FROM users u WHERE u.id = :r_guest_id) AS role`,
    message: (f) => (f.role ? `must be a guest, not ${roleWords(f.role)}` : 'must be an existing guest'),
  },
  {
    id: 'reservations.agent-is-office-staff',
    table,
    field: 'agentId',
    label: 'Agent',
    code: 'validation',
    columns: ['agent_id'],
    stage: 'before',
    holds: `:r_agent_id IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = :r_agent_id AND u.role IN ('AGENT', 'MANAGER', 'ADMIN'))`,
    message: 'must be an agent, manager or administrator',
  },
  {
    id: 'reservations.currency-of-property',
    table,
    field: 'currency',
    label: 'Currency',
    code: 'validation',
    columns: ['currency'],
    stage: 'before',
    holds: `:r_currency = (SELECT p.currency FROM properties p WHERE p.id = :r_property_id)`,
    facts: `SELECT p.currency, p.name AS property FROM properties p WHERE p.id = :r_property_id`,
    message: (f) => `must be ${String(f.currency)}, the currency of ${String(f.property)}`,
  },
  {
    id: 'reservations.within-capacity',
    table,
    field: 'guests',
    label: 'Guests',
    code: 'validation',
    columns: ['guests'],
    stage: 'before',
    holds: `:r_guests <= (SELECT p.capacity FROM properties p WHERE p.id = :r_property_id)`,
    facts: `SELECT p.capacity, p.name AS property FROM properties p WHERE p.id = :r_property_id`,
    message: (f) => `must be at most ${String(f.capacity)}, the capacity of ${String(f.property)}`,
  },
  {
    id: 'reservations.dates-in-order',
    table,
    field: 'checkOut',
    label: 'Check-out',
    code: 'validation',
    // Before the write: the database's own check would refuse it first, without the field.
    stage: 'before',
    columns: ['check_in', 'check_out'],
    holds: `:r_check_out > :r_check_in`,
    message: 'must be after the check-in date',
  },
  {
    id: 'reservations.within-horizon',
    table,
    field: 'checkOut',
    label: 'Check-out',
    code: 'validation',
    columns: ['check_in', 'check_out'],
    holds: `r.check_out <= :latest_stay`,
    message: () => 'is too far ahead: stays are taken at most three years in advance',
  },
  {
    id: 'reservations.no-overlap',
    table,
    field: 'checkIn',
    label: 'Dates',
    code: 'conflict',
    stage: 'before',
    columns: ['check_in', 'check_out', 'status', 'property_id'],
    holds: `:r_status IN (${INACTIVE}) OR NOT EXISTS (SELECT 1 FROM reservations o
              WHERE o.property_id = :r_property_id AND o.id <> :r_id AND o.status NOT IN (${INACTIVE})
                AND o.check_in < :r_check_out AND o.check_out > :r_check_in)`,
    facts: `SELECT p.name AS property, c.guest_name, CAST(c.check_in AS TEXT) AS check_in,
              CAST(c.check_out AS TEXT) AS check_out, c.status
            FROM reservations c JOIN properties p ON p.id = c.property_id
            WHERE c.property_id = :r_property_id AND c.id <> :r_id AND c.status NOT IN (${INACTIVE})
              AND c.check_in < :r_check_out AND c.check_out > :r_check_in
            ORDER BY c.check_in LIMIT 1`,
    message: (f) =>
      `${String(f.property)} is already booked ${stayWords(f.check_in, f.check_out)} by ${String(f.guest_name)} ` +
      `(${statusWords(f.status)}). Choose other dates.`,
  },
];

export const reservationChangeRules: ChangeRule[] = [
  {
    id: 'reservations.starts-pending-or-confirmed',
    table,
    field: 'status',
    label: 'Status',
    code: 'validation',
    columns: [],
    onUpdate: false,
    refuse: ({ after }) =>
      after!.status === undefined || (RESERVATION_CREATE_STATUSES as readonly unknown[]).includes(after!.status)
        ? null
        : 'must be pending or confirmed for a new reservation',
  },
  {
    id: 'reservations.life-cycle',
    table,
    field: 'status',
    label: 'Status',
    code: 'conflict',
    columns: ['status'],
    onInsert: false,
    // Undoing a mistaken check-in or check-out is a move of its own: the operation asks for the
    // reason and the audit log keeps it (reservations/set-status).
    refuse: ({ before, after }) => {
      const from = before!.status as ReservationStatus;
      const to = after!.status as ReservationStatus;
      if (canMoveReservation(from, to)) return null;
      const next = nextReservationStatuses(from).map(statusWords);
      const back = undoReservationStatuses(from).map(statusWords);
      const undo = back.length > 0 ? `go back to ${back.join(' or ')} if that was a mistake, giving a reason` : '';
      return cannotBecome('A reservation', from, to, [next.length > 0 ? `become ${next.join(' or ')}` : '', undo]);
    },
  },
  {
    id: 'reservations.dates-while-open',
    table,
    field: 'checkIn',
    label: 'Dates',
    code: 'conflict',
    columns: ['check_in', 'check_out'],
    onInsert: false,
    refuse: ({ before }) =>
      (RESERVATION_DATES_EDITABLE as readonly unknown[]).includes(before!.status)
        ? null
        : `The dates of a reservation that is ${statusWords(before!.status)} cannot change.`,
  },
  {
    id: 'reservations.property-fixed',
    table,
    field: 'propertyId',
    label: 'Property',
    code: 'validation',
    columns: ['property_id'],
    onInsert: false,
    refuse: ({ before, after }) =>
      before!.property_id === after!.property_id ? null : 'cannot change: cancel the stay and book the other property',
  },
];
