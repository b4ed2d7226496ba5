// Tasks: the office's list and board, with filters, assignment and status changes; for
// cleaners and maintenance staff, their own tasks and the three moves they may make.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import { taskCreate } from '../../db/contracts/entities.js';
import { TASK_PRIORITIES, TASK_STATUSES, TASK_TYPES, type TaskStatus } from '../../db/domain/enums.js';
import { FIELD_STAFF_TASK_STATUSES, nextTaskStatuses } from '../../db/domain/task-states.js';
import type { InputOf } from '../../main/contract.js';
import { callOrThrow, useOperation } from '../api/operations.js';
import { isFieldStaff, useCan, useIdentity } from '../app/session.js';
import { formatInstant, label, today } from '../format.js';
import { addDays } from '../../db/domain/dates.js';
import { FormError, orNull, orUndefined, useContractForm } from '../ui/contract-form.js';
import { Page, useNarrow } from '../ui/page.js';
import { PagedTable, usePagedList, type ItemOf, type PagedList } from '../ui/paged-table.js';
import { Pager } from '../ui/pager.js';
import { AssigneeSelect, PropertySelect } from '../ui/pickers.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty, QueryView } from '../ui/states.js';

type TaskRow = ItemOf<'tasks/list'>;
type ListFilters = Omit<InputOf<'tasks/list'>, 'cursor' | 'limit'>;

const MOVE_LABELS: Record<TaskStatus, string> = {
  PENDING: 'Back to pending',
  IN_PROGRESS: 'Start',
  COMPLETED: 'Complete',
  ON_HOLD: 'Put on hold',
  CANCELLED: 'Cancel',
};

/** The status moves the signed-in user may make on a task. */
function useMoves(): (task: Pick<TaskRow, 'status'>) => TaskStatus[] {
  const { role } = useIdentity();
  return (task) =>
    nextTaskStatuses(task.status).filter(
      (s) => !isFieldStaff(role) || (FIELD_STAFF_TASK_STATUSES as readonly string[]).includes(s),
    );
}

export function TaskActions({ task }: { task: Pick<TaskRow, 'id' | 'title' | 'status'> }) {
  const moves = useMoves();
  const [busy, setBusy] = useState(false);
  const move = async (status: TaskStatus) => {
    setBusy(true);
    try {
      await callOrThrow('tasks/set-status', { id: task.id, status });
      notifications.show({ message: `${task.title}: ${label(status).toLowerCase()}.` });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not changed', message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const available = moves(task);
  if (available.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap" onClick={(e) => e.stopPropagation()}>
      {available.map((status) => (
        <Button
          key={status}
          size="compact-xs"
          variant={status === 'COMPLETED' || status === 'IN_PROGRESS' ? 'light' : 'subtle'}
          color={status === 'CANCELLED' ? 'red' : undefined}
          loading={busy}
          onClick={() => void move(status)}
        >
          {MOVE_LABELS[status]}
        </Button>
      ))}
    </Group>
  );
}

function AssignMenu({ task }: { task: TaskRow }) {
  const [open, setOpen] = useState(false);
  const [assignee, setAssignee] = useState<string | null>(task.assigneeId);
  const [error, setError] = useState<string | null>(null);
  if (task.status === 'COMPLETED' || task.status === 'CANCELLED') return null;
  const save = async () => {
    try {
      await callOrThrow('tasks/assign', { id: task.id, assigneeId: assignee });
      setOpen(false);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Button size="compact-xs" variant="default" onClick={(e) => (e.stopPropagation(), setOpen(true))}>
        Assign
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Assign “${task.title}”`}>
        <Stack>
          <AssigneeSelect
            label="Assignee"
            type={task.type}
            propertyId={task.propertyId}
            clearable
            value={assignee}
            onChange={setAssignee}
          />
          <FormError message={error} />
          <Button onClick={() => void save()}>Save</Button>
        </Stack>
      </Modal>
    </>
  );
}

/** A task's title, opening its page. */
function TaskLink({ task }: { task: Pick<TaskRow, 'id' | 'title'> }) {
  return (
    <Anchor component={Link} to={`/tasks/${task.id}`} size="sm" fw={600}>
      {task.title}
    </Anchor>
  );
}

export function TaskTable({ filters }: { filters: ListFilters }) {
  const can = useCan();
  const narrow = useNarrow();
  const list = usePagedList('tasks/list', filters, 25);
  if (narrow) return <TaskCards list={list} />;
  const columns: ColumnDef<TaskRow, unknown>[] = [
    { id: 'when', header: 'Scheduled', cell: ({ row }) => formatInstant(row.original.scheduledAt) },
    {
      id: 'title',
      header: 'Task',
      cell: ({ row }) => (
        <Stack gap={0}>
          <TaskLink task={row.original} />
          <Text size="xs" c="dimmed">
            {label(row.original.type)} · {row.original.propertyName}
            {row.original.assigneeName ? ` · ${row.original.assigneeName}` : ' · unassigned'}
          </Text>
        </Stack>
      ),
    },
    { id: 'priority', header: 'Priority', cell: ({ row }) => <StatusBadge status={row.original.priority} /> },
    { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      id: 'actions',
      header: '',
      cell: ({ row }) => (
        <Group gap={4} wrap="nowrap">
          <TaskActions task={row.original} />
          {can('tasks/assign') && <AssignMenu task={row.original} />}
        </Group>
      ),
    },
  ];
  return (
    <PagedTable
      list={list}
      loading="Loading tasks…"
      label="Tasks"
      columns={columns}
      rowKey={(t) => t.id}
      empty={<Empty title="No tasks here">Tasks matching these filters appear here.</Empty>}
    />
  );
}

/** The list at phone width: one card a task, its title opening the task's page. */
function TaskCards({ list }: { list: PagedList<TaskRow> }) {
  const can = useCan();
  return (
    <QueryView query={list.query} loading="Loading tasks…">
      {(data) =>
        data.items.length === 0 ? (
          <Empty title="No tasks here">Tasks matching these filters appear here.</Empty>
        ) : (
          <Stack gap="sm" role="list" aria-label="Tasks">
            {data.items.map((task) => (
              <Card key={task.id} withBorder padding="sm" role="listitem">
                <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                  <TaskLink task={task} />
                  <StatusBadge status={task.status} />
                </Group>
                <Text size="xs" c="dimmed">
                  {formatInstant(task.scheduledAt)} · {label(task.type)} · {task.propertyName}
                </Text>
                <Group gap={4} mt={6} wrap="wrap">
                  <TaskActions task={task} />
                  {can('tasks/assign') && <AssignMenu task={task} />}
                </Group>
              </Card>
            ))}
            <Pager
              page={list.pages.page}
              pageSize={list.limit}
              nextCursor={data.nextCursor}
              onNext={list.pages.next}
              onPrevious={list.pages.previous}
              shown={data.items.length}
              total={data.total}
            />
          </Stack>
        )
      }
    </QueryView>
  );
}

const BOARD_COLUMNS: TaskStatus[] = ['PENDING', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED'];

function TaskBoard({ filters }: { filters: ListFilters }) {
  return (
    <div className="board">
      {BOARD_COLUMNS.map((status) => (
        <BoardColumn key={status} status={status} filters={filters} />
      ))}
    </div>
  );
}

/** Done work stays on the board for two weeks; the list shows all of it. */
const RECENTLY_DONE_DAYS = 14;

function BoardColumn({ status, filters }: { status: TaskStatus; filters: ListFilters }) {
  const can = useCan();
  const recent = status === 'COMPLETED' ? { from: addDays(today(), -RECENTLY_DONE_DAYS) } : {};
  const list = useOperation('tasks/list', { ...filters, ...recent, status: [status], limit: 50 });
  return (
    <Stack gap="xs" data-testid={`board-${status}`}>
      <Group gap="xs">
        <Title order={5}>
          {label(status)}
          {status === 'COMPLETED' ? ' (last two weeks)' : ''}
        </Title>
        {list.data && (
          <Badge variant="light">
            {list.data.items.length}
            {list.data.nextCursor ? '+' : ''}
          </Badge>
        )}
      </Group>
      <QueryView query={list}>
        {(data) =>
          data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              None
            </Text>
          ) : (
            data.items.map((task) => (
              <Card key={task.id} withBorder padding="xs">
                <TaskLink task={task} />
                <Text size="xs" c="dimmed">
                  {label(task.type)} · <Link to={`/properties/${task.propertyId}`}>{task.propertyName}</Link>
                </Text>
                <Text size="xs" c="dimmed">
                  {formatInstant(task.scheduledAt)} · {task.assigneeName ?? 'unassigned'}
                </Text>
                <Group gap={4} mt={6} wrap="wrap">
                  <TaskActions task={task} />
                  {can('tasks/assign') && <AssignMenu task={task} />}
                </Group>
              </Card>
            ))
          )
        }
      </QueryView>
    </Stack>
  );
}

export function TasksScreen() {
  const identity = useIdentity();
  const can = useCan();
  const fieldStaff = isFieldStaff(identity.role);
  const narrow = useNarrow();
  const [chosenView, setView] = useState<'list' | 'board'>(fieldStaff ? 'list' : 'board');
  // Four columns side by side do not fit a phone.
  const view = narrow ? 'list' : chosenView;
  const [mine, setMine] = useState(fieldStaff);
  const [type, setType] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(fieldStaff ? 'open' : null);
  const [propertyId, setPropertyId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const filters: ListFilters = {
    mine: mine || undefined,
    type: (type as (typeof TASK_TYPES)[number]) ?? undefined,
    status: status === 'open' ? ['PENDING', 'IN_PROGRESS', 'ON_HOLD'] : status ? [status as TaskStatus] : undefined,
    propertyId: propertyId ?? undefined,
  };
  return (
    <Page
      title={fieldStaff ? 'My tasks' : 'Tasks'}
      actions={
        <>
          {!narrow && (
            <SegmentedControl
              aria-label="View"
              value={view}
              onChange={(v) => setView(v as 'list' | 'board')}
              data={[
                { value: 'board', label: 'Board' },
                { value: 'list', label: 'List' },
              ]}
            />
          )}
          {can('tasks/create') && <Button onClick={() => setCreating(true)}>New task</Button>}
        </>
      }
    >
      <Group align="flex-end" wrap="wrap">
        {!fieldStaff && <Switch label="Only mine" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />}
        <Select
          label="Type"
          clearable
          data={TASK_TYPES.map((t) => ({ value: t, label: label(t) }))}
          value={type}
          onChange={setType}
          w={180}
        />
        {view === 'list' && (
          <Select
            label="Status"
            clearable
            data={[
              { value: 'open', label: 'Still to do' },
              ...TASK_STATUSES.map((s) => ({ value: s, label: label(s) })),
            ]}
            value={status}
            onChange={setStatus}
            w={180}
          />
        )}
        <PropertySelect label="Property" clearable value={propertyId} onChange={setPropertyId} w={220} />
      </Group>
      {view === 'board' ? <TaskBoard filters={filters} /> : <TaskTable filters={filters} />}
      <Modal opened={creating} onClose={() => setCreating(false)} title="New task" size="lg">
        {creating && <TaskForm onSaved={() => setCreating(false)} />}
      </Modal>
    </Page>
  );
}

/** A datetime-local value (the user's own clock) as an ISO instant. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : null);

function TaskForm({ onSaved }: { onSaved: () => void }) {
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: {
      propertyId: '',
      type: 'CLEANING',
      title: '',
      description: '',
      priority: 'MEDIUM',
      assigneeId: null as string | null,
      scheduledAt: '',
      dueAt: '',
      estimatedCostMinor: '',
      currency: '',
    },
    schema: taskCreate,
    toInput: (v, convert) => ({
      propertyId: orUndefined(v.propertyId) as string,
      type: v.type as (typeof TASK_TYPES)[number],
      title: v.title.trim(),
      description: orNull(v.description),
      priority: v.priority as (typeof TASK_PRIORITIES)[number],
      assigneeId: v.assigneeId,
      scheduledAt: toInstant(v.scheduledAt),
      dueAt: toInstant(v.dueAt),
      estimatedCostMinor: convert.money('estimatedCostMinor', v.estimatedCostMinor, v.currency),
      currency: orNull(v.currency),
    }),
    action: async (input) => {
      await callOrThrow('tasks/create', input);
      notifications.show({ color: 'green', message: 'Task created.' });
      onSaved();
    },
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Grid>
          <Grid.Col span={12}>
            <PropertySelect
              label="Property"
              required
              {...form.getInputProps('propertyId')}
              value={form.getValues().propertyId || null}
              onChange={(v) => form.setFieldValue('propertyId', v ?? '')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <TextInput label="Title" required {...form.getInputProps('title')} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 4 }}>
            <Select
              label="Type"
              data={TASK_TYPES.map((t) => ({ value: t, label: label(t) }))}
              allowDeselect={false}
              {...form.getInputProps('type')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 4 }}>
            <Select
              label="Priority"
              data={TASK_PRIORITIES.map((t) => ({ value: t, label: label(t) }))}
              allowDeselect={false}
              {...form.getInputProps('priority')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <AssigneeSelect
              label="Assignee"
              type={form.values.type as (typeof TASK_TYPES)[number]}
              propertyId={form.values.propertyId || null}
              clearable
              {...form.getInputProps('assigneeId')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6 }}>
            <TextInput type="datetime-local" label="Scheduled" {...form.getInputProps('scheduledAt')} />
          </Grid.Col>
          <Grid.Col span={{ base: 6 }}>
            <TextInput type="datetime-local" label="Due" {...form.getInputProps('dueAt')} />
          </Grid.Col>
          <Grid.Col span={{ base: 8 }}>
            <TextInput label="Estimated cost" inputMode="decimal" {...form.getInputProps('estimatedCostMinor')} />
          </Grid.Col>
          <Grid.Col span={{ base: 4 }}>
            <TextInput label="Currency" maxLength={3} {...form.getInputProps('currency')} />
          </Grid.Col>
          <Grid.Col span={12}>
            <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
          </Grid.Col>
        </Grid>
        <FormError message={formError} />
        <Button type="submit" loading={submitting}>
          Create task
        </Button>
      </Stack>
    </form>
  );
}
