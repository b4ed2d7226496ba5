// The ledger: where an entry belongs, that its figures add up, and how refunds and reversals
// refer to what they return or undo. Entries are only ever inserted.
import { Temporal } from 'temporal-polyfill';
import type { ChangeRule, RowRule } from './rulebook.js';
import { factsOfRow } from './rulebook.js';
import { dayWords, moneyWords, statusWords, stayWords } from './words.js';

const table = 'ledger_entries' as const;
const REVERSAL = 'r.amount_minor < 0 AND r.reference_entry_id IS NOT NULL';
const REFUND = "r.type = 'REFUND' AND r.amount_minor >= 0 AND r.reference_entry_id IS NOT NULL";
/** A completed guest payment on a stay, not taken knowingly as credit: it must be owed. */
const PAYMENT_ON_A_STAY = `r.type = 'GUEST_PAYMENT' AND r.amount_minor > 0 AND r.status = 'COMPLETED'
  AND r.reservation_id IS NOT NULL AND NOT r.is_credit`;
/** What the stay has been paid, this entry included: payments less refunds, reversals netted. */
const PAID_ON_THE_STAY = `(SELECT coalesce(sum(CASE x.type WHEN 'REFUND' THEN -x.amount_minor ELSE x.amount_minor END), 0)
  FROM ledger_entries x WHERE x.reservation_id = r.reservation_id AND x.status = 'COMPLETED'
    AND x.type IN ('GUEST_PAYMENT', 'REFUND'))`;
const entry = (rule: Omit<RowRule, 'table' | 'columns' | 'onUpdate'>): RowRule => ({
  ...rule,
  table,
  columns: [],
  onUpdate: false,
});

/** Completed refunds of payment `p`, net of refunds that were reversed (a reversal is negative). */
const refundedOf = (payment: string) =>
  `(SELECT coalesce(sum(x.amount_minor), 0) FROM ledger_entries x
    WHERE x.status = 'COMPLETED' AND x.type = 'REFUND'
      AND (x.reference_entry_id = ${payment}
        OR x.reference_entry_id IN (SELECT y.id FROM ledger_entries y WHERE y.reference_entry_id = ${payment} AND y.type = 'REFUND')))`;

export const ledgerRowRules: RowRule[] = [
  entry({
    id: 'ledger.no-negative-amounts',
    field: 'amountMinor',
    label: 'Amount',
    code: 'validation',
    // Before the write: the database's own check would refuse it first, without the field.
    stage: 'before',
    holds: `:r_amount_minor >= 0 OR :r_reference_entry_id IS NOT NULL`,
    message: 'must not be negative: to undo an entry, reverse it',
  }),
  entry({
    id: 'ledger.fees-within-amount',
    field: 'platformFeeMinor',
    label: 'Fees',
    code: 'validation',
    stage: 'before',
    holds: `:r_amount_minor < 0 OR (:r_platform_fee_minor >= 0 AND :r_transaction_fee_minor >= 0
              AND :r_platform_fee_minor + :r_transaction_fee_minor <= :r_amount_minor)`,
    message: 'must not be negative, nor more than the amount together',
  }),
  entry({
    id: 'ledger.net-is-amount-less-fees',
    field: 'netAmountMinor',
    label: 'Net amount',
    code: 'validation',
    // Before the write: the database's own check would refuse it first, without the field.
    stage: 'before',
    holds: `:r_net_amount_minor = :r_amount_minor - :r_platform_fee_minor - :r_transaction_fee_minor`,
    message: (_, row) =>
      `must be the amount less its fees: ${moneyWords(
        Number(row.amount_minor) - Number(row.platform_fee_minor ?? 0) - Number(row.transaction_fee_minor ?? 0),
        row.currency,
      )}`,
  }),
  entry({
    id: 'ledger.user-exists',
    field: 'userId',
    label: 'Person',
    code: 'validation',
    // Before the write: the database's own foreign key would refuse it first, without the field.
    stage: 'before',
    holds: `EXISTS (SELECT 1 FROM users u WHERE u.id = :r_user_id)`,
    message: 'must be an existing person',
  }),
  entry({
    id: 'ledger.property-of-reservation',
    field: 'propertyId',
    label: 'Property',
    code: 'validation',
    stage: 'before',
    holds: `:r_reservation_id IS NULL OR :r_property_id IS NULL
              OR :r_property_id = (SELECT v.property_id FROM reservations v WHERE v.id = :r_reservation_id)`,
    message: 'must be the property of the reservation',
  }),
  entry({
    id: 'ledger.task-of-property',
    field: 'taskId',
    label: 'Task',
    code: 'validation',
    stage: 'before',
    holds: `:r_task_id IS NULL OR :r_property_id IS NULL
              OR (SELECT t.property_id FROM tasks t WHERE t.id = :r_task_id) = :r_property_id`,
    message: 'must be a task of the same property',
  }),
  entry({
    id: 'ledger.currency-of-booking',
    field: 'currency',
    label: 'Currency',
    code: 'validation',
    stage: 'before',
    holds: `:r_currency = coalesce(
              (SELECT v.currency FROM reservations v WHERE v.id = :r_reservation_id),
              (SELECT p.currency FROM properties p WHERE p.id = :r_property_id),
              :r_currency)`,
    facts: `SELECT coalesce((SELECT v.currency FROM reservations v WHERE v.id = :r_reservation_id),
              (SELECT p.currency FROM properties p WHERE p.id = :r_property_id)) AS currency`,
    message: (f) => `must be ${String(f.currency)}, the currency of the booking`,
  }),
  entry({
    id: 'ledger.owner-payout-to-owner',
    field: 'userId',
    label: 'Owner',
    code: 'validation',
    stage: 'before',
    holds: `:r_type <> 'OWNER_PAYOUT' OR :r_property_id IS NULL OR :r_amount_minor < 0
              OR EXISTS (SELECT 1 FROM properties p WHERE p.id = :r_property_id AND p.owner_id = :r_user_id)`,
    facts: `SELECT (SELECT p.name FROM properties p WHERE p.id = :r_property_id) AS property`,
    message: (f) => `must be the owner of ${String(f.property)}: an owner payout goes to the property’s owner`,
  }),
  entry({
    id: 'ledger.reference-only-to-refund-or-reverse',
    field: 'referenceEntryId',
    label: 'Referenced entry',
    code: 'validation',
    holds: `r.reference_entry_id IS NULL OR r.type = 'REFUND' OR r.amount_minor < 0`,
    facts: factsOfRow(
      table,
      `(SELECT o.amount_minor FROM ledger_entries o WHERE o.id = r.reference_entry_id) AS referenced`,
    ),
    message: (f) =>
      Number(f.referenced) < 0
        ? 'is itself a reversal: to put the money back, record a new entry'
        : 'is only for refunds; to correct an entry, reverse it',
  }),
  // ---- what a stay owes ----
  entry({
    id: 'ledger.payment-on-a-stay-that-happens',
    field: 'amountMinor',
    label: 'Amount',
    code: 'conflict',
    holds: `NOT (${PAYMENT_ON_A_STAY}) OR NOT EXISTS (SELECT 1 FROM reservations v
              WHERE v.id = r.reservation_id AND v.status IN ('CANCELLED', 'NO_SHOW'))`,
    facts: `SELECT v.guest_name, CAST(v.check_in AS TEXT) AS check_in, CAST(v.check_out AS TEXT) AS check_out, v.status
            FROM ledger_entries r JOIN reservations v ON v.id = r.reservation_id WHERE r.id = :row_id`,
    message: (f) =>
      `The stay of ${String(f.guest_name)} (${stayWords(f.check_in, f.check_out)}) is ${statusWords(f.status)}: ` +
      'nothing is owed on it. If the money was received, record it as the guest’s credit; otherwise refund it.',
  }),
  entry({
    id: 'ledger.payment-within-what-is-owed',
    field: 'amountMinor',
    label: 'Amount',
    code: 'validation',
    holds: `NOT (${PAYMENT_ON_A_STAY}) OR ${PAID_ON_THE_STAY}
              <= (SELECT v.total_minor FROM reservations v WHERE v.id = r.reservation_id)`,
    facts: factsOfRow(
      table,
      `(SELECT v.total_minor FROM reservations v WHERE v.id = r.reservation_id) - (${PAID_ON_THE_STAY} - r.amount_minor)
         AS owed, r.currency`,
    ),
    message: (f) =>
      Number(f.owed) > 0
        ? `is more than the ${moneyWords(f.owed, f.currency)} still owed on this stay: record the difference as the guest’s credit, or take what is owed`
        : 'is more than this stay owes (it is paid): record it as the guest’s credit, or refund it',
  }),
  // ---- refunds ----
  entry({
    id: 'ledger.refund-of-a-payment',
    field: 'referenceEntryId',
    label: 'Refunded payment',
    code: 'validation',
    holds: `NOT (${REFUND}) OR EXISTS (SELECT 1 FROM ledger_entries p WHERE p.id = r.reference_entry_id
              AND p.type = 'GUEST_PAYMENT' AND p.status = 'COMPLETED' AND p.amount_minor > 0)`,
    message: 'must be a completed guest payment',
  }),
  entry({
    id: 'ledger.refund-where-its-payment-is',
    field: 'reservationId',
    label: 'Reservation',
    code: 'validation',
    holds: `NOT (${REFUND}) OR EXISTS (SELECT 1 FROM ledger_entries p WHERE p.id = r.reference_entry_id
              AND p.reservation_id IS NOT DISTINCT FROM r.reservation_id AND p.property_id IS NOT DISTINCT FROM r.property_id
              AND p.currency = r.currency)`,
    message: 'must be that of the payment being refunded: a refund goes back where its payment came from',
  }),
  entry({
    id: 'ledger.refund-of-unreversed-payment',
    field: 'referenceEntryId',
    label: 'Refunded payment',
    code: 'conflict',
    holds: `NOT (${REFUND}) OR NOT EXISTS (SELECT 1 FROM ledger_entries x
              WHERE x.reference_entry_id = r.reference_entry_id AND x.amount_minor < 0)`,
    message: 'That payment was reversed: there is nothing left of it to refund.',
  }),
  entry({
    id: 'ledger.refund-within-payment',
    field: 'amountMinor',
    label: 'Amount',
    code: 'validation',
    holds: `NOT (${REFUND}) OR ${refundedOf('r.reference_entry_id')}
              <= (SELECT p.amount_minor FROM ledger_entries p WHERE p.id = r.reference_entry_id)`,
    facts: factsOfRow(
      table,
      `(SELECT p.amount_minor FROM ledger_entries p WHERE p.id = r.reference_entry_id)
         - (${refundedOf('r.reference_entry_id')} - r.amount_minor) AS refundable, r.currency`,
    ),
    message: (f) => `must be at most ${moneyWords(f.refundable, f.currency)}, what is left of that payment to refund`,
  }),
  // ---- reversals: a negative entry that undoes one other, exactly, once ----
  entry({
    id: 'ledger.reversal-of-a-completed-entry',
    field: 'referenceEntryId',
    label: 'Reversed entry',
    code: 'conflict',
    holds: `NOT (${REVERSAL}) OR EXISTS (SELECT 1 FROM ledger_entries o WHERE o.id = r.reference_entry_id
              AND o.status = 'COMPLETED' AND o.amount_minor >= 0)`,
    facts: factsOfRow(
      table,
      `(SELECT o.status FROM ledger_entries o WHERE o.id = r.reference_entry_id) AS status,
       (SELECT o.amount_minor FROM ledger_entries o WHERE o.id = r.reference_entry_id) AS amount`,
    ),
    message: (f) =>
      f.status === undefined || f.status === null
        ? 'The entry to reverse does not exist.'
        : Number(f.amount) < 0
          ? 'That entry is itself a reversal: record a new entry instead.'
          : `Only completed entries can be reversed; that one is ${String(f.status).toLowerCase()}.`,
  }),
  entry({
    id: 'ledger.reversal-mirrors-its-entry',
    field: 'amountMinor',
    label: 'Reversal',
    code: 'validation',
    holds: `NOT (${REVERSAL}) OR EXISTS (SELECT 1 FROM ledger_entries o WHERE o.id = r.reference_entry_id
              AND o.type = r.type AND o.currency = r.currency AND r.amount_minor = -o.amount_minor
              AND r.platform_fee_minor = -o.platform_fee_minor AND r.transaction_fee_minor = -o.transaction_fee_minor
              AND r.net_amount_minor = -o.net_amount_minor
              AND o.reservation_id IS NOT DISTINCT FROM r.reservation_id AND o.property_id IS NOT DISTINCT FROM r.property_id)`,
    message: 'must undo its entry exactly: the same type, currency and place, every amount negated',
  }),
  entry({
    id: 'ledger.reversed-once',
    field: 'referenceEntryId',
    label: 'Reversed entry',
    code: 'conflict',
    holds: `NOT (${REVERSAL}) OR NOT EXISTS (SELECT 1 FROM ledger_entries x
              WHERE x.reference_entry_id = r.reference_entry_id AND x.amount_minor < 0 AND x.id <> r.id)`,
    facts: `SELECT CAST(x.created_at AS TEXT) AS created_at FROM ledger_entries r
            JOIN ledger_entries x ON x.reference_entry_id = r.reference_entry_id AND x.amount_minor < 0 AND x.id <> r.id
            WHERE r.id = :row_id ORDER BY x.created_at LIMIT 1`,
    message: (f) => `That entry was already reversed on ${dayWords(f.created_at)}.`,
  }),
];

/** How far back a payment may be recorded as received, and the clock difference tolerated ahead. */
export const RECEIVED_WITHIN_YEARS = 1;
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * Why a "received on" moment is implausible for an entry recorded at `recordedAt`, or null. Judged
 * against the entry's own recording time, not the checker's clock, so the desktop and the server
 * (however late a change reaches it) judge it alike.
 */
export function receivedOnRefusal(receivedAt: unknown, recordedAt: unknown): string | null {
  if (receivedAt == null || recordedAt == null) return null;
  const received = Date.parse(String(receivedAt));
  const recorded = Date.parse(String(recordedAt));
  if (Number.isNaN(received) || Number.isNaN(recorded)) return null;
  if (received > recorded + CLOCK_SKEW_MS) return 'cannot be in the future: record money once it has been received';
  const earliest = Temporal.Instant.fromEpochMilliseconds(recorded)
    .toZonedDateTimeISO('UTC')
    .toPlainDate()
    .subtract({ years: RECEIVED_WITHIN_YEARS });
  if (received < earliest.toZonedDateTime({ timeZone: 'UTC' }).epochMilliseconds)
    return (
      `must be within the last year, on or after ${dayWords(earliest.toString())}: ` +
      'for older money, record it as received today and note the real date in the description'
    );
  return null;
}

export const ledgerChangeRules: ChangeRule[] = [
  {
    id: 'ledger.received-within-the-year',
    table,
    field: 'processedAt',
    label: 'Received on',
    code: 'validation',
    columns: [],
    onUpdate: false,
    refuse: ({ after }) => receivedOnRefusal(after!.processed_at, after!.created_at),
  },
  {
    id: 'ledger.agents-record-no-owner-payouts',
    table,
    field: 'type',
    label: 'Type',
    code: 'forbidden',
    columns: [],
    onUpdate: false,
    refuse: ({ after, actor }) =>
      actor.role === 'AGENT' && after!.type === 'OWNER_PAYOUT' ? 'Agents do not record owner payouts.' : null,
  },
];
