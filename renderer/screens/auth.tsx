// First run (a new office, or joining the office's sync server), sign-in, and the account page:
// changing one's password and signing out.
import {
  Anchor,
  Button,
  Center,
  Checkbox,
  Divider,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { email, syncServerAddress, text } from '../../db/contracts/fields.js';
import { afterSessionChange, callOrThrow } from '../api/operations.js';
import { Page } from '../ui/page.js';
import { FormError, useContractForm } from '../ui/contract-form.js';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';

const password = z.string().min(1, 'is required');
const setupSchema = z
  .strictObject({ email: email(), firstName: text(100), lastName: text(100), password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { error: 'does not match the password', path: ['confirm'] });

function Centered({ title, subtitle, children }: { title: string; subtitle: string; children: React.ReactNode }) {
  return (
    <Center mih="100vh" p="md" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={440}>
        <Stack gap="md">
          <div>
            <Title order={2}>{title}</Title>
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

/** The first run. `onSettingUp` tells the app the office is being made, so it waits to show it. */
export function SetupScreen({ onSettingUp }: { onSettingUp: (busy: boolean) => void }) {
  const [joining, setJoining] = useState(false);
  if (joining) return <JoinServerScreen onBack={() => setJoining(false)} />;
  return <NewOfficeScreen onJoin={() => setJoining(true)} onSettingUp={onSettingUp} />;
}

function NewOfficeScreen({ onJoin, onSettingUp }: { onJoin: () => void; onSettingUp: (busy: boolean) => void }) {
  const client = useQueryClient();
  const [loadingSample, setLoadingSample] = useState(false);
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: { email: '', firstName: '', lastName: '', password: '', confirm: '', sampleData: false },
    schema: setupSchema,
    toInput: ({ sampleData: _sample, ...values }) => values,
    action: async ({ confirm: _confirm, ...input }) => {
      onSettingUp(true);
      try {
        await callOrThrow('auth/setup', input);
        if (form.getValues().sampleData) {
          setLoadingSample(true);
          try {
            const counts = await callOrThrow('sample-data/load', { size: 'demo' });
            notifications.show({
              message: `Sample data loaded: ${counts.properties} properties, ${counts.reservations} reservations.`,
            });
          } catch (error) {
            // The administrator exists by now: the office opens, empty, and says why.
            notifications.show({
              color: 'red',
              title: 'Sample data not loaded',
              message: `${(error as Error).message} Your administrator account is ready.`,
              autoClose: false,
            });
          }
        }
        await client.invalidateQueries();
      } finally {
        onSettingUp(false);
      }
    },
  });
  return (
    <Centered title="Welcome to Roomy CRM" subtitle="Create the administrator account for this office.">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <TextInput label="Email" type="email" autoComplete="username" required {...form.getInputProps('email')} />
          <TextInput label="First name" required {...form.getInputProps('firstName')} />
          <TextInput label="Last name" required {...form.getInputProps('lastName')} />
          <PasswordInput
            label="Password"
            description="At least 12 characters; not your name or email."
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Repeat the password"
            autoComplete="new-password"
            required
            {...form.getInputProps('confirm')}
          />
          <Checkbox
            label="Load sample data to look around (properties, bookings and money for a demo agency)"
            {...form.getInputProps('sampleData', { type: 'checkbox' })}
          />
          <FormError message={formError} />
          {loadingSample && (
            <Text size="sm" role="status">
              Account created. Loading the sample data: properties, bookings and a year of money…
            </Text>
          )}
          <Button type="submit" loading={submitting}>
            Create administrator
          </Button>
        </Stack>
      </form>
      <Divider label="or" labelPosition="center" />
      <Stack gap={4} align="center">
        <Button variant="default" onClick={onJoin} data-testid="join-server">
          Join your office’s sync server
        </Button>
        <Text size="xs" c="dimmed" ta="center">
          If your office already uses Roomy with a sync server, this computer signs in with the accounts made there.
        </Text>
      </Stack>
    </Centered>
  );
}

const joinSchema = z.strictObject({
  syncServerUrl: syncServerAddress(null),
});

/** A new computer joins the office's sync server before anyone signs in: its people sign in with their accounts there. */
function JoinServerScreen({ onBack }: { onBack: () => void }) {
  const client = useQueryClient();
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: { syncServerUrl: '' },
    schema: joinSchema,
    toInput: (values) => ({ syncServerUrl: values.syncServerUrl.trim() }),
    action: async (input) => {
      await callOrThrow('sync/connect', input);
      await client.invalidateQueries();
    },
  });
  return (
    <Centered
      title="Join your office’s sync server"
      subtitle="Your IT department or administrator gives you the address. This computer then shares the office’s data through it."
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Sync server address"
            placeholder="https://sync.office.example"
            type="url"
            required
            autoFocus
            {...form.getInputProps('syncServerUrl')}
          />
          <FormError message={formError} />
          <Button type="submit" loading={submitting}>
            Join
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={onBack}>
            ← Set up a new office instead
          </Anchor>
        </Stack>
      </form>
    </Centered>
  );
}

const signInSchema = z.strictObject({ email: email(), password });

export function SignInScreen({ syncServerUrl }: { syncServerUrl: string | null }) {
  const client = useQueryClient();
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: { email: '', password: '' },
    schema: signInSchema,
    toInput: (values) => values,
    action: async (input) => {
      await callOrThrow('auth/sign-in', input);
      await afterSessionChange(client);
    },
  });
  return (
    <Centered
      title="Sign in to Roomy CRM"
      subtitle={
        syncServerUrl
          ? `You sign in with the office’s sync server at ${syncServerUrl}: use your account there. Without a network, the password that last worked on this computer still does.`
          : 'Use the email and password your administrator gave you.'
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <FormError message={formError} />
          <Button type="submit" loading={submitting}>
            Sign in
          </Button>
        </Stack>
      </form>
    </Centered>
  );
}

const changeSchema = z
  .strictObject({ currentPassword: password, newPassword: password, confirm: z.string() })
  .refine((v) => v.newPassword === v.confirm, { error: 'does not match the new password', path: ['confirm'] });

export function AccountScreen() {
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    schema: changeSchema,
    toInput: (values) => values,
    action: async ({ confirm: _confirm, ...input }) => {
      await callOrThrow('auth/change-password', input);
      form.reset();
      notifications.show({ color: 'green', message: 'Your password was changed. Other windows were signed out.' });
    },
  });
  return (
    <Page title="Your account">
      <Paper withBorder p="lg" maw={480}>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="sm">
            <Title order={4}>Change password</Title>
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              {...form.getInputProps('currentPassword')}
            />
            <PasswordInput label="New password" autoComplete="new-password" {...form.getInputProps('newPassword')} />
            <PasswordInput
              label="Repeat the new password"
              autoComplete="new-password"
              {...form.getInputProps('confirm')}
            />
            <FormError message={formError} />
            <Button type="submit" loading={submitting} w="fit-content">
              Change password
            </Button>
          </Stack>
        </form>
      </Paper>
    </Page>
  );
}
