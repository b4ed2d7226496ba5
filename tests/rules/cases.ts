// One table of cases for the rulebook (db/rules): for each rule, writes it allows and writes it
// refuses. The same cases run against the desktop core (tests/rules/desktop.test.ts) and against
// the sync server (tests/rules/server.test.ts): a rule kept on one side only fails on the other.
import { TASK_CHECKLISTS } from '../../db/domain/task-checklists.js';
import type { SyncedTableName } from '../../db/sync/protocol.js';
import { newId } from '../../db/domain/ids.js';
import { ledgerRow, locationRow, propertyRow, reservationRow, taskRow, userRow } from '../db/fixtures.js';

/** The people every case may use, made once in each database; the actors sign in. */
export const PEOPLE = {
  admin: { role: 'ADMIN' },
  manager: { role: 'MANAGER' },
  agent: { role: 'AGENT' },
  otherAgent: { role: 'AGENT' },
  owner: { role: 'OWNER' },
  otherOwner: { role: 'OWNER' },
  cleaner: { role: 'CLEANER' },
  guest: { role: 'GUEST' },
  formerCleaner: { role: 'CLEANER', status: 'INACTIVE' },
} as const;
export type Person = keyof typeof PEOPLE;

export interface World {
  people: Record<Person, string>;
  locationId: string;
}

/** A row to put in both databases before the write, keyed by field names (as the fixtures). */
export interface Given {
  table: SyncedTableName;
  row: Record<string, unknown> & { id: string };
}

export type Write =
  | { op: 'insert'; table: SyncedTableName; row: Record<string, unknown> & { id: string } }
  | { op: 'update'; table: SyncedTableName; id: string; changes: Record<string, unknown> }
  | { op: 'delete'; table: SyncedTableName; id: string };

export interface RuleCase {
  name: string;
  /** The rule the case is about (every rule of db/rules has at least one refused case). */
  rule: string;
  /** Who makes the write (someone who signs in). */
  as: Exclude<Person, 'guest' | 'formerCleaner'>;
  given: Given[];
  write: Write;
  /** null: allowed. Otherwise the refusal's code and the form field it names. */
  refused: { code: 'validation' | 'conflict' | 'forbidden'; field: string } | null;
}

const day = (n: number) => `2028-03-${String(n).padStart(2, '0')}`;

/**
 * Every case, built on the world's people and location. Cases run in order in one world: a case
 * may use rows given by an earlier one (and what an earlier allowed write made).
 */
export function ruleCases(w: World): RuleCase[] {
  const p = w.people;
  const property = (overrides: Record<string, unknown> = {}) =>
    propertyRow(w.locationId, { ownerId: p.owner, agentId: p.agent, capacity: 2, ...overrides });
  const stay = (propertyId: string, overrides: Record<string, unknown> = {}) =>
    reservationRow(propertyId, p.guest, { checkIn: day(10), checkOut: day(13), status: 'CONFIRMED', ...overrides });
  const payment = (reservation: { id: string; propertyId: string }, overrides: Record<string, unknown> = {}) =>
    ledgerRow(p.guest, {
      reservationId: reservation.id,
      propertyId: reservation.propertyId,
      amountMinor: 10_000,
      platformFeeMinor: 0,
      transactionFeeMinor: 0,
      netAmountMinor: 10_000,
      status: 'COMPLETED',
      ...overrides,
    });
  const cases: RuleCase[] = [];
  const add = (c: RuleCase) => cases.push(c);

  // ---- reservations ----
  {
    const a = property();
    add({
      name: 'a stay on a free property',
      rule: 'reservations.no-overlap',
      as: 'agent',
      given: [{ table: 'properties', row: a }],
      write: { op: 'insert', table: 'reservations', row: stay(a.id) },
      refused: null,
    });
  }
  {
    const a = property();
    const booked = stay(a.id);
    add({
      name: 'a stay over another',
      rule: 'reservations.no-overlap',
      as: 'agent',
      given: [
        { table: 'properties', row: a },
        { table: 'reservations', row: booked },
      ],
      write: { op: 'insert', table: 'reservations', row: stay(a.id, { checkIn: day(12), checkOut: day(15) }) },
      refused: { code: 'conflict', field: 'checkIn' },
    });
    add({
      name: 'a stay from the other’s check-out day',
      rule: 'reservations.no-overlap',
      as: 'agent',
      given: [{ table: 'properties', row: property() }],
      write: { op: 'insert', table: 'reservations', row: stay(a.id, { checkIn: day(13), checkOut: day(15) }) },
      refused: null,
    });
  }
  {
    const a = property();
    const booked = stay(a.id);
    const other = stay(a.id, { checkIn: day(20), checkOut: day(22) });
    add({
      name: 'dates moved onto another stay',
      rule: 'reservations.no-overlap',
      as: 'manager',
      given: [
        { table: 'properties', row: a },
        { table: 'reservations', row: booked },
        { table: 'reservations', row: other },
      ],
      write: { op: 'update', table: 'reservations', id: other.id, changes: { checkIn: day(11), checkOut: day(14) } },
      refused: { code: 'conflict', field: 'checkIn' },
    });
  }
  {
    const a = property({ archivedAt: '2026-01-01T00:00:00.000Z', status: 'INACTIVE' });
    add({
      name: 'a stay at an archived property',
      rule: 'reservations.property-not-archived',
      as: 'manager',
      given: [{ table: 'properties', row: a }],
      write: { op: 'insert', table: 'reservations', row: stay(a.id) },
      refused: { code: 'validation', field: 'propertyId' },
    });
  }
  {
    const a = property();
    add({
      name: 'an owner booked as the guest',
      rule: 'reservations.guest-is-a-guest',
      as: 'manager',
      given: [{ table: 'properties', row: a }],
      write: { op: 'insert', table: 'reservations', row: stay(a.id, { guestId: p.owner }) },
      refused: { code: 'validation', field: 'guestId' },
    });
    add({
      name: 'a cleaner as the stay’s agent',
      rule: 'reservations.agent-is-office-staff',
      as: 'manager',
      given: [{ table: 'properties', row: property() }],
      write: {
        op: 'insert',
        table: 'reservations',
        row: stay(a.id, { agentId: p.cleaner, checkIn: day(1), checkOut: day(2) }),
      },
      refused: { code: 'validation', field: 'agentId' },
    });
    add({
      name: 'a stay in another currency',
      rule: 'reservations.currency-of-property',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'reservations', row: stay(a.id, { currency: 'USD' }) },
      refused: { code: 'validation', field: 'currency' },
    });
    add({
      name: 'more guests than beds',
      rule: 'reservations.within-capacity',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'reservations', row: stay(a.id, { guests: 3 }) },
      refused: { code: 'validation', field: 'guests' },
    });
    add({
      name: 'a stay that ends before it starts',
      rule: 'reservations.dates-in-order',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'reservations', row: stay(a.id, { checkIn: day(20), checkOut: day(18) }) },
      refused: { code: 'validation', field: 'checkOut' },
    });
    add({
      name: 'a stay in year 9999',
      rule: 'reservations.within-horizon',
      as: 'manager',
      given: [],
      write: {
        op: 'insert',
        table: 'reservations',
        row: stay(a.id, { checkIn: '9999-01-01', checkOut: '9999-01-03' }),
      },
      refused: { code: 'validation', field: 'checkOut' },
    });
    add({
      name: 'a stay born checked in',
      rule: 'reservations.starts-pending-or-confirmed',
      as: 'manager',
      given: [],
      write: {
        op: 'insert',
        table: 'reservations',
        row: stay(a.id, { status: 'CHECKED_IN', checkIn: day(25), checkOut: day(26) }),
      },
      refused: { code: 'validation', field: 'status' },
    });
  }
  {
    const a = property();
    const booked = stay(a.id);
    const left = stay(a.id, { checkIn: day(1), checkOut: day(3), status: 'CHECKED_OUT' });
    add({
      name: 'confirmed straight to checked out',
      rule: 'reservations.life-cycle',
      as: 'manager',
      given: [
        { table: 'properties', row: a },
        { table: 'reservations', row: booked },
        { table: 'reservations', row: left },
      ],
      write: { op: 'update', table: 'reservations', id: booked.id, changes: { status: 'CHECKED_OUT' } },
      refused: { code: 'conflict', field: 'status' },
    });
    add({
      name: 'confirmed to checked in',
      rule: 'reservations.life-cycle',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'reservations', id: booked.id, changes: { status: 'CHECKED_IN' } },
      refused: null,
    });
    add({
      name: 'new dates for a stay that is over',
      rule: 'reservations.dates-while-open',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'reservations', id: left.id, changes: { checkIn: day(2), checkOut: day(4) } },
      refused: { code: 'conflict', field: 'checkIn' },
    });
    add({
      name: 'a check-in undone',
      rule: 'reservations.life-cycle',
      as: 'agent',
      given: [],
      write: { op: 'update', table: 'reservations', id: booked.id, changes: { status: 'CONFIRMED' } },
      refused: null,
    });
    add({
      name: 'checked out, straight back to confirmed',
      rule: 'reservations.life-cycle',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'reservations', id: left.id, changes: { status: 'CONFIRMED' } },
      refused: { code: 'conflict', field: 'status' },
    });
    add({
      name: 'a check-out undone',
      rule: 'reservations.life-cycle',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'reservations', id: left.id, changes: { status: 'CHECKED_IN' } },
      refused: null,
    });
  }

  // ---- tasks ----
  {
    const a = property();
    const booked = stay(a.id);
    const elsewhere = property();
    const otherStay = stay(elsewhere.id);
    const given: Given[] = [
      { table: 'properties', row: a },
      { table: 'reservations', row: booked },
      { table: 'properties', row: elsewhere },
      { table: 'reservations', row: otherStay },
    ];
    const task = (overrides: Record<string, unknown> = {}) => taskRow(a.id, { reservationId: booked.id, ...overrides });
    add({
      name: 'a clean for the cleaner',
      rule: 'tasks.assignee-does-tasks',
      as: 'agent',
      given,
      write: { op: 'insert', table: 'tasks', row: task({ assigneeId: p.cleaner }) },
      refused: null,
    });
    add({
      name: 'a task for a guest',
      rule: 'tasks.assignee-does-tasks',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'tasks', row: task({ assigneeId: p.guest }) },
      refused: { code: 'validation', field: 'assigneeId' },
    });
    add({
      name: 'a task for someone deactivated',
      rule: 'tasks.assignee-active',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'tasks', row: task({ assigneeId: p.formerCleaner }) },
      refused: { code: 'conflict', field: 'assigneeId' },
    });
    add({
      name: 'a task for another property’s stay',
      rule: 'tasks.reservation-of-property',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'tasks', row: task({ reservationId: otherStay.id }) },
      refused: { code: 'validation', field: 'reservationId' },
    });
    add({
      name: 'due before it starts',
      rule: 'tasks.due-after-start',
      as: 'manager',
      given: [],
      write: {
        op: 'insert',
        table: 'tasks',
        row: task({ scheduledAt: '2028-03-13T11:00:00.000Z', dueAt: '2028-03-13T09:00:00.000Z' }),
      },
      refused: { code: 'validation', field: 'dueAt' },
    });
    add({
      name: 'a cost with no currency',
      rule: 'tasks.cost-has-currency',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'tasks', row: task({ costMinor: 5_000 }) },
      refused: { code: 'validation', field: 'currency' },
    });
    add({
      name: 'completed at, but pending',
      rule: 'tasks.completed-when-done',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'tasks', row: task({ completedAt: '2028-03-13T11:00:00.000Z' }) },
      refused: { code: 'validation', field: 'completedAt' },
    });
    add({
      name: 'a task born cancelled',
      rule: 'tasks.not-born-cancelled',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'tasks', row: task({ status: 'CANCELLED' }) },
      refused: { code: 'validation', field: 'status' },
    });
  }
  {
    const a = property();
    const done = taskRow(a.id, { status: 'COMPLETED', completedAt: '2028-03-01T10:00:00.000Z', assigneeId: p.cleaner });
    const open = taskRow(a.id, { assigneeId: p.cleaner });
    const given: Given[] = [
      { table: 'properties', row: a },
      { table: 'tasks', row: done },
      { table: 'tasks', row: open },
    ];
    add({
      name: 'a completed task reopened',
      rule: 'tasks.life-cycle',
      as: 'manager',
      given,
      write: { op: 'update', table: 'tasks', id: done.id, changes: { status: 'PENDING' } },
      refused: { code: 'conflict', field: 'status' },
    });
    add({
      name: 'a completed task reassigned',
      rule: 'tasks.reassign-while-open',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'tasks', id: done.id, changes: { assigneeId: p.agent } },
      refused: { code: 'conflict', field: 'assigneeId' },
    });
    add({
      name: 'a cleaner cancels her task',
      rule: 'tasks.field-staff-moves',
      as: 'cleaner',
      given: [],
      write: { op: 'update', table: 'tasks', id: open.id, changes: { status: 'CANCELLED' } },
      refused: { code: 'forbidden', field: 'status' },
    });
    add({
      name: 'a cleaner starts her task',
      rule: 'tasks.field-staff-moves',
      as: 'cleaner',
      given: [],
      write: { op: 'update', table: 'tasks', id: open.id, changes: { status: 'IN_PROGRESS' } },
      refused: null,
    });
    add({
      name: 'a cleaner ticks a step of her clean',
      rule: 'tasks.checklist-steps',
      as: 'cleaner',
      given: [],
      write: {
        op: 'update',
        table: 'tasks',
        id: open.id,
        changes: { checklistDone: [TASK_CHECKLISTS.CLEANING[0]!, TASK_CHECKLISTS.CLEANING[3]!] },
      },
      refused: null,
    });
    add({
      name: 'a step that is not on the checklist',
      rule: 'tasks.checklist-steps',
      as: 'cleaner',
      given: [],
      write: { op: 'update', table: 'tasks', id: open.id, changes: { checklistDone: ['Paint the walls'] } },
      refused: { code: 'validation', field: 'checklistDone' },
    });
    add({
      name: 'a step ticked twice',
      rule: 'tasks.checklist-steps',
      as: 'cleaner',
      given: [],
      write: {
        op: 'update',
        table: 'tasks',
        id: open.id,
        changes: { checklistDone: [TASK_CHECKLISTS.CLEANING[0]!, TASK_CHECKLISTS.CLEANING[0]!] },
      },
      refused: { code: 'validation', field: 'checklistDone' },
    });
    add({
      name: 'a step ticked on a completed task',
      rule: 'tasks.checklist-while-open',
      as: 'manager',
      given: [],
      write: {
        op: 'update',
        table: 'tasks',
        id: done.id,
        changes: { checklistDone: [TASK_CHECKLISTS.CLEANING[0]!] },
      },
      refused: { code: 'conflict', field: 'checklistDone' },
    });
  }

  {
    // Field staff take the work of their trade; the office takes any task.
    const a = property();
    const clean = taskRow(a.id, { assigneeId: p.cleaner });
    add({
      name: 'an inspection for the cleaner',
      rule: 'tasks.assignee-does-this-work',
      as: 'manager',
      given: [
        { table: 'properties', row: a },
        { table: 'tasks', row: clean },
      ],
      write: { op: 'insert', table: 'tasks', row: taskRow(a.id, { type: 'INSPECTION', assigneeId: p.cleaner }) },
      refused: null,
    });
    add({
      name: 'a repair for the cleaner',
      rule: 'tasks.assignee-does-this-work',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'tasks', row: taskRow(a.id, { type: 'MAINTENANCE', assigneeId: p.cleaner }) },
      refused: { code: 'validation', field: 'assigneeId' },
    });
    add({
      name: 'the cleaner’s clean turned into a check-in',
      rule: 'tasks.assignee-does-this-work',
      as: 'agent',
      given: [],
      write: { op: 'update', table: 'tasks', id: clean.id, changes: { type: 'CHECK_IN' } },
      refused: { code: 'validation', field: 'assigneeId' },
    });
    add({
      name: 'a clean for the agent',
      rule: 'tasks.assignee-does-this-work',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'tasks', row: taskRow(a.id, { type: 'CLEANING', assigneeId: p.agent }) },
      refused: null,
    });
  }

  // ---- properties ----
  {
    add({
      name: 'a guest as the owner',
      rule: 'properties.owner-is-owner',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'properties', row: property({ ownerId: p.guest }) },
      refused: { code: 'validation', field: 'ownerId' },
    });
    add({
      name: 'a manager as the agent',
      rule: 'properties.agent-is-agent',
      as: 'admin',
      given: [],
      write: { op: 'insert', table: 'properties', row: property({ agentId: p.manager }) },
      refused: { code: 'validation', field: 'agentId' },
    });
    const mine = property();
    add({
      name: 'an agent gives a property away',
      rule: 'properties.managers-assign',
      as: 'agent',
      given: [{ table: 'properties', row: mine }],
      write: { op: 'update', table: 'properties', id: mine.id, changes: { agentId: p.otherAgent } },
      refused: { code: 'forbidden', field: 'agentId' },
    });
    add({
      name: 'an agent renames their property',
      rule: 'properties.managers-assign',
      as: 'agent',
      given: [],
      write: { op: 'update', table: 'properties', id: mine.id, changes: { name: 'Casa do Rio' } },
      refused: null,
    });
    const busy = property();
    add({
      name: 'archiving a property with a stay ahead',
      rule: 'properties.archived-without-stays',
      as: 'manager',
      given: [
        { table: 'properties', row: busy },
        { table: 'reservations', row: stay(busy.id, { checkIn: '2099-12-01', checkOut: '2099-12-03' }) },
      ],
      write: {
        op: 'update',
        table: 'properties',
        id: busy.id,
        changes: { archivedAt: '2028-01-01T00:00:00.000Z', status: 'INACTIVE' },
      },
      refused: { code: 'conflict', field: 'archivedAt' },
    });
  }

  {
    add({
      name: 'a property in no known location',
      rule: 'properties.location-exists',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'properties', row: property({ locationId: newId() }) },
      refused: { code: 'validation', field: 'locationId' },
    });
    const gone = property({ archivedAt: '2026-01-01T00:00:00.000Z', status: 'INACTIVE' });
    add({
      name: 'archiving an archived property',
      rule: 'properties.archived-once',
      as: 'manager',
      given: [{ table: 'properties', row: gone }],
      write: { op: 'update', table: 'properties', id: gone.id, changes: { archivedAt: '2028-01-01T00:00:00.000Z' } },
      refused: { code: 'conflict', field: 'archivedAt' },
    });
    const a = property();
    const b = property();
    const booked = stay(a.id);
    const task = taskRow(a.id);
    add({
      name: 'a stay moved to another property',
      rule: 'reservations.property-fixed',
      as: 'manager',
      given: [
        { table: 'properties', row: a },
        { table: 'properties', row: b },
        { table: 'reservations', row: booked },
        { table: 'tasks', row: task },
      ],
      write: { op: 'update', table: 'reservations', id: booked.id, changes: { propertyId: b.id } },
      refused: { code: 'validation', field: 'propertyId' },
    });
    add({
      name: 'a task moved to another property',
      rule: 'tasks.property-fixed',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'tasks', id: task.id, changes: { propertyId: b.id } },
      refused: { code: 'validation', field: 'propertyId' },
    });
    add({
      name: 'a payment on the wrong property',
      rule: 'ledger.property-of-reservation',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: payment(booked, { propertyId: b.id }) },
      refused: { code: 'validation', field: 'propertyId' },
    });
    add({
      name: 'a cost for another property’s task',
      rule: 'ledger.task-of-property',
      as: 'manager',
      given: [],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: ledgerRow(p.cleaner, {
          propertyId: b.id,
          taskId: task.id,
          type: 'CLEANING_COST',
          category: 'clean',
          platformFeeMinor: 0,
          netAmountMinor: 48_000,
        }),
      },
      refused: { code: 'validation', field: 'taskId' },
    });
    add({
      name: 'a payment from nobody we know',
      rule: 'ledger.user-exists',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: payment(booked, { userId: newId() }) },
      refused: { code: 'validation', field: 'userId' },
    });
    const paid = payment(booked);
    const other = stay(b.id);
    add({
      name: 'a refund sent to another stay',
      rule: 'ledger.refund-where-its-payment-is',
      as: 'manager',
      given: [
        { table: 'ledger_entries', row: paid },
        { table: 'reservations', row: other },
      ],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: payment(other, { type: 'REFUND', amountMinor: 1_000, netAmountMinor: 1_000, referenceEntryId: paid.id }),
      },
      refused: { code: 'validation', field: 'reservationId' },
    });
  }

  // ---- users ----
  add({
    name: 'a manager makes an administrator',
    rule: 'users.administer-own-kind',
    as: 'manager',
    given: [],
    write: { op: 'insert', table: 'users', row: userRow({ role: 'ADMIN' }) },
    refused: { code: 'forbidden', field: 'role' },
  });
  add({
    name: 'an agent adds a guest',
    rule: 'users.administer-own-kind',
    as: 'agent',
    given: [],
    write: { op: 'insert', table: 'users', row: userRow({ role: 'GUEST' }) },
    refused: null,
  });
  add({
    name: 'an agent adds a cleaner',
    rule: 'users.administer-own-kind',
    as: 'agent',
    given: [],
    write: { op: 'insert', table: 'users', row: userRow({ role: 'CLEANER' }) },
    refused: { code: 'forbidden', field: 'role' },
  });
  add({
    name: 'a manager promotes themself',
    rule: 'users.not-yourself',
    as: 'manager',
    given: [],
    write: { op: 'update', table: 'users', id: p.manager, changes: { role: 'ADMIN' } },
    refused: { code: 'forbidden', field: 'role' },
  });

  // ---- ledger ----
  {
    const a = property();
    const booked = stay(a.id);
    const paid = payment(booked);
    const reversed = payment(booked);
    const reversal = ledgerRow(p.guest, {
      reservationId: booked.id,
      propertyId: a.id,
      referenceEntryId: reversed.id,
      amountMinor: -10_000,
      platformFeeMinor: 0,
      transactionFeeMinor: 0,
      netAmountMinor: -10_000,
      status: 'COMPLETED',
    });
    const pending = payment(booked, { status: 'PENDING' });
    const given: Given[] = [
      { table: 'properties', row: a },
      { table: 'reservations', row: booked },
      { table: 'ledger_entries', row: paid },
      { table: 'ledger_entries', row: reversed },
      { table: 'ledger_entries', row: reversal },
      { table: 'ledger_entries', row: pending },
    ];
    const refund = (amount: number, overrides: Record<string, unknown> = {}) =>
      payment(booked, {
        type: 'REFUND',
        amountMinor: amount,
        netAmountMinor: amount,
        referenceEntryId: paid.id,
        ...overrides,
      });
    const reversalOf = (entry: { id: string }, amount: number, overrides: Record<string, unknown> = {}) =>
      payment(booked, { referenceEntryId: entry.id, amountMinor: -amount, netAmountMinor: -amount, ...overrides });
    add({
      name: 'a guest payment',
      rule: 'ledger.fees-within-amount',
      as: 'agent',
      given,
      write: { op: 'insert', table: 'ledger_entries', row: payment(booked) },
      refused: null,
    });
    add({
      name: 'five million on a stay of 480',
      rule: 'ledger.payment-within-what-is-owed',
      as: 'agent',
      given: [],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: payment(booked, { amountMinor: 5_000_000, netAmountMinor: 5_000_000 }),
      },
      refused: { code: 'validation', field: 'amountMinor' },
    });
    add({
      name: 'more than is owed, knowingly taken as credit',
      rule: 'ledger.payment-within-what-is-owed',
      as: 'agent',
      given: [],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: payment(booked, { amountMinor: 50_000, netAmountMinor: 50_000, isCredit: true }),
      },
      refused: null,
    });
    {
      const gone = stay(a.id, { checkIn: day(25), checkOut: day(27), status: 'CANCELLED' });
      add({
        name: 'a payment on a cancelled stay',
        rule: 'ledger.payment-on-a-stay-that-happens',
        as: 'agent',
        given: [{ table: 'reservations', row: gone }],
        write: { op: 'insert', table: 'ledger_entries', row: payment(gone) },
        refused: { code: 'conflict', field: 'amountMinor' },
      });
      add({
        name: 'a payment on a cancelled stay, taken as credit',
        rule: 'ledger.payment-on-a-stay-that-happens',
        as: 'agent',
        given: [],
        write: { op: 'insert', table: 'ledger_entries', row: payment(gone, { isCredit: true }) },
        refused: null,
      });
    }
    add({
      name: 'a negative payment',
      rule: 'ledger.no-negative-amounts',
      as: 'agent',
      given: [],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: payment(booked, { amountMinor: -500, netAmountMinor: -500 }),
      },
      refused: { code: 'validation', field: 'amountMinor' },
    });
    add({
      name: 'fees larger than the amount',
      rule: 'ledger.fees-within-amount',
      as: 'agent',
      given: [],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: payment(booked, { platformFeeMinor: 20_000, netAmountMinor: -10_000 }),
      },
      refused: { code: 'validation', field: 'platformFeeMinor' },
    });
    add({
      name: 'a net that does not add up',
      rule: 'ledger.net-is-amount-less-fees',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: payment(booked, { netAmountMinor: 9_000 }) },
      refused: { code: 'validation', field: 'netAmountMinor' },
    });
    add({
      name: 'a payment in another currency',
      rule: 'ledger.currency-of-booking',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: payment(booked, { currency: 'USD' }) },
      refused: { code: 'validation', field: 'currency' },
    });
    add({
      name: 'a payout to someone who does not own it',
      rule: 'ledger.owner-payout-to-owner',
      as: 'manager',
      given: [],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: ledgerRow(p.otherOwner, {
          propertyId: a.id,
          type: 'OWNER_PAYOUT',
          category: 'payout',
          platformFeeMinor: 0,
          netAmountMinor: 48_000,
        }),
      },
      refused: { code: 'validation', field: 'userId' },
    });
    add({
      name: 'a payout to the owner',
      rule: 'ledger.owner-payout-to-owner',
      as: 'manager',
      given: [],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: ledgerRow(p.owner, {
          propertyId: a.id,
          type: 'OWNER_PAYOUT',
          category: 'payout',
          platformFeeMinor: 0,
          netAmountMinor: 48_000,
        }),
      },
      refused: null,
    });
    add({
      name: 'an agent pays an owner',
      rule: 'ledger.agents-record-no-owner-payouts',
      as: 'agent',
      given: [],
      write: {
        op: 'insert',
        table: 'ledger_entries',
        row: ledgerRow(p.owner, {
          propertyId: a.id,
          type: 'OWNER_PAYOUT',
          category: 'payout',
          platformFeeMinor: 0,
          netAmountMinor: 48_000,
        }),
      },
      refused: { code: 'forbidden', field: 'type' },
    });
    add({
      name: 'a refund of part of a payment',
      rule: 'ledger.refund-within-payment',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: refund(4_000) },
      refused: null,
    });
    add({
      name: 'a refund of more than is left',
      rule: 'ledger.refund-within-payment',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: refund(7_000) },
      refused: { code: 'validation', field: 'amountMinor' },
    });
    add({
      name: 'a refund of a reversed payment',
      rule: 'ledger.refund-of-unreversed-payment',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: refund(1_000, { referenceEntryId: reversed.id }) },
      refused: { code: 'conflict', field: 'referenceEntryId' },
    });
    add({
      name: 'a refund of a refund',
      rule: 'ledger.refund-of-a-payment',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: refund(1_000, { referenceEntryId: reversal.id }) },
      refused: { code: 'validation', field: 'referenceEntryId' },
    });
    add({
      name: 'a payment that refers to another',
      rule: 'ledger.reference-only-to-refund-or-reverse',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: payment(booked, { referenceEntryId: paid.id }) },
      refused: { code: 'validation', field: 'referenceEntryId' },
    });
    add({
      name: 'a second reversal',
      rule: 'ledger.reversed-once',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: reversalOf(reversed, 10_000) },
      refused: { code: 'conflict', field: 'referenceEntryId' },
    });
    add({
      name: 'a reversal 500 times the entry',
      rule: 'ledger.reversal-mirrors-its-entry',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: reversalOf(paid, 5_000_000) },
      refused: { code: 'validation', field: 'amountMinor' },
    });
    add({
      name: 'a reversal of a pending entry',
      rule: 'ledger.reversal-of-a-completed-entry',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: reversalOf(pending, 10_000) },
      refused: { code: 'conflict', field: 'referenceEntryId' },
    });
    add({
      name: 'a reversal of a payment',
      rule: 'ledger.reversed-once',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: reversalOf(paid, 10_000) },
      refused: null,
    });
  }
  // ---- when money was received ----
  {
    const a = property();
    const booked = stay(a.id, { checkIn: day(5), checkOut: day(8) });
    // Judged against when the entry is recorded: now, on both ends.
    const now = new Date();
    const daysFromNow = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();
    const received = (days: number) =>
      payment(booked, {
        amountMinor: 1_000,
        netAmountMinor: 1_000,
        createdAt: now.toISOString(),
        processedAt: daysFromNow(days),
      });
    add({
      name: 'a payment received three months ago',
      rule: 'ledger.received-within-the-year',
      as: 'agent',
      given: [
        { table: 'properties', row: a },
        { table: 'reservations', row: booked },
      ],
      write: { op: 'insert', table: 'ledger_entries', row: received(-90) },
      refused: null,
    });
    add({
      name: 'a payment received the day after tomorrow',
      rule: 'ledger.received-within-the-year',
      as: 'agent',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: received(2) },
      refused: { code: 'validation', field: 'processedAt' },
    });
    add({
      name: 'a payment received two years ago',
      rule: 'ledger.received-within-the-year',
      as: 'manager',
      given: [],
      write: { op: 'insert', table: 'ledger_entries', row: received(-730) },
      refused: { code: 'validation', field: 'processedAt' },
    });
  }
  // ---- what the office keeps on guests ----
  {
    const regular = userRow({ role: 'GUEST' });
    add({
      name: 'a manager notes and tags a guest',
      rule: 'users.guest-details-for-guests',
      as: 'manager',
      given: [{ table: 'users', row: regular }],
      write: {
        op: 'update',
        table: 'users',
        id: regular.id,
        changes: { notes: 'Prefers a ground floor', tags: ['Returning', 'Quiet'] },
      },
      refused: null,
    });
    add({
      name: 'tags on an owner',
      rule: 'users.guest-details-for-guests',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'users', id: p.owner, changes: { tags: ['VIP'] } },
      refused: { code: 'validation', field: 'notes' },
    });
    add({
      name: 'a guest marked do not rent with no reason',
      rule: 'users.do-not-rent-has-reason',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'users', id: regular.id, changes: { doNotRent: true } },
      refused: { code: 'validation', field: 'doNotRentReason' },
    });
    add({
      name: 'an agent marks their guest do not rent, saying why',
      rule: 'users.do-not-rent-by-office',
      as: 'agent',
      given: [],
      write: {
        op: 'update',
        table: 'users',
        id: p.guest,
        changes: { doNotRent: true, doNotRentReason: 'Party in March: broken furniture' },
      },
      refused: null,
    });
    add({
      name: 'an agent lifts a do-not-rent flag',
      rule: 'users.do-not-rent-by-office',
      as: 'agent',
      given: [],
      write: { op: 'update', table: 'users', id: p.guest, changes: { doNotRent: false, doNotRentReason: null } },
      refused: { code: 'forbidden', field: 'doNotRent' },
    });
    add({
      name: 'a manager lifts a do-not-rent flag',
      rule: 'users.do-not-rent-by-office',
      as: 'manager',
      given: [],
      write: { op: 'update', table: 'users', id: p.guest, changes: { doNotRent: false, doNotRentReason: null } },
      refused: null,
    });
  }
  return cases;
}

/** The world's location, as a row for either database. */
export const worldLocation = (id: string) => locationRow({ id });
