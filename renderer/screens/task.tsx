// One task's page, made for the person who does it, on a phone as well as at a desk: where to go
// and how to get in, when the next guests arrive and how many (never who they are), the steps
// to follow, the office's notes, and the moves they may make.
import { Anchor, Card, Checkbox, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { OutputOf } from '../../main/contract.js';
import { callOrThrow, useOperation } from '../api/operations.js';
import { isFieldStaff, useCan, useIdentity } from '../app/session.js';
import { daysBetween, formatDate, formatInstant, label, money, relativeDays, today } from '../format.js';
import { Page } from '../ui/page.js';
import { StatusBadge } from '../ui/status-badge.js';
import { QueryView } from '../ui/states.js';
import { TaskActions } from './tasks.js';

type TaskPage = OutputOf<'tasks/get'>;

/** Long codes and addresses wrap rather than widen the page. */
const wrap = { overflowWrap: 'anywhere' } as const;

function Detail({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {title}
      </Text>
      <Text size="sm" component="div" style={wrap}>
        {children}
      </Text>
    </div>
  );
}

export function TaskScreen() {
  const { id = '' } = useParams();
  const identity = useIdentity();
  const task = useOperation('tasks/get', { id });
  const back = isFieldStaff(identity.role) ? 'My tasks' : 'Tasks';
  return (
    <QueryView query={task} loading="Loading the task…">
      {(t) => (
        <Page title={t.title} back={{ to: '/tasks', label: back }}>
          <Group gap="xs" wrap="wrap">
            <StatusBadge status={t.status} testId="task-status" />
            <StatusBadge status={t.priority} />
            <Text size="sm" c="dimmed">
              {label(t.type)}
            </Text>
          </Group>
          <TaskActions task={t} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Where task={t} />
            <When task={t} />
          </SimpleGrid>
          <Checklist key={t.id} task={t} />
          {(t.description || t.notes) && (
            <Card withBorder>
              <Stack gap="sm">
                {t.description && <Detail title="What to do">{t.description}</Detail>}
                {t.notes && <Detail title="Notes">{t.notes}</Detail>}
              </Stack>
            </Card>
          )}
        </Page>
      )}
    </QueryView>
  );
}

function Where({ task }: { task: TaskPage }) {
  const can = useCan();
  const { property } = task;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>Where</Title>
        <Detail title="Property">
          {can('properties/get') ? (
            <Anchor component={Link} to={`/properties/${task.propertyId}`} size="sm">
              {task.propertyName}
            </Anchor>
          ) : (
            task.propertyName
          )}
        </Detail>
        <Detail title="Address">
          {property?.address ?? '—'}
          {property?.locationName ? ` (${property.locationName})` : ''}
        </Detail>
        <Detail title="Access notes">{property?.accessNotes || 'None: ask the office how to get in'}</Detail>
        {property && property.houseRules.length > 0 && (
          <Detail title="House rules">{property.houseRules.join(' · ')}</Detail>
        )}
      </Stack>
    </Card>
  );
}

function When({ task }: { task: TaskPage }) {
  const arrival = task.nextArrival;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>When</Title>
        <Detail title="Scheduled">{formatInstant(task.scheduledAt)}</Detail>
        {task.dueAt && <Detail title="Done by">{formatInstant(task.dueAt)}</Detail>}
        <Detail title="Next arrival">
          <span data-testid="next-arrival">
            {arrival
              ? `${formatDate(arrival.checkIn)} (${relativeDays(daysBetween(today(), arrival.checkIn))}) · ` +
                `${arrival.guests} ${arrival.guests === 1 ? 'guest' : 'guests'}`
              : 'No guests booked yet'}
          </span>
        </Detail>
        <Detail title="Assigned to">{task.assigneeName ?? 'Nobody yet'}</Detail>
        {'estimatedCostMinor' in task && task.estimatedCostMinor != null && (
          <Detail title="Estimated cost">{money(task.estimatedCostMinor, task.currency)}</Detail>
        )}
      </Stack>
    </Card>
  );
}

/**
 * The steps of this type of task, ticked as the work goes: the ticks are kept on the task, so they
 * follow the person to another device and the office sees how far the work is.
 */
function Checklist({ task }: { task: TaskPage }) {
  const can = useCan();
  // Ticks sent and not yet answered show as the person made them, whatever is read meanwhile: a
  // read that left before a tick was saved must not take it back off the screen.
  const [sent, setSent] = useState<ReadonlyMap<string, { done: boolean; call: number }>>(new Map());
  // The answer to the latest tick is the task's newest state until the task is read again.
  const [answered, setAnswered] = useState<readonly string[] | null>(null);
  const calls = useRef(0);
  useEffect(() => setAnswered(null), [task.checklistDone]);
  const open = task.status !== 'COMPLETED' && task.status !== 'CANCELLED';
  const editable = open && can('tasks/check-step');
  const saved = answered ?? task.checklistDone;
  const ticked = task.checklist.filter((step) => sent.get(step)?.done ?? saved.includes(step));
  const toggle = async (step: string, done: boolean) => {
    const call = ++calls.current;
    setSent((now) => new Map(now).set(step, { done, call }));
    try {
      const answer = await callOrThrow('tasks/check-step', { id: task.id, step, done });
      if (call === calls.current) setAnswered(answer.checklistDone);
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not ticked', message: (error as Error).message });
    } finally {
      // Only this tick settles: a later tick of the same step stays as sent.
      setSent((now) => {
        if (now.get(step)?.call !== call) return now;
        const rest = new Map(now);
        rest.delete(step);
        return rest;
      });
    }
  };
  if (task.checklist.length === 0) return null;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={4}>Checklist</Title>
          <Text size="sm" c="dimmed" data-testid="checklist-progress">
            {ticked.length} of {task.checklist.length} done
          </Text>
        </Group>
        <List listStyleType="none" spacing="xs" aria-label="Checklist">
          {task.checklist.map((step) => (
            <List.Item key={step}>
              <Checkbox
                label={step}
                checked={ticked.includes(step)}
                disabled={!editable}
                onChange={(e) => void toggle(step, e.currentTarget.checked)}
                styles={{ label: wrap }}
              />
            </List.Item>
          ))}
        </List>
        {open && (
          <Text size="xs" c="dimmed">
            Mark the task complete when every step is done.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
