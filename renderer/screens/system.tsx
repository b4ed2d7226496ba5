// About this installation, its backups, and what support needs: version, where the data is,
// sync and update settings (within what IT locked), backups with restore, logs and diagnostics.
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { syncServerAddress } from '../../db/contracts/fields.js';
import type { OutputOf } from '../../main/contract.js';
import { callOrThrow, useAction, useOperation } from '../api/operations.js';
import { useCan } from '../app/session.js';
import { useSyncStatus } from '../app/sync-status.js';
import { TamperNotice } from './audit.js';
import { FormError, useContractForm } from '../ui/contract-form.js';
import { Page } from '../ui/page.js';
import { Empty, QueryView } from '../ui/states.js';

type Backup = OutputOf<'backups/list'>[number];

const when = (iso: string) => new Date(iso).toLocaleString();
const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function SystemScreen() {
  const can = useCan();
  return (
    <Page title="About and backups">
      <Stack gap="lg">
        {can('audit/verify') ? <CheckedTrailNotice /> : <NoticedTrailNotice />}
        <AboutCard />
        <SyncServerCard />
        <SettingsCard />
        {can('backups/list') && <BackupsCard />}
      </Stack>
    </Page>
  );
}

/** For those who may check the trail: the check itself, said only when something does not hold. */
function CheckedTrailNotice() {
  const { data: verdict } = useOperation('audit/verify', {});
  if (!verdict) return null;
  if (!verdict.intact) return <TamperNotice message={verdict.message} />;
  return verdict.noticed ? <TamperNotice message={verdict.noticed.message} at={verdict.noticed.at} /> : null;
}

/** For everyone else on a synced computer: what Roomy noticed (the sync server's anchor, a refused change). */
function NoticedTrailNotice() {
  const { data: status } = useSyncStatus();
  const tamper = status?.mode === 'server' ? status.tamper : null;
  return tamper ? <TamperNotice message={tamper.message} at={tamper.at} /> : null;
}

function AboutCard() {
  const about = useOperation('app/about', {});
  const openFolder = useAction('app/open-folder', {
    onSuccess: ({ opened, path }) => {
      if (!opened) notifications.show({ message: `The folder is ${path}` });
    },
  });
  const diagnostics = useAction('app/diagnostics', {
    onSuccess: ({ path }) => notifications.show({ color: 'green', title: 'Diagnostics bundle saved', message: path }),
  });
  return (
    <Card withBorder padding="lg">
      <Title order={3} mb="sm">
        Roomy CRM
      </Title>
      <QueryView query={about} loading="Reading this installation…">
        {(a) => (
          <Stack gap="sm">
            {a.fleetConfigProblem && (
              <Alert color="orange" title="Your IT department’s configuration could not be read">
                {a.fleetConfigProblem}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" data-testid="about">
              <Fact label="Version">{a.version}</Fact>
              <Fact label="Runs on">{a.runtime}</Fact>
              <Fact label="Sync">
                {a.sync.mode === 'server' ? `With ${a.sync.url}` : 'Standalone: this computer only'}
              </Fact>
              {a.sync.mode === 'server' && (
                <Fact label="Sync sign-in kept">
                  <span data-testid="token-storage">{a.tokenStorage}</span>
                </Fact>
              )}
              <Fact label="Last backup">{a.lastBackupAt ? when(a.lastBackupAt) : 'None yet'}</Fact>
              <Fact label="Database">
                <Code>{a.databaseFile}</Code>
              </Fact>
              <Fact label="Device">
                <Code>{a.deviceId}</Code>
              </Fact>
            </SimpleGrid>
            <Group>
              <Button
                variant="default"
                loading={openFolder.isPending}
                onClick={() => openFolder.mutate({ folder: 'logs' })}
              >
                Open logs folder
              </Button>
              <Button
                variant="default"
                loading={diagnostics.isPending}
                onClick={() => diagnostics.mutate({})}
                data-testid="diagnostics"
              >
                Save a diagnostics bundle
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              The diagnostics bundle holds versions, counts of what you may see, and recent logs with email addresses,
              phone numbers and sign-in tokens removed: it is safe to send to support.
            </Text>
          </Stack>
        )}
      </QueryView>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

function SettingsCard() {
  const can = useCan();
  const view = useOperation('app/settings', {});
  const update = useAction('app/update-settings', {
    onSuccess: () => notifications.show({ color: 'green', message: 'Saved.' }),
  });
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="sm">
        Updates
      </Title>
      <QueryView query={view} loading="Reading the settings…">
        {({ settings, locked }) => {
          const itManaged = locked.includes('updates');
          return (
            <Stack gap="xs">
              <Group gap="sm">
                <Switch
                  label="Install updates automatically"
                  checked={settings.updates.enabled}
                  disabled={itManaged || !can('app/update-settings') || update.isPending}
                  onChange={(event) => update.mutate({ updates: { enabled: event.currentTarget.checked } })}
                  data-testid="updates-switch"
                />
                {itManaged && <Badge variant="light">Managed by your IT department</Badge>}
              </Group>
              {update.error && (
                <Text size="sm" c="red">
                  {update.error.message}
                </Text>
              )}
            </Stack>
          );
        }}
      </QueryView>
    </Card>
  );
}

function SyncServerCard() {
  const can = useCan();
  const view = useOperation('app/settings', {});
  return (
    <Card withBorder padding="lg" data-testid="sync-server-card">
      <Title order={4} mb="sm">
        Sync server
      </Title>
      <QueryView query={view} loading="Reading the settings…">
        {({ settings, locked }) => {
          const itManaged = locked.includes('syncServerUrl');
          const current = settings.syncServerUrl;
          return (
            <Stack gap="sm">
              <Group gap="sm">
                <Text size="sm" data-testid="sync-server-current">
                  {current ? (
                    <>
                      This computer syncs with <Code>{current}</Code>
                    </>
                  ) : (
                    'None: this computer works alone.'
                  )}
                </Text>
                {itManaged && <Badge variant="light">Managed by your IT department</Badge>}
              </Group>
              {itManaged ? (
                <Text size="sm" c="dimmed">
                  Your IT department sets the sync server on this computer, so it cannot be changed here.
                </Text>
              ) : can('app/update-settings') ? (
                <SyncServerForm key={current ?? ''} current={current} />
              ) : (
                <Text size="sm" c="dimmed">
                  Only an administrator changes the sync server.
                </Text>
              )}
            </Stack>
          );
        }}
      </QueryView>
    </Card>
  );
}

const syncServerSchema = z.strictObject({
  syncServerUrl: syncServerAddress(null),
});

function SyncServerForm({ current }: { current: string | null }) {
  const client = useQueryClient();
  const save = async (syncServerUrl: string | null) => {
    await callOrThrow('app/update-settings', { syncServerUrl });
    await client.invalidateQueries();
    notifications.show({
      color: 'green',
      message: syncServerUrl
        ? `Saved: the next sign-in is with ${syncServerUrl}.`
        : 'Saved: from the next sign-in, this computer works alone.',
    });
  };
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: { syncServerUrl: current ?? '' },
    schema: syncServerSchema,
    toInput: (values) => ({ syncServerUrl: values.syncServerUrl.trim() }),
    action: (input) => save(input.syncServerUrl),
  });
  const [leaving, setLeaving] = useState(false);
  const workAlone = async () => {
    setLeaving(true);
    try {
      await save(null);
    } catch (error) {
      notifications.show({ color: 'red', message: (error as Error).message });
    } finally {
      setLeaving(false);
    }
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm" maw={560}>
        <TextInput
          label="Sync server address"
          placeholder="https://sync.office.example"
          type="url"
          {...form.getInputProps('syncServerUrl')}
        />
        <Text size="xs" c="dimmed">
          A change takes effect at the next sign-in: everyone then signs in with their account on the server, and each
          person’s synced data is kept apart on this computer. Data made here while working alone stays on this
          computer; it is not sent to the server.
        </Text>
        <FormError message={formError} />
        <Group gap="sm">
          <Button type="submit" loading={submitting} data-testid="save-sync-server">
            Save
          </Button>
          {current && (
            <Button variant="default" loading={leaving} onClick={() => void workAlone()}>
              Work alone
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function BackupsCard() {
  const can = useCan();
  const backups = useOperation('backups/list', {});
  const [restoring, setRestoring] = useState<Backup | null>(null);
  const create = useAction('backups/create', {
    onSuccess: (b) => notifications.show({ color: 'green', message: `Backup ${b.name} made.` }),
  });
  const exporting = useAction('backups/export', {
    onSuccess: ({ path }) => notifications.show({ color: 'green', title: 'Database exported', message: path }),
  });
  const restore = useAction('backups/restore', {
    onSuccess: () => {
      setRestoring(null);
      notifications.show({
        color: 'orange',
        autoClose: false,
        title: 'Restart Roomy to finish restoring',
        message:
          'The backup is checked and ready. It replaces the current data when Roomy next starts; the current data is kept as a backup.',
      });
    },
  });
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Backups</Title>
        <Group>
          {can('backups/export') && (
            <Button variant="default" loading={exporting.isPending} onClick={() => exporting.mutate({})}>
              Export for IT
            </Button>
          )}
          <Button loading={create.isPending} onClick={() => create.mutate({})} data-testid="back-up-now">
            Back up now
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        Roomy backs up this computer’s data every day and keeps the last 14 copies.
      </Text>
      {(create.error ?? exporting.error) && (
        <Alert color="red" mb="sm">
          {(create.error ?? exporting.error)!.message}
        </Alert>
      )}
      <QueryView query={backups} loading="Reading the backups…">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No backups yet">The first one is made today; or back up now.</Empty>
          ) : (
            <Table striped aria-label="Backups" data-testid="backups">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Made</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((b) => (
                  <Table.Tr key={b.name}>
                    <Table.Td>{when(b.createdAt)}</Table.Td>
                    <Table.Td>{size(b.bytes)}</Table.Td>
                    <Table.Td ta="right">
                      {can('backups/restore') && (
                        <Button size="xs" variant="subtle" onClick={() => setRestoring(b)}>
                          Restore…
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
      <Modal opened={restoring !== null} onClose={() => setRestoring(null)} title="Restore this backup?">
        {restoring && (
          <Stack>
            <Text size="sm">
              Everything on this computer goes back to how it was on {when(restoring.createdAt)}. The backup is checked
              first (its integrity and its audit trail); the current data is kept as a backup, so nothing is lost.
            </Text>
            {restore.error && <Alert color="red">{restore.error.message}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRestoring(null)}>
                Cancel
              </Button>
              <Button
                color="orange"
                loading={restore.isPending}
                onClick={() => restore.mutate({ name: restoring.name })}
              >
                Check and restore
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}
