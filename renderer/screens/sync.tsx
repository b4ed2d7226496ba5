// Sync: the changes made on this computer that the sync server refused. Each shows what was
// attempted, why it was refused, and what the server has now; the user dismisses it (the server's
// version stands) or redoes it (attempted again as a new change).
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useOperation, useAction } from '../api/operations.js';
import { changesWaiting, useSyncStatus, type SyncStatus } from '../app/sync-status.js';
import { useCan } from '../app/session.js';
import { formatInstant } from '../format.js';
import { Page } from '../ui/page.js';
import { Empty, ErrorState, Loading, QueryView } from '../ui/states.js';
import {
  attemptedSummary,
  nounOf,
  opTitle,
  propertyIdOf,
  refusalText,
  rowSummary,
  serverRowFor,
  type AttemptedOp,
  type Conflict,
} from './sync-changes.js';

export function SyncScreen() {
  const status = useSyncStatus();
  return (
    <Page title="Sync">
      <QueryView query={status} loading="Reading the sync status…">
        {(data) => (data.mode === 'standalone' ? <WorksAlone /> : <Synced status={data} />)}
      </QueryView>
    </Page>
  );
}

function WorksAlone() {
  return (
    <Empty title="This computer works alone">
      Its data stays here and nothing is sent to a sync server, so there is nothing to reconcile. An administrator can
      connect it to the office’s sync server under About and backups.
    </Empty>
  );
}

function Synced({ status }: { status: Extract<SyncStatus, { mode: 'server' }> }) {
  const conflicts = useOperation('sync/conflicts', {});
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Synced with <b>{status.url}</b>. {status.waiting > 0 ? `${changesWaiting(status.waiting)} to upload.` : ''}
      </Text>
      {conflicts.isPending ? (
        <Loading label="Reading the conflicts…" />
      ) : conflicts.isError ? (
        <ErrorState error={conflicts.error} onRetry={() => void conflicts.refetch()} />
      ) : conflicts.data.length === 0 ? (
        <Empty title="No conflicts: everything you changed reached the server">
          When the server refuses a change made here (another computer booked the same nights first, say), it is listed
          here for you to dismiss or redo.
        </Empty>
      ) : (
        <Stack gap="md" data-testid="conflicts">
          <Text size="sm">
            The sync server refused {conflicts.data.length === 1 ? 'this change' : 'these changes'}. This computer shows
            what the server has; dismiss each once you have seen it, or redo it if it still makes sense.
          </Text>
          {conflicts.data.map((conflict) => (
            <ConflictCard key={conflict.changesetId} conflict={conflict} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function ConflictCard({ conflict }: { conflict: Conflict }) {
  const can = useCan();
  const resolve = useAction('sync/resolve-conflict', {
    onSuccess: ({ resolution }) =>
      notifications.show({
        color: 'green',
        message: resolution === 'redone' ? 'Done again: the change is on its way to the server.' : 'Dismissed.',
      }),
  });
  const canResolve = can('sync/resolve-conflict');
  const first = conflict.attempted[0];
  // A changeset of audit rows alone (they are left out of `attempted`): no office data was in it.
  const title = first ? opTitle(first) : 'Audit trail entries';
  return (
    <Card withBorder padding="lg" data-testid="conflict" aria-label={title}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={4}>{title}</Title>
            <Text size="xs" c="dimmed">
              Refused {formatInstant(conflict.createdAt)}
            </Text>
          </div>
          <Badge color="orange" variant="light" radius="sm">
            {conflict.code}
          </Badge>
        </Group>

        <Section title="What you tried">
          {conflict.attempted.map((op) => (
            <OpLine key={`${op.table}/${op.id}/${op.op}`} conflict={conflict} op={op} side="attempted" />
          ))}
          {!first && (
            <Text size="sm" data-testid="conflict-attempted">
              Only entries of this computer’s audit trail (who did what, and when); no office data.
            </Text>
          )}
        </Section>

        <Section title="Why the server refused it">
          <Text size="sm" data-testid="conflict-message" title={conflict.message}>
            {refusalText(conflict.message)}
          </Text>
        </Section>

        {first && (
          <Section title="What the server has now">
            {conflict.attempted.map((op) => (
              <OpLine key={`${op.table}/${op.id}/${op.op}`} conflict={conflict} op={op} side="server" />
            ))}
          </Section>
        )}

        {resolve.error && (
          <Alert
            color="red"
            title={
              resolve.variables?.resolution === 'redone'
                ? 'This change cannot be redone'
                : 'This conflict could not be dismissed'
            }
            role="alert"
          >
            {resolve.error.message}
          </Alert>
        )}
        {canResolve && (
          <Group gap="sm">
            <Button
              variant="default"
              loading={resolve.isPending && resolve.variables?.resolution === 'dismissed'}
              disabled={resolve.isPending}
              onClick={() => resolve.mutate({ changesetId: conflict.changesetId, resolution: 'dismissed' })}
            >
              Dismiss
            </Button>
            {first && (
              <Button
                loading={resolve.isPending && resolve.variables?.resolution === 'redone'}
                disabled={resolve.isPending}
                onClick={() => resolve.mutate({ changesetId: conflict.changesetId, resolution: 'redone' })}
              >
                Redo
              </Button>
            )}
          </Group>
        )}
        <Text size="xs" c="dimmed">
          {first
            ? 'Dismiss keeps the server’s version. Redo makes the change again on top of what is here now and sends it.'
            : 'Dismiss it once you have seen it: the office’s data is as the server has it.'}
        </Text>
      </Stack>
    </Card>
  );
}

/** One row change of a conflict: as attempted, or as the server has the row now. */
function OpLine({ conflict, op, side }: { conflict: Conflict; op: AttemptedOp; side: 'attempted' | 'server' }) {
  const can = useCan();
  const serverRow = serverRowFor(conflict, op);
  const propertyId = propertyIdOf(op, serverRow);
  // The property's name, where this computer has it: "Ana Ribeiro at Alfama Loft".
  const property = useOperation(
    'properties/get',
    { id: propertyId ?? '' },
    { enabled: Boolean(propertyId) && can('properties/get') },
  );
  const context = { propertyName: property.data?.name ?? null };
  const many = conflict.attempted.length > 1;
  if (side === 'attempted') {
    return (
      <Text size="sm" data-testid="conflict-attempted">
        {many && <b>{opTitle(op)}: </b>}
        {attemptedSummary(op, serverRow, context)}
      </Text>
    );
  }
  return (
    <Text size="sm" c={serverRow ? undefined : 'dimmed'} data-testid="conflict-server">
      {many && <b>The {nounOf(op.table)}: </b>}
      {serverRow ? rowSummary(op.table, serverRow, context) : 'Not on the server'}
    </Text>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {title}
      </Text>
      {children}
    </div>
  );
}
