// Tasks: cleaning, maintenance and the other work done at a property. The office plans and
// assigns them; cleaners and maintenance staff see only their own and move them along. What a task
// must keep (who may do it, its stay, its times, its life cycle) is the rulebook's (db/rules/tasks.ts).
import {
  and,
  asc,
  count,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  notInArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { expectedValues, taskCreate, taskUpdate } from '../../db/contracts/entities.js';
import { bool, enumOf, id, instant, text } from '../../db/contracts/fields.js';
import { isCalendarDate, startOfDay, todayIn } from '../../db/domain/dates.js';
import { TASK_STATUSES, TASK_TYPES, type TaskStatus, type TaskType, type UserRole } from '../../db/domain/enums.js';
import { TASK_CHECKLISTS } from '../../db/domain/task-checklists.js';
import { OPEN_TASK_STATUSES } from '../../db/domain/task-states.js';
import { mayTakeTask } from '../../db/rules/tasks.js';
import { locations, properties, reservations, tasks, users } from '../../db/schema/sqlite.js';
import { invalid } from '../core/errors.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { decodeCursor, encodeCursor, findInScope, likePattern, pageSize } from '../core/queries.js';
import { visibleRow } from '../core/visibility.js';

type Task = typeof tasks.$inferSelect;

/** Instants are stored as UTC `toISOString()` text so they sort as text; input may carry an offset. */
const utc = (value: string) => new Date(value).toISOString();

interface Times {
  scheduledAt?: string | null;
  dueAt?: string | null;
  completedAt?: string | null;
}

function normalizedTimes(values: Times): Times {
  const times: Times = {};
  for (const key of ['scheduledAt', 'dueAt', 'completedAt'] as const) {
    const value = values[key];
    if (value !== undefined) times[key] = value === null ? null : utc(value);
  }
  return times;
}

// ---- inputs ----

const byId = z.strictObject({ id: id() });

/**
 * A bound of a time range: an ISO instant (kept in UTC), or a calendar date, meaning the start of
 * that day where each task's property is: "today's tasks" are today's on the local clocks.
 */
const bound = () =>
  z
    .string({ error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' })
    .refine(
      (v) => isCalendarDate(v) || instant().safeParse(v).success,
      'must be a date (YYYY-MM-DD) or an ISO 8601 date-time',
    )
    .transform((v): Bound => (isCalendarDate(v) ? { date: v } : { instant: utc(v) }));

type Bound = { date: string } | { instant: string };

/** A date and an instant are not compared: which comes first depends on each property's zone. */
function boundsInOrder({ from, to }: { from?: Bound; to?: Bound }): boolean {
  if (!from || !to) return true;
  if ('date' in from && 'date' in to) return to.date > from.date;
  if ('instant' in from && 'instant' in to) return to.instant > from.instant;
  return true;
}

const listInput = z
  .strictObject({
    assigneeId: id().optional(),
    /** Only the caller's own tasks. */
    mine: bool().optional(),
    status: z
      .array(enumOf(TASK_STATUSES), { error: 'must be a list of statuses' })
      .min(1, 'must name at least one status')
      .optional(),
    type: enumOf(TASK_TYPES).optional(),
    propertyId: id().optional(),
    reservationId: id().optional(),
    /** scheduledAt within [from, to). */
    from: bound().optional(),
    to: bound().optional(),
    limit: pageSize(),
    cursor: z.string({ error: 'must be a cursor from a previous page' }).optional(),
  })
  .refine(boundsInOrder, { error: 'must be after the start of the range', path: ['to'] })
  .prefault({});

// Sorted by scheduledAt, unscheduled tasks last, then id; the keyset follows the same order.
function cursorCondition(cursor: string): SQL | undefined {
  const values = decodeCursor(cursor);
  const [scheduledAt, lastId] = values ?? [];
  if (
    values?.length !== 2 ||
    typeof lastId !== 'string' ||
    !(scheduledAt === null || typeof scheduledAt === 'string')
  ) {
    throw invalid('cursor', 'must be a cursor from a previous page');
  }
  if (scheduledAt === null) return and(isNull(tasks.scheduledAt), gt(tasks.id, lastId));
  return or(
    isNull(tasks.scheduledAt),
    gt(tasks.scheduledAt, scheduledAt),
    and(eq(tasks.scheduledAt, scheduledAt), gt(tasks.id, lastId)),
  );
}

/**
 * scheduledAt on the right side of a bound. A calendar date is resolved in each location's zone
 * (with Temporal), and the widest of those instants also bounds the scan so the index is used.
 */
function boundCondition(ctx: OperationContext, bound: Bound, side: 'from' | 'to'): SQL | undefined {
  const compare = side === 'from' ? gte : lt;
  if ('instant' in bound) return and(isNotNull(tasks.scheduledAt), compare(tasks.scheduledAt, bound.instant));
  const zones = ctx.db
    .selectDistinct({ timeZone: locations.timeZone })
    .from(locations)
    .all()
    .map((l) => l.timeZone);
  if (zones.length === 0) return sql`0 = 1`;
  const starts = zones.map((zone) => startOfDay(bound.date, zone)).sort();
  const widest = side === 'from' ? starts[0]! : starts.at(-1)!;
  const byZone = zones.map((zone) =>
    and(
      sql`${tasks.propertyId} IN (SELECT p.id FROM properties p JOIN locations l ON l.id = p.location_id WHERE l.time_zone = ${zone})`,
      compare(tasks.scheduledAt, startOfDay(bound.date, zone)),
    ),
  );
  return and(
    isNotNull(tasks.scheduledAt),
    side === 'from' ? gte(tasks.scheduledAt, widest) : lt(tasks.scheduledAt, widest),
    zones.length === 1 ? byZone[0] : or(...byZone),
  );
}

// ---- who may do a task ----

/** The people the rulebook lets take tasks (db/rules/tasks.ts). */
const ASSIGNABLE_ROLES = ['CLEANER', 'MAINTENANCE_STAFF', 'AGENT', 'MANAGER'] as const satisfies readonly UserRole[];

/**
 * Whose work each type of task is: offered first when assigning it. Others may still take it,
 * within the rulebook's limits (field staff take only their own kind of work: mayTakeTask).
 */
const DOERS: Record<TaskType, readonly UserRole[]> = {
  CLEANING: ['CLEANER'],
  MAINTENANCE: ['MAINTENANCE_STAFF'],
  INSPECTION: ['MAINTENANCE_STAFF', 'MANAGER'],
  DELIVERY: ['AGENT', 'MANAGER'],
  GUEST_MEETING: ['AGENT', 'MANAGER'],
  CHECK_IN: ['AGENT', 'MANAGER'],
  CHECK_OUT: ['AGENT', 'MANAGER'],
  PHOTOGRAPHY: ['AGENT', 'MANAGER'],
  MARKETING: ['AGENT', 'MANAGER'],
};

const assigneesInput = z.strictObject({
  type: enumOf(TASK_TYPES).optional(),
  /** The task's property: people who work in its location come next. */
  propertyId: id().optional(),
  search: text(100).optional(),
});

/**
 * Where each person works: the location of most of their tasks, or, for an agent with none, of
 * most of the properties they look after. A person has no address of their own in Roomy.
 */
function workLocations(ctx: OperationContext, ids: string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const byTasks = ctx.db
    .select({ personId: tasks.assigneeId, locationId: properties.locationId, n: count() })
    .from(tasks)
    .innerJoin(properties, eq(properties.id, tasks.propertyId))
    .where(inArray(tasks.assigneeId, ids))
    .groupBy(tasks.assigneeId, properties.locationId)
    .all();
  const byProperties = ctx.db
    .select({ personId: properties.agentId, locationId: properties.locationId, n: count() })
    .from(properties)
    .where(inArray(properties.agentId, ids))
    .groupBy(properties.agentId, properties.locationId)
    .all();
  const best = new Map<string, { locationId: string; n: number }>();
  for (const rows of [byProperties, byTasks]) {
    const found = new Map<string, { locationId: string; n: number }>();
    for (const row of rows) {
      if (!row.personId) continue;
      const known = found.get(row.personId);
      if (!known || row.n > known.n) found.set(row.personId, { locationId: row.locationId, n: row.n });
    }
    // Tasks tell where someone works better than the properties on their name.
    for (const [personId, place] of found) best.set(personId, place);
  }
  return new Map([...best].map(([personId, place]) => [personId, place.locationId]));
}

// ---- what the person doing a task needs ----

/**
 * The next guests at the task's property from the task's day (or today, if that is later): only
 * the day and how many, which is all the person preparing the place may know of them.
 */
function nextArrival(ctx: OperationContext, task: Task, timeZone: string): { checkIn: string; guests: number } | null {
  const today = todayIn(timeZone, ctx.now());
  const scheduledDay = task.scheduledAt
    ? Temporal.Instant.from(task.scheduledAt).toZonedDateTimeISO(timeZone).toPlainDate().toString()
    : today;
  const from = scheduledDay > today ? scheduledDay : today;
  return (
    ctx.db
      .select({ checkIn: reservations.checkIn, guests: reservations.guests })
      .from(reservations)
      .where(
        and(
          eq(reservations.propertyId, task.propertyId),
          notInArray(reservations.status, ['CANCELLED', 'NO_SHOW', 'CHECKED_OUT']),
          gte(reservations.checkIn, from),
        ),
      )
      .orderBy(asc(reservations.checkIn))
      .limit(1)
      .get() ?? null
  );
}

// ---- the operations ----

export const taskOperations = {
  'tasks/list': defineOperation({
    input: listInput,
    run: (ctx, input) => {
      const filters = [
        ctx.scope('tasks'),
        input.mine ? eq(tasks.assigneeId, ctx.identity.userId) : undefined,
        input.assigneeId ? eq(tasks.assigneeId, input.assigneeId) : undefined,
        input.status ? inArray(tasks.status, input.status) : undefined,
        input.type ? eq(tasks.type, input.type) : undefined,
        input.propertyId ? eq(tasks.propertyId, input.propertyId) : undefined,
        input.reservationId ? eq(tasks.reservationId, input.reservationId) : undefined,
        input.from ? boundCondition(ctx, input.from, 'from') : undefined,
        input.to ? boundCondition(ctx, input.to, 'to') : undefined,
      ];
      const rows = ctx.db
        .select({
          task: tasks,
          propertyName: properties.name,
          assigneeName: sql<string | null>`${users.firstName} || ' ' || ${users.lastName}`,
        })
        .from(tasks)
        .innerJoin(properties, eq(properties.id, tasks.propertyId))
        .leftJoin(users, eq(users.id, tasks.assigneeId))
        .where(and(...filters, input.cursor ? cursorCondition(input.cursor) : undefined))
        .orderBy(sql`${tasks.scheduledAt} IS NULL`, asc(tasks.scheduledAt), asc(tasks.id))
        .limit(input.limit + 1)
        .all();
      const page = rows.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: page.map(({ task, propertyName, assigneeName }) => ({
          ...visibleRow('tasks', ctx.identity.role, task),
          propertyName,
          assigneeName,
        })),
        nextCursor: rows.length > input.limit && last ? encodeCursor([last.task.scheduledAt, last.task.id]) : null,
        total:
          ctx.db
            .select({ n: count() })
            .from(tasks)
            .where(and(...filters))
            .get()?.n ?? 0,
      };
    },
  }),

  'tasks/get': defineOperation({
    input: byId,
    run: (ctx, input) => {
      const task = findInScope(ctx, 'tasks', input.id, 'Task');
      const place = ctx.db
        .select({
          name: properties.name,
          address: properties.address,
          accessNotes: properties.accessNotes,
          houseRules: properties.houseRules,
          locationName: locations.name,
          timeZone: locations.timeZone,
        })
        .from(properties)
        .innerJoin(locations, eq(locations.id, properties.locationId))
        .where(eq(properties.id, task.propertyId))
        .get();
      const assignee = task.assigneeId
        ? ctx.db
            .select({ firstName: users.firstName, lastName: users.lastName })
            .from(users)
            .where(eq(users.id, task.assigneeId))
            .get()
        : undefined;
      const timeZone = place?.timeZone ?? 'UTC';
      return {
        ...visibleRow('tasks', ctx.identity.role, task),
        propertyName: place?.name ?? null,
        assigneeName: assignee ? `${assignee.firstName} ${assignee.lastName}` : null,
        // What the person doing the task needs at the door; a property's operational columns.
        property: place
          ? {
              address: place.address,
              accessNotes: place.accessNotes,
              houseRules: place.houseRules,
              locationName: place.locationName,
              timeZone,
            }
          : null,
        nextArrival: nextArrival(ctx, task, timeZone),
        checklist: TASK_CHECKLISTS[task.type],
      };
    },
  }),

  'tasks/create': defineOperation({
    input: taskCreate,
    run: (ctx, input) =>
      ctx.change((w) => {
        findInScope(ctx, 'properties', input.propertyId, 'Property');
        const status = input.status ?? 'PENDING';
        const times = normalizedTimes(input);
        return w.insert('tasks', {
          ...input,
          ...times,
          status,
          completedAt: status === 'COMPLETED' ? (times.completedAt ?? w.now) : (times.completedAt ?? null),
        });
      }),
  }),

  'tasks/update': defineOperation({
    input: z.strictObject({ id: id(), changes: taskUpdate, expected: expectedValues.optional() }),
    run: (ctx, { id: taskId, changes, expected }) =>
      ctx.change((w) => {
        const current = findInScope(ctx, 'tasks', taskId, 'Task');
        const status: TaskStatus = changes.status ?? current.status;
        const times = normalizedTimes(changes);
        if (status === 'COMPLETED' && current.status !== 'COMPLETED') times.completedAt ??= w.now;
        // Another type of task has other steps: its ticks start again.
        const retyped = changes.type && changes.type !== current.type && current.checklistDone.length > 0;
        const steps = retyped ? { checklistDone: changes.checklistDone ?? [] } : {};
        return w.update('tasks', current.id, { ...changes, ...times, ...steps }, expected);
      }),
  }),

  'tasks/assignees': defineOperation({
    input: assigneesInput,
    run: (ctx, input) => {
      const property = input.propertyId ? findInScope(ctx, 'properties', input.propertyId, 'Property') : null;
      const pattern = input.search ? likePattern(input.search) : undefined;
      const people = ctx.db
        .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, role: users.role })
        .from(users)
        .where(
          and(
            ctx.scope('users'),
            inArray(users.role, [...ASSIGNABLE_ROLES]),
            eq(users.status, 'ACTIVE'),
            pattern
              ? or(
                  sql`(${users.firstName} || ' ' || ${users.lastName}) LIKE ${pattern} ESCAPE '\\'`,
                  sql`${users.email} LIKE ${pattern} ESCAPE '\\'`,
                )
              : undefined,
          ),
        )
        .all();
      const ids = people.map((p) => p.id);
      const places = workLocations(ctx, ids);
      const names = new Map(
        ctx.db
          .select({ id: locations.id, name: locations.name })
          .from(locations)
          .all()
          .map((l) => [l.id, l.name]),
      );
      const open = new Map(
        ids.length === 0
          ? []
          : ctx.db
              .select({ personId: tasks.assigneeId, n: count() })
              .from(tasks)
              .where(and(inArray(tasks.assigneeId, ids), inArray(tasks.status, [...OPEN_TASK_STATUSES])))
              .groupBy(tasks.assigneeId)
              .all()
              .map((row) => [row.personId, row.n]),
      );
      const doers = input.type ? DOERS[input.type] : [];
      const items = people.map((person) => {
        const locationId = places.get(person.id) ?? null;
        return {
          ...person,
          locationName: locationId ? (names.get(locationId) ?? null) : null,
          /** The rulebook lets them take this type of task. */
          eligible: input.type ? mayTakeTask(person.role, input.type) : true,
          /** Their kind of work, for this type of task. */
          suited: doers.includes(person.role),
          /** They work where the task's property is. */
          nearby: Boolean(property && locationId === property.locationId),
          openTasks: open.get(person.id) ?? 0,
        };
      });
      const rank = (p: (typeof items)[number]) => (p.suited ? 0 : 2) + (p.nearby ? 0 : 1);
      items.sort(
        (a, b) => rank(a) - rank(b) || a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName),
      );
      return { items };
    },
  }),

  'tasks/assign': defineOperation({
    input: z.strictObject({ id: id(), assigneeId: id().nullable() }),
    run: (ctx, input) =>
      ctx.change((w) => {
        const current = findInScope(ctx, 'tasks', input.id, 'Task');
        return w.update('tasks', current.id, { assigneeId: input.assigneeId });
      }),
  }),

  'tasks/set-status': defineOperation({
    input: z.strictObject({ id: id(), status: enumOf(TASK_STATUSES) }),
    run: (ctx, input) =>
      ctx.change((w): Task => {
        // For field staff the scope is their own tasks: anyone else's is not_found here.
        const current = findInScope(ctx, 'tasks', input.id, 'Task');
        const updated = w.update('tasks', current.id, {
          status: input.status,
          ...(input.status === 'COMPLETED' ? { completedAt: w.now } : {}),
        });
        return visibleRow('tasks', ctx.identity.role, updated);
      }),
  }),

  /** Ticks or unticks one step of the task's checklist; the office sees how far the work is. */
  'tasks/check-step': defineOperation({
    input: z.strictObject({ id: id(), step: text(200), done: bool() }),
    run: (ctx, input) => {
      // For field staff the scope is their own tasks: anyone else's is not_found here.
      const current = findInScope(ctx, 'tasks', input.id, 'Task');
      const ticked = new Set(current.checklistDone);
      if (input.done) ticked.add(input.step);
      else ticked.delete(input.step);
      // In the checklist's order, so the same ticks are the same list whoever made them; a step
      // that is not on the checklist stays in, for the rulebook to refuse by name.
      const steps = TASK_CHECKLISTS[current.type];
      const checklistDone = [...steps.filter((s) => ticked.has(s)), ...[...ticked].filter((s) => !steps.includes(s))];
      // A tick that changes nothing (a second click, a retry) writes nothing.
      if (checklistDone.join('\n') === current.checklistDone.join('\n'))
        return visibleRow('tasks', ctx.identity.role, current);
      return ctx.change((w): Task =>
        visibleRow('tasks', ctx.identity.role, w.update('tasks', current.id, { checklistDone })),
      );
    },
  }),
};
