// Tasks: cleaning, maintenance and the other work done at a property. The office plans and
// assigns them; cleaners and maintenance staff see only their own and move them along. What a task
// must keep (who may do it, its stay, its times, its life cycle) is the rulebook's (db/rules/tasks.ts).
import { and, asc, eq, gt, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { expectedValues, taskCreate, taskUpdate } from '../../db/contracts/entities.js';
import { bool, enumOf, id, instant, RANGE_IN_ORDER, rangeInOrder } from '../../db/contracts/fields.js';
import { isCalendarDate } from '../../db/domain/dates.js';
import { TASK_STATUSES, TASK_TYPES, type TaskStatus } from '../../db/domain/enums.js';
import { properties, tasks, users } from '../../db/schema/sqlite.js';
import { invalid } from '../core/errors.js';
import { defineOperation } from '../core/operation.js';
import { decodeCursor, encodeCursor, findInScope, pageSize } from '../core/queries.js';
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

/** A bound of a time range: an ISO instant, or a calendar date meaning its midnight UTC. */
const bound = () =>
  z
    .string({ error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' })
    .refine(
      (v) => isCalendarDate(v) || instant().safeParse(v).success,
      'must be a date (YYYY-MM-DD) or an ISO 8601 date-time',
    )
    .transform((v) => (isCalendarDate(v) ? `${v}T00:00:00.000Z` : utc(v)));

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
  .refine(rangeInOrder, RANGE_IN_ORDER)
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

// ---- the operations ----

export const taskOperations = {
  'tasks/list': defineOperation({
    input: listInput,
    run: (ctx, input) => {
      const conditions = [
        ctx.scope('tasks'),
        input.mine ? eq(tasks.assigneeId, ctx.identity.userId) : undefined,
        input.assigneeId ? eq(tasks.assigneeId, input.assigneeId) : undefined,
        input.status ? inArray(tasks.status, input.status) : undefined,
        input.type ? eq(tasks.type, input.type) : undefined,
        input.propertyId ? eq(tasks.propertyId, input.propertyId) : undefined,
        input.reservationId ? eq(tasks.reservationId, input.reservationId) : undefined,
        input.from ? and(isNotNull(tasks.scheduledAt), sql`${tasks.scheduledAt} >= ${input.from}`) : undefined,
        input.to ? and(isNotNull(tasks.scheduledAt), sql`${tasks.scheduledAt} < ${input.to}`) : undefined,
        input.cursor ? cursorCondition(input.cursor) : undefined,
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
        .where(and(...conditions))
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
      };
    },
  }),

  'tasks/get': defineOperation({
    input: byId,
    run: (ctx, input) => {
      const task = findInScope(ctx, 'tasks', input.id, 'Task');
      const property = ctx.db
        .select({ name: properties.name })
        .from(properties)
        .where(eq(properties.id, task.propertyId))
        .get();
      return { ...visibleRow('tasks', ctx.identity.role, task), propertyName: property?.name ?? null };
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
        return w.update('tasks', current.id, { ...changes, ...times }, expected);
      }),
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
};
