// Operational tasks: who does them, for which stay, when, and how they move along.
import { isChecklistStep } from '../domain/task-checklists.js';
import { FIELD_STAFF_TASK_STATUSES, nextTaskStatuses } from '../domain/task-states.js';
import type { TaskStatus, TaskType } from '../domain/enums.js';
import { FIELD_STAFF } from '../policy/roles.js';
import type { ChangeRule, RowRule } from './rulebook.js';
import { cannotBecome, roleWords, statusWords } from './words.js';

const table = 'tasks' as const;
const ASSIGNABLE = "('CLEANER', 'MAINTENANCE_STAFF', 'AGENT', 'MANAGER')";

/**
 * The work field staff take: their trade, and the visits that need no more than the address and
 * the access notes. Anything else needs what field staff never see (guests' contacts, money), so
 * it goes to the office; agents and managers may take any task.
 */
export const FIELD_STAFF_WORK = {
  CLEANER: ['CLEANING', 'INSPECTION', 'DELIVERY'],
  MAINTENANCE_STAFF: ['MAINTENANCE', 'INSPECTION', 'DELIVERY'],
} as const satisfies Record<string, readonly TaskType[]>;

const TASK_WORDS: Record<TaskType, string> = {
  CLEANING: 'cleaning',
  MAINTENANCE: 'maintenance',
  INSPECTION: 'an inspection',
  DELIVERY: 'a delivery',
  GUEST_MEETING: 'a guest meeting',
  CHECK_IN: 'a check-in',
  CHECK_OUT: 'a check-out',
  PHOTOGRAPHY: 'photography',
  MARKETING: 'marketing',
};

/** Who may take a task of this type, in words: "a cleaner, an agent or a manager". */
function rolesFor(type: TaskType): string {
  const field = Object.entries(FIELD_STAFF_WORK)
    .filter(([, work]) => (work as readonly string[]).includes(type))
    .map(([role]) => roleWords(role));
  const all = [...field, roleWords('AGENT'), roleWords('MANAGER')];
  return `${all.slice(0, -1).join(', ')} or ${all.at(-1)}`;
}

/** Whether someone of this role may take a task of this type (the rule below, for pickers). */
export function mayTakeTask(role: string, type: TaskType): boolean {
  const work = (FIELD_STAFF_WORK as Record<string, readonly string[]>)[role];
  return work ? work.includes(type) : true;
}

const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;
const OUTSIDE_THEIR_WORK = Object.entries(FIELD_STAFF_WORK)
  .map(([role, work]) => `(u.role = '${role}' AND :r_type NOT IN ${sqlList(work)})`)
  .join(' OR ');

export const taskRowRules: RowRule[] = [
  {
    id: 'tasks.assignee-does-tasks',
    table,
    field: 'assigneeId',
    label: 'Assignee',
    code: 'validation',
    columns: ['assignee_id'],
    stage: 'before',
    holds: `:r_assignee_id IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = :r_assignee_id AND u.role IN ${ASSIGNABLE})`,
    facts: `SELECT (SELECT u.role FROM users u WHERE u.id = :r_assignee_id) AS role`,
    message: (f) =>
      f.role
        ? `must be a cleaner, maintenance staff member, agent or manager, not ${roleWords(f.role)}`
        : 'must be an existing cleaner, maintenance staff member, agent or manager',
  },
  {
    id: 'tasks.assignee-does-this-work',
    table,
    field: 'assigneeId',
    label: 'Assignee',
    code: 'validation',
    columns: ['assignee_id', 'type'],
    stage: 'before',
    holds: `:r_assignee_id IS NULL OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = :r_assignee_id AND (${OUTSIDE_THEIR_WORK}))`,
    facts: `SELECT u.first_name, u.last_name, u.role FROM users u WHERE u.id = :r_assignee_id`,
    message: (f, row) =>
      `must be ${rolesFor(row.type as TaskType)} for ${TASK_WORDS[row.type as TaskType]}: ` +
      `${String(f.first_name)} ${String(f.last_name)} is ${roleWords(f.role)}`,
  },
  {
    id: 'tasks.assignee-active',
    table,
    field: 'assigneeId',
    label: 'Assignee',
    code: 'conflict',
    columns: ['assignee_id'],
    stage: 'before',
    holds: `:r_assignee_id IS NULL OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = :r_assignee_id AND u.status <> 'ACTIVE')`,
    facts: `SELECT u.first_name, u.last_name, u.status FROM users u WHERE u.id = :r_assignee_id`,
    message: (f) =>
      `${String(f.first_name)} ${String(f.last_name)} is ${statusWords(f.status)}, so the task cannot go to them: choose someone else.`,
  },
  {
    id: 'tasks.reservation-of-property',
    table,
    field: 'reservationId',
    label: 'Reservation',
    code: 'validation',
    columns: ['reservation_id'],
    stage: 'before',
    holds: `:r_reservation_id IS NULL OR EXISTS (SELECT 1 FROM reservations v WHERE v.id = :r_reservation_id AND v.property_id = :r_property_id)`,
    message: 'must be a reservation of the task’s property',
  },
  {
    id: 'tasks.due-after-start',
    table,
    field: 'dueAt',
    label: 'Due',
    code: 'validation',
    columns: ['scheduled_at', 'due_at'],
    holds: `r.due_at IS NULL OR r.scheduled_at IS NULL OR r.due_at >= r.scheduled_at`,
    message: 'must not be before the scheduled time',
  },
  {
    id: 'tasks.cost-has-currency',
    table,
    field: 'currency',
    label: 'Currency',
    code: 'validation',
    columns: ['cost_minor', 'estimated_cost_minor', 'currency'],
    // Before the write: the database's own check would refuse it first, without the field.
    stage: 'before',
    holds: `(:r_cost_minor IS NULL AND :r_estimated_cost_minor IS NULL) OR :r_currency IS NOT NULL`,
    message: 'is required when a cost is given',
  },
  {
    id: 'tasks.completed-when-done',
    table,
    field: 'completedAt',
    label: 'Completed at',
    code: 'validation',
    columns: ['completed_at', 'status'],
    holds: `r.completed_at IS NULL OR r.status = 'COMPLETED'`,
    message: 'is only set on a completed task',
  },
];

/** A list column as either end holds it: JSON text in SQLite, an array in Postgres and changesets. */
function listOf(value: unknown): string[] | null {
  // Not given: the column's default, an empty list.
  if (value === null || value === undefined) return [];
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return Array.isArray(list) ? list.map(String) : null;
}

export const taskChangeRules: ChangeRule[] = [
  {
    id: 'tasks.checklist-steps',
    table,
    field: 'checklistDone',
    label: 'Checklist',
    code: 'validation',
    columns: ['checklist_done', 'type'],
    refuse: ({ after }) => {
      const ticked = listOf(after!.checklist_done);
      if (ticked === null) return 'must be a list of the checklist’s steps';
      const unknown = ticked.filter((step) => !isChecklistStep(after!.type as TaskType, step));
      if (unknown.length > 0) return `must hold only the steps of this task’s checklist, not “${unknown[0]}”`;
      return new Set(ticked).size === ticked.length ? null : 'must not hold a step twice';
    },
  },
  {
    id: 'tasks.checklist-while-open',
    table,
    field: 'checklistDone',
    label: 'Checklist',
    code: 'conflict',
    columns: ['checklist_done'],
    onInsert: false,
    refuse: ({ before, after }) => {
      if (before!.status !== 'COMPLETED' && before!.status !== 'CANCELLED') return null;
      const was = JSON.stringify(listOf(before!.checklist_done));
      const now = JSON.stringify(listOf(after!.checklist_done));
      // Another type has other steps: its ticks are cleared, whatever the status.
      if (was === now || (before!.type !== after!.type && now === '[]')) return null;
      return `This task is ${statusWords(before!.status)}: its checklist can no longer change.`;
    },
  },
  {
    id: 'tasks.not-born-cancelled',
    table,
    field: 'status',
    label: 'Status',
    code: 'validation',
    columns: [],
    onUpdate: false,
    refuse: ({ after }) => (after!.status === 'CANCELLED' ? 'must not be cancelled for a new task' : null),
  },
  {
    id: 'tasks.life-cycle',
    table,
    field: 'status',
    label: 'Status',
    code: 'conflict',
    columns: ['status'],
    onInsert: false,
    refuse: ({ before, after }) => {
      const from = before!.status as TaskStatus;
      const to = after!.status as TaskStatus;
      if (nextTaskStatuses(from).includes(to)) return null;
      const next = nextTaskStatuses(from).map(statusWords);
      return cannotBecome('A task', from, to, [next.length > 0 ? `become ${next.join(' or ')}` : '']);
    },
  },
  {
    id: 'tasks.field-staff-moves',
    table,
    field: 'status',
    label: 'Status',
    code: 'forbidden',
    columns: ['status'],
    onInsert: false,
    refuse: ({ after, actor }) =>
      (FIELD_STAFF as readonly string[]).includes(actor.role) &&
      !(FIELD_STAFF_TASK_STATUSES as readonly unknown[]).includes(after!.status)
        ? `You may start, pause or complete your tasks; ask the office to mark one ${statusWords(after!.status)}.`
        : null,
  },
  {
    id: 'tasks.property-fixed',
    table,
    field: 'propertyId',
    label: 'Property',
    code: 'validation',
    columns: ['property_id'],
    onInsert: false,
    refuse: ({ before, after }) =>
      before!.property_id === after!.property_id ? null : 'cannot change: create a task for the other property',
  },
  {
    id: 'tasks.reassign-while-open',
    table,
    field: 'assigneeId',
    label: 'Assignee',
    code: 'conflict',
    columns: ['assignee_id'],
    onInsert: false,
    refuse: ({ before }) =>
      before!.status === 'COMPLETED' || before!.status === 'CANCELLED'
        ? `A task that is ${statusWords(before!.status)} cannot be reassigned.`
        : null,
  },
];
