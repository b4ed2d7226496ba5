// The sync status in the header: whether this computer reaches its office's sync server, what
// still waits to go up, when it last heard from the server, and what went wrong last. A computer
// that works alone only says so, quietly.
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { OutputOf } from '../../main/contract.js';
import { useAction, useOperation } from '../api/operations.js';
import { locale } from '../format.js';

export type SyncStatus = OutputOf<'sync/status'>;
type ServerStatus = Extract<SyncStatus, { mode: 'server' }>;

const STATES: Record<ServerStatus['state'], { label: string; color: string }> = {
  connecting: { label: 'Connecting…', color: 'blue' },
  online: { label: 'Online', color: 'green' },
  offline: { label: 'Offline', color: 'orange' },
  'needs-sign-in': { label: 'Sign in again to sync', color: 'red' },
  stopped: { label: 'Not syncing', color: 'gray' },
};

/**
 * The signed-in user's sync status. Main reports every change of state; while synced it is also
 * read again now and then, so "last synced" stays true while nothing else happens.
 */
export function useSyncStatus() {
  const client = useQueryClient();
  const known = client.getQueryData<SyncStatus>(['sync/status', {}]);
  return useOperation('sync/status', {}, { refetchEveryMs: known?.mode === 'server' ? 30_000 : undefined });
}

export const changesWaiting = (count: number) => `${count} ${count === 1 ? 'change' : 'changes'} waiting`;

/** The current time, refreshed every `everyMs`, for texts such as "2 min ago". */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
const dayTimeFormat = new Intl.DateTimeFormat(locale, {
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
});

/** "just now", "5 min ago", "at 14:05" (today), "on 3 Mar, 14:05" (before). */
export function sinceText(iso: string, now: number): string {
  const then = new Date(iso);
  const minutes = Math.floor((now - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const sameDay = new Date(now).toDateString() === then.toDateString();
  return sameDay ? `at ${timeFormat.format(then)}` : `on ${dayTimeFormat.format(then)}`;
}

export function SyncIndicator({ onSignInAgain }: { onSignInAgain: () => void }) {
  const status = useSyncStatus();
  const now = useNow(30_000);
  const syncNow = useAction('sync/upload-now', {
    onSuccess: (after) => {
      if (after.mode === 'server' && after.state === 'offline')
        notifications.show({ color: 'orange', message: 'The sync server cannot be reached yet: Roomy keeps trying.' });
    },
  });
  const data = status.data;
  if (!data) return null;
  if (data.mode === 'standalone') {
    return (
      <Text size="xs" c="dimmed" data-testid="sync-status" title="This computer keeps its data to itself">
        Works alone
      </Text>
    );
  }
  const state = STATES[data.state];
  return (
    <Stack gap={0} data-testid="sync-status" aria-label="Sync status" role="status" miw={0}>
      <Group gap="xs" wrap="nowrap">
        <Badge
          color={state.color}
          variant="light"
          radius="sm"
          data-testid="sync-state"
          title={`Sync server: ${data.url}`}
        >
          {state.label}
        </Badge>
        {data.waiting > 0 && (
          <Text size="xs" fw={600} data-testid="sync-waiting">
            {changesWaiting(data.waiting)}
          </Text>
        )}
        {data.state === 'needs-sign-in' ? (
          <Button size="compact-xs" variant="subtle" onClick={onSignInAgain}>
            Sign in again
          </Button>
        ) : (
          data.state !== 'stopped' && (
            <Button
              size="compact-xs"
              variant="subtle"
              loading={syncNow.isPending}
              onClick={() =>
                syncNow.mutate({}, { onError: (error) => notifications.show({ color: 'red', message: error.message }) })
              }
              data-testid="sync-now"
            >
              Sync now
            </Button>
          )
        )}
      </Group>
      <Group gap={6} wrap="nowrap" miw={0}>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid="sync-last">
          {data.lastSyncedAt ? `Synced ${sinceText(data.lastSyncedAt, now)}` : 'Not synced yet'}
        </Text>
        {data.lastError && (
          <Text size="xs" c="red" truncate="end" maw={360} title={data.lastError} data-testid="sync-error">
            {data.lastError}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
