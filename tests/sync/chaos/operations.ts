// What the office does during a chaos run: each operation made as the UI would make it, on what
// the device shows its user (its own rows), with inputs from the run's PRNG. A refusal by the
// desktop is part of the game and only logged; what the server later refuses must turn up as a
// conflict on the device that made it (checked at the end).
import { RESERVATION_STATUSES, TASK_STATUSES, TASK_TYPES } from '../../../db/domain/enums.js';
import { RESERVATION_TRANSITIONS } from '../../../db/domain/reservation-states.js';
import { TASK_TRANSITIONS } from '../../../db/domain/task-states.js';
import type { OperationName } from '../../../main/operations/index.js';
import type { ColumnValues } from '../../../main/sync/replica.js';
import type { DesktopProcess } from './desktop-client.js';
import type { Random } from './prng.js';

export interface Person {
  id: string;
  email: string;
  role: string;
}

export interface People {
  admin: Person;
  manager: Person;
  agent: Person;
  /** An agent with no desktop in the run: properties move between them and `agent`. */
  otherAgent: Person;
  owner: Person;
  cleaner: Person;
  guests: Person[];
}

/** Operations and how often each is drawn. */
export const OPERATION_WEIGHTS = {
  book: 18,
  redate: 8,
  reservationStatus: 10,
  pay: 8,
  refund: 4,
  reverse: 4,
  createTask: 8,
  moveTask: 9,
  taskStatus: 6,
  assignTask: 5,
  reassignProperty: 7,
  editProperty: 6,
  outOfView: 3,
  resolveConflict: 3,
};
export type OperationKind = keyof typeof OPERATION_WEIGHTS;

export interface Attempt {
  name: OperationName;
  input: unknown;
}

export interface OperationContext {
  rnd: Random;
  people: People;
  desktop: DesktopProcess;
  /** Ids made anywhere in the run, by table: what another device may know of and this one may not. */
  known: Map<string, string[]>;
}

const day = (n: number) => `2027-06-${String(n).padStart(2, '0')}`;
const hour = (n: number) => String(n).padStart(2, '0');
const ACTIVE = (r: ColumnValues) => r.status !== 'CANCELLED' && r.status !== 'NO_SHOW';
const OPEN = (t: ColumnValues) => t.status !== 'COMPLETED' && t.status !== 'CANCELLED';

/** Mostly what the screen offers the action on (a live stay, an open task), now and then anything. */
function pickMostly(
  rnd: Random,
  rows: ColumnValues[],
  likely: (row: ColumnValues) => boolean,
): ColumnValues | undefined {
  const preferred = rows.filter(likely);
  return rnd.chance(0.85) && preferred.length > 0 ? rnd.pick(preferred) : rnd.pick(rows);
}
const NAMES = ['Alfama Loft', 'Baixa Studio', 'Chiado Flat', 'Belém House', 'Graça Terrace', 'Lapa Rooftop'];
const REASONS = ['Entered twice', 'Wrong amount', 'Guest disputed the charge'];

/** Shifts an ISO instant by whole days and sets its hour. */
function shiftInstant(iso: string, days: number, toHour: number): string {
  const at = new Date(iso);
  at.setUTCDate(at.getUTCDate() + days);
  at.setUTCHours(toHour, 0, 0, 0);
  return at.toISOString();
}

function shiftDate(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** A status that may follow `from` most of the time, any status now and then (the desktop refuses those). */
function nextStatus<S extends string>(
  rnd: Random,
  from: S,
  transitions: Record<S, readonly S[]>,
  all: readonly S[],
): S {
  const allowed = transitions[from] ?? [];
  return (rnd.chance(0.8) && allowed.length > 0 ? rnd.pick(allowed) : rnd.pick(all))!;
}

/** The attempt for one operation, or null when the device shows nothing to do it on. */
export async function attemptFor(kind: OperationKind, ctx: OperationContext): Promise<Attempt | null> {
  const { rnd, people, desktop } = ctx;
  const view = (table: Parameters<DesktopProcess['rows']>[0]) => desktop.rows(table);
  switch (kind) {
    case 'book': {
      const property = rnd.pick((await view('properties')).filter((p) => !p.archived_at));
      const guest = rnd.pick((await view('users')).filter((u) => u.role === 'GUEST'));
      if (!property || !guest) return null;
      const start = rnd.int(1, 24);
      const nights = rnd.int(1, 4);
      const capacity = Number(property.capacity);
      return {
        name: 'reservations/create',
        input: {
          propertyId: property.id,
          guestId: guest.id,
          checkIn: day(start),
          checkOut: day(start + nights),
          guests: rnd.chance(0.1) ? capacity + 1 : rnd.int(1, capacity),
          totalMinor: nights * Number(property.price_per_night_minor),
          currency: property.currency,
          guestName: `${String(guest.first_name)} ${String(guest.last_name)}`,
          guestEmail: guest.email,
          source: rnd.pick(['direct', 'airbnb', 'booking']),
          status: rnd.pick(['PENDING', 'CONFIRMED']),
        },
      };
    }
    case 'redate': {
      const stay = pickMostly(rnd, await view('reservations'), ACTIVE);
      if (!stay) return null;
      const shift = rnd.pick([-3, -2, -1, 1, 2, 3])!;
      const how = rnd.pick(['move', 'extend', 'shorten'])!;
      const checkIn = String(stay.check_in);
      const checkOut = String(stay.check_out);
      const changes =
        how === 'move'
          ? { checkIn: shiftDate(checkIn, shift), checkOut: shiftDate(checkOut, shift) }
          : how === 'extend'
            ? { checkOut: shiftDate(checkOut, Math.abs(shift)) }
            : { checkOut: shiftDate(checkOut, -Math.abs(shift)) };
      return { name: 'reservations/update', input: { id: stay.id, changes } };
    }
    case 'reservationStatus': {
      const stay = pickMostly(rnd, await view('reservations'), ACTIVE);
      if (!stay) return null;
      const status = nextStatus(
        rnd,
        stay.status as keyof typeof RESERVATION_TRANSITIONS,
        RESERVATION_TRANSITIONS,
        RESERVATION_STATUSES,
      );
      return {
        name: 'reservations/set-status',
        input: { id: stay.id, status, ...(rnd.chance(0.3) ? { reason: 'Guest called the office' } : {}) },
      };
    }
    case 'pay': {
      const stay = rnd.pick((await view('reservations')).filter(ACTIVE));
      if (!stay) return null;
      const amount = Math.max(100, Math.round(rnd.int(1, Number(stay.total_minor)) / 100) * 100);
      return {
        name: 'ledger/record',
        input: {
          userId: stay.guest_id,
          reservationId: stay.id,
          type: 'GUEST_PAYMENT',
          category: 'booking',
          amountMinor: amount,
          currency: stay.currency,
          netAmountMinor: amount,
          paymentMethod: rnd.pick(['card', 'transfer']),
        },
      };
    }
    case 'refund': {
      const payment = rnd.pick(
        (await view('ledger_entries')).filter(
          (e) => e.type === 'GUEST_PAYMENT' && Number(e.amount_minor) > 0 && e.status === 'COMPLETED',
        ),
      );
      if (!payment) return null;
      const amount = rnd.int(1, Number(payment.amount_minor));
      return {
        name: 'ledger/record',
        input: {
          userId: payment.user_id,
          reservationId: payment.reservation_id,
          referenceEntryId: payment.id,
          type: 'REFUND',
          category: 'refund',
          amountMinor: amount,
          currency: payment.currency,
          netAmountMinor: amount,
        },
      };
    }
    case 'reverse': {
      const entry = rnd.pick((await view('ledger_entries')).filter((e) => Number(e.amount_minor) > 0));
      if (!entry) return null;
      return { name: 'ledger/reverse', input: { id: entry.id, reason: rnd.pick(REASONS) } };
    }
    case 'createTask': {
      const property = rnd.pick(await view('properties'));
      if (!property) return null;
      const stays = (await view('reservations')).filter((r) => r.property_id === property.id);
      const stay = rnd.chance(0.5) ? rnd.pick(stays) : undefined;
      const assignee = rnd.pick([null, people.cleaner.id, people.agent.id, people.manager.id]);
      const type = rnd.pick(TASK_TYPES)!;
      return {
        name: 'tasks/create',
        input: {
          propertyId: property.id,
          type,
          title: `${type.toLowerCase().replace('_', ' ')} ${rnd.int(1, 99)}`,
          scheduledAt: `${day(rnd.int(1, 28))}T${hour(rnd.int(8, 18))}:00:00.000Z`,
          ...(stay ? { reservationId: stay.id } : {}),
          ...(assignee ? { assigneeId: assignee } : {}),
          ...(rnd.chance(0.3) ? { priority: rnd.pick(['LOW', 'HIGH', 'URGENT']) } : {}),
        },
      };
    }
    case 'moveTask': {
      const task = pickMostly(rnd, await view('tasks'), OPEN);
      if (!task) return null;
      const scheduled = String(task.scheduled_at ?? `${day(10)}T10:00:00.000Z`);
      const scheduledAt = shiftInstant(scheduled, rnd.int(-3, 3), rnd.int(7, 19));
      const what = rnd.pick(['date', 'date', 'title', 'due'])!;
      const changes =
        what === 'date'
          ? { scheduledAt }
          : what === 'title'
            ? { title: `${String(task.title).split(' (')[0]} (${rnd.int(1, 9)})` }
            : { scheduledAt, dueAt: shiftInstant(scheduledAt, 0, new Date(scheduledAt).getUTCHours() + 2) };
      return { name: 'tasks/update', input: { id: task.id, changes } };
    }
    case 'taskStatus': {
      const task = pickMostly(rnd, await view('tasks'), OPEN);
      if (!task) return null;
      const status = nextStatus(rnd, task.status as keyof typeof TASK_TRANSITIONS, TASK_TRANSITIONS, TASK_STATUSES);
      return { name: 'tasks/set-status', input: { id: task.id, status } };
    }
    case 'assignTask': {
      const task = pickMostly(rnd, await view('tasks'), OPEN);
      if (!task) return null;
      // The owner is no assignee: the desktop says so.
      const assignee = rnd.pick([
        null,
        people.cleaner.id,
        people.agent.id,
        people.otherAgent.id,
        people.manager.id,
        people.owner.id,
      ]);
      return { name: 'tasks/assign', input: { id: task.id, assigneeId: assignee } };
    }
    case 'reassignProperty': {
      // Rows leave one agent's view and enter another's. An agent trying it is refused.
      const property = rnd.pick(await view('properties'));
      if (!property) return null;
      const agentId = rnd.pick([people.agent.id, people.agent.id, people.otherAgent.id, null]);
      return { name: 'properties/update', input: { id: property.id, changes: { agentId } } };
    }
    case 'editProperty': {
      const property = rnd.pick(await view('properties'));
      if (!property) return null;
      const what = rnd.pick(['name', 'capacity', 'price'])!;
      const changes =
        what === 'name'
          ? { name: `${rnd.pick(NAMES)} ${rnd.int(1, 9)}` }
          : what === 'capacity'
            ? { capacity: rnd.int(1, 8) }
            : { pricePerNightMinor: rnd.int(60, 300) * 100 };
      return { name: 'properties/update', input: { id: property.id, changes } };
    }
    case 'outOfView': {
      // Something another device made, which this one may not see (then the desktop refuses).
      const table = rnd.pick(['properties', 'reservations', 'tasks'])!;
      const id = rnd.pick(ctx.known.get(table) ?? []);
      if (!id) return null;
      if (table === 'properties') return { name: 'properties/update', input: { id, changes: { capacity: 2 } } };
      if (table === 'tasks') return { name: 'tasks/update', input: { id, changes: { title: 'Checked from afar' } } };
      return { name: 'reservations/set-status', input: { id, status: 'CANCELLED' } };
    }
    case 'resolveConflict': {
      const conflict = rnd.pick(await desktop.conflicts());
      if (!conflict) return null;
      return {
        name: 'sync/resolve-conflict',
        input: { changesetId: conflict.changesetId, resolution: rnd.chance(0.6) ? 'dismissed' : 'redone' },
      };
    }
  }
}
