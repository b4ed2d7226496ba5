// The task life cycle as data. Pure, so the desktop core and the sync server refuse the same
// moves with the same words.
import type { TaskStatus } from './enums.js';

/** Which status may follow which. COMPLETED and CANCELLED are final. */
export const TASK_TRANSITIONS = {
  PENDING: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED', 'COMPLETED'],
  IN_PROGRESS: ['COMPLETED', 'ON_HOLD', 'CANCELLED'],
  ON_HOLD: ['PENDING', 'IN_PROGRESS', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
} as const satisfies Record<TaskStatus, readonly TaskStatus[]>;

/** Tasks still to be done: moved with their reservation's dates, cancelled with it. */
export const OPEN_TASK_STATUSES = ['PENDING', 'IN_PROGRESS', 'ON_HOLD'] as const satisfies readonly TaskStatus[];

/** What cleaners and maintenance staff may do to their own tasks: start, pause, finish. */
export const FIELD_STAFF_TASK_STATUSES = [
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
] as const satisfies readonly TaskStatus[];

export function nextTaskStatuses(from: TaskStatus): readonly TaskStatus[] {
  return TASK_TRANSITIONS[from];
}

export function canMoveTask(from: TaskStatus, to: TaskStatus): boolean {
  return nextTaskStatuses(from).includes(to);
}

/** Why the move is refused, in words a person can act on; null when it is allowed. */
export function taskTransitionRefusal(from: TaskStatus, to: TaskStatus): string | null {
  if (canMoveTask(from, to)) return null;
  const next = nextTaskStatuses(from);
  const allowed = next.length > 0 ? next.join(', ') : `none (${from} is final)`;
  return `A task that is ${from} cannot become ${to}; allowed next: ${allowed}.`;
}
