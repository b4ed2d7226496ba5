// People: staff, owners and guests. Admins and managers manage accounts (roles, status,
// passwords); agents keep their guests' records. A guest opens on their own page (guest.tsx).
import {
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { userCreate, userUpdate } from '../../db/contracts/entities.js';
import { USER_ROLES, USER_STATUSES, type UserRole } from '../../db/domain/enums.js';
import { canSignIn } from '../../db/policy/roles.js';
import type { InputOf, OutputOf } from '../../main/contract.js';
import { callOrThrow, useOperation } from '../api/operations.js';
import { useCan, useIdentity } from '../app/session.js';
import { formatInstant, label } from '../format.js';
import { FormError, MergeChoices, orNull, useContractForm } from '../ui/contract-form.js';
import { DataTable } from '../ui/data-table.js';
import { OffsetPager } from '../ui/pager.js';
import { Page } from '../ui/page.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty, QueryView } from '../ui/states.js';

type User = OutputOf<'users/list'>['items'][number];
const PAGE = 50;

/** The roles the signed-in user may give: admins any, managers all but admin, agents guests. */
export function assignableRoles(role: string): UserRole[] {
  if (role === 'ADMIN') return [...USER_ROLES];
  if (role === 'MANAGER') return USER_ROLES.filter((r) => r !== 'ADMIN');
  return ['GUEST'];
}

export function PeopleScreen() {
  const identity = useIdentity();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search, 250);
  const [roles, setRoles] = useState<string[]>([]);
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const list = useOperation(
    'users/list',
    { search: term || undefined, role: roles.length ? (roles as UserRole[]) : undefined, limit: PAGE, offset },
    { keepPrevious: true },
  );
  const columns: ColumnDef<User, unknown>[] = [
    {
      id: 'name',
      header: 'Name',
      cell: ({ row }) => <PersonName user={row.original} />,
    },
    { id: 'email', header: 'Email', cell: ({ row }) => row.original.email },
    { id: 'role', header: 'Role', cell: ({ row }) => label(row.original.role) },
    { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: 'login', header: 'Last sign-in', cell: ({ row }) => formatInstant(row.original.lastLoginAt) },
  ];
  return (
    <Page title="People" actions={<Button onClick={() => setEditing('new')}>New person</Button>}>
      <Group align="flex-end">
        <TextInput
          label="Search"
          placeholder="Name, email or phone"
          value={search}
          onChange={(e) => (setSearch(e.currentTarget.value), setOffset(0))}
          w={260}
        />
        <MultiSelect
          label="Role"
          data={USER_ROLES.map((r) => ({ value: r, label: label(r) }))}
          value={roles}
          onChange={(v) => (setRoles(v), setOffset(0))}
          clearable
          w={280}
        />
      </Group>
      <QueryView query={list} loading="Loading people…">
        {(data) => (
          <Stack gap="sm">
            <DataTable
              label="People"
              data={data.items}
              columns={columns}
              rowKey={(u) => u.id}
              onOpen={(u) => (u.role === 'GUEST' ? void navigate(guestPath(u.id)) : setEditing(u))}
              empty={<Empty title="Nobody matches">Try another search, or add a person.</Empty>}
            />
            <OffsetPager offset={offset} pageSize={PAGE} total={data.total} onChange={setOffset} />
          </Stack>
        )}
      </QueryView>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New person' : 'Edit person'}
        size="lg"
      >
        {editing && (
          <PersonForm
            user={editing === 'new' ? undefined : editing}
            roles={assignableRoles(identity.role)}
            onSaved={() => setEditing(null)}
          />
        )}
      </Modal>
    </Page>
  );
}

const guestPath = (id: string) => `/guests/${id}`;

/** A guest's name links to their page, with the flag the office set on them. */
function PersonName({ user }: { user: User }) {
  const name = `${user.firstName} ${user.lastName}`;
  if (user.role !== 'GUEST')
    return (
      <Text size="sm" fw={600}>
        {name}
      </Text>
    );
  return (
    <Group gap="xs" wrap="nowrap">
      <Anchor component={Link} to={guestPath(user.id)} size="sm" fw={600} onClick={(e) => e.stopPropagation()}>
        {name}
      </Anchor>
      {user.doNotRent && (
        <Badge color="red" size="sm" radius="sm">
          Do not rent
        </Badge>
      )}
    </Group>
  );
}

export function PersonForm({ user, roles, onSaved }: { user?: User; roles: UserRole[]; onSaved: () => void }) {
  const can = useCan();
  const identity = useIdentity();
  const valuesOf = (user?: User) => ({
    firstName: user?.firstName ?? '',
    lastName: user?.lastName ?? '',
    email: user?.email ?? '',
    phone: user?.phone ?? '',
    role: (user?.role ?? roles[0] ?? 'GUEST') as UserRole,
    status: user?.status ?? 'ACTIVE',
    password: '',
  });
  const saved = (input: { firstName?: string; lastName?: string }) => {
    notifications.show({ color: 'green', message: `${input.firstName} ${input.lastName} was saved.` });
    onSaved();
  };
  const { form, formError, onSubmit, submitting, merge } = useContractForm({
    initialValues: valuesOf(user),
    schema: user ? userUpdate : userCreate,
    toInput: (v) => ({
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      email: v.email.trim(),
      phone: orNull(v.phone),
      role: v.role,
      status: v.status,
    }),
    action: async (input) => {
      const password = form.getValues().password;
      await callOrThrow('users/create', { ...(input as InputOf<'users/create'>), ...(password ? { password } : {}) });
      saved(input);
    },
    // Only what was changed is sent, with the values the form started from: a field someone else
    // changed meanwhile is refused, and the form shows both values to merge.
    edit: user && {
      record: user,
      valuesOf,
      reload: () => callOrThrow('users/get', { id: user.id }),
      save: async (changes, expected) => {
        const password = form.getValues().password;
        if (Object.keys(changes).length > 0) await callOrThrow('users/update', { id: user.id, changes, expected });
        if (password) await callOrThrow('users/set-password', { id: user.id, password });
        saved(form.getValues());
      },
    },
  });
  const role = form.getValues().role;
  const mayManage = !user || roles.includes(user.role);
  const mayDeactivate = user && can('users/deactivate') && user.id !== identity.userId && user.status !== 'INACTIVE';
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Grid>
          <Grid.Col span={6}>
            <TextInput label="First name" required {...form.getInputProps('firstName')} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="Last name" required {...form.getInputProps('lastName')} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="Email" type="email" required {...form.getInputProps('email')} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="Phone" {...form.getInputProps('phone')} />
          </Grid.Col>
          <Grid.Col span={6}>
            <Select
              label="Role"
              data={roles.map((r) => ({ value: r, label: label(r) }))}
              allowDeselect={false}
              disabled={user?.id === identity.userId}
              {...form.getInputProps('role')}
            />
          </Grid.Col>
          <Grid.Col span={6}>
            <Select
              label="Status"
              data={USER_STATUSES.map((s) => ({ value: s, label: label(s) }))}
              allowDeselect={false}
              {...form.getInputProps('status')}
            />
          </Grid.Col>
          {canSignIn(role) && (user ? can('users/set-password') : true) && (
            <Grid.Col span={12}>
              <PasswordInput
                label={user ? 'New password (leave empty to keep)' : 'Password'}
                description="They sign in with their email and this password. At least 12 characters."
                autoComplete="new-password"
                {...form.getInputProps('password')}
              />
            </Grid.Col>
          )}
        </Grid>
        <FormError message={formError} />
        <MergeChoices merge={merge} />
        <Group justify="space-between">
          {mayDeactivate ? (
            <Button
              variant="subtle"
              color="red"
              onClick={() =>
                void callOrThrow('users/deactivate', { id: user.id })
                  .then(() => (notifications.show({ message: 'Deactivated.' }), onSaved()))
                  .catch((e: Error) => notifications.show({ color: 'red', message: e.message }))
              }
            >
              Deactivate
            </Button>
          ) : (
            <span />
          )}
          <Button type="submit" loading={submitting} disabled={!mayManage}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
