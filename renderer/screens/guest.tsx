// A guest's page: how to reach them, their stays to come and past, what they have spent, and what
// the office keeps on them — notes, tags, and the "do not rent" flag every new booking warns of.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { userUpdate } from '../../db/contracts/entities.js';
import type { OutputOf } from '../../main/contract.js';
import { callOrThrow, useOperation } from '../api/operations.js';
import { useCan, useIdentity } from '../app/session.js';
import { formatDate, money, personName } from '../format.js';
import { FormError, MergeChoices, orNull, useContractForm } from '../ui/contract-form.js';
import { DataTable } from '../ui/data-table.js';
import { DoNotRentWarning } from '../ui/guest-warning.js';
import { Page } from '../ui/page.js';
import { StatusBadge } from '../ui/status-badge.js';
import { QueryView } from '../ui/states.js';
import { assignableRoles, PersonForm } from './people.js';

type Profile = OutputOf<'guests/profile'>;
type Guest = Profile['guest'];
type Stay = Profile['past'][number];

export function GuestScreen() {
  const { id = '' } = useParams();
  const can = useCan();
  const identity = useIdentity();
  const profile = useOperation('guests/profile', { id });
  const [editing, setEditing] = useState(false);
  return (
    <QueryView query={profile} loading="Loading the guest…">
      {(p) => (
        <Page
          title={personName(p.guest)}
          back={{ to: '/people', label: 'People' }}
          actions={
            can('users/update') && (
              <Button variant="default" onClick={() => setEditing(true)}>
                Edit contact
              </Button>
            )
          }
        >
          <Group gap="xs">
            <StatusBadge status={p.guest.status} />
            {p.repeatGuest && (
              <Badge color="grape" variant="light" radius="sm" data-testid="repeat-guest">
                Repeat guest
              </Badge>
            )}
            {p.guest.doNotRent && (
              <Badge color="red" radius="sm" data-testid="do-not-rent-badge">
                Do not rent
              </Badge>
            )}
            {p.guest.tags.map((tag) => (
              <Badge key={tag} variant="outline" radius="sm" color="gray">
                {tag}
              </Badge>
            ))}
          </Group>
          <DoNotRentWarning guest={p.guest} />
          <Card withBorder>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
              <Detail title="Email">
                <Anchor href={`mailto:${p.guest.email}`} size="sm">
                  {p.guest.email}
                </Anchor>
              </Detail>
              <Detail title="Phone">{p.guest.phone ?? '—'}</Detail>
              <Detail title="Stays">{p.stayCount}</Detail>
              <Detail title="Total spent" testId="total-spent">
                {p.totalSpent.length > 0
                  ? p.totalSpent.map((t) => money(t.amountMinor, t.currency)).join(' · ')
                  : 'Nothing paid yet'}
              </Detail>
            </SimpleGrid>
          </Card>
          <StaysTable title="Upcoming stays" stays={p.upcoming} empty="No stays to come." />
          <StaysTable title="Past stays" stays={p.past} empty="No stays yet." />
          {can('users/update') && (
            // Opened afresh on each saved version, so the next edit is measured against it.
            <GuestDetailsForm key={p.guest.updatedAt} guest={p.guest} mayLift={identity.role !== 'AGENT'} />
          )}
          <Modal opened={editing} onClose={() => setEditing(false)} title="Edit contact" size="lg">
            {editing && (
              <PersonForm user={p.guest} roles={assignableRoles(identity.role)} onSaved={() => setEditing(false)} />
            )}
          </Modal>
        </Page>
      )}
    </QueryView>
  );
}

function Detail({ title, testId, children }: { title: string; testId?: string; children: React.ReactNode }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {title}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function StaysTable({ title, stays, empty }: { title: string; stays: Stay[]; empty: string }) {
  const navigate = useNavigate();
  const columns: ColumnDef<Stay, unknown>[] = [
    {
      id: 'property',
      header: 'Property',
      cell: ({ row }) => (
        <Anchor
          component={Link}
          to={`/properties/${row.original.propertyId}`}
          size="sm"
          onClick={(e: React.MouseEvent) => e.stopPropagation()}
        >
          {row.original.propertyName}
        </Anchor>
      ),
    },
    { id: 'checkIn', header: 'Check-in', cell: ({ row }) => formatDate(row.original.checkIn) },
    { id: 'checkOut', header: 'Check-out', cell: ({ row }) => formatDate(row.original.checkOut) },
    { id: 'nights', header: 'Nights', cell: ({ row }) => row.original.nights },
    { id: 'guests', header: 'Guests', cell: ({ row }) => row.original.guests },
    { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: 'total', header: 'Total', cell: ({ row }) => money(row.original.totalMinor, row.original.currency) },
  ];
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        {title}
      </Title>
      <DataTable
        label={title}
        data={stays}
        columns={columns}
        rowKey={(s) => s.id}
        onOpen={(s) => void navigate(`/reservations/${s.id}`)}
        empty={<Text c="dimmed">{empty}</Text>}
      />
    </Stack>
  );
}

interface DetailsValues extends Record<string, unknown> {
  notes: string;
  tags: string[];
  doNotRent: boolean;
  doNotRentReason: string;
}

const detailsOf = (guest: Guest): DetailsValues => ({
  notes: guest.notes ?? '',
  tags: guest.tags,
  doNotRent: guest.doNotRent,
  doNotRentReason: guest.doNotRentReason ?? '',
});

/** Notes, tags and the do-not-rent flag; only a manager or an administrator lifts the flag. */
function GuestDetailsForm({ guest, mayLift }: { guest: Guest; mayLift: boolean }) {
  const client = useQueryClient();
  const { form, formError, onSubmit, submitting, merge } = useContractForm({
    initialValues: detailsOf(guest),
    schema: userUpdate,
    toInput: (v, convert) => {
      const reason = v.doNotRent ? orNull(v.doNotRentReason) : null;
      if (v.doNotRent && !reason) convert.refuse('doNotRentReason', 'is required to mark the guest “do not rent”');
      return { notes: orNull(v.notes), tags: v.tags, doNotRent: v.doNotRent, doNotRentReason: reason };
    },
    action: () => Promise.resolve(),
    edit: {
      record: guest,
      valuesOf: detailsOf,
      reload: () => callOrThrow('users/get', { id: guest.id }),
      save: async (changes, expected) => {
        if (Object.keys(changes).length > 0) await callOrThrow('users/update', { id: guest.id, changes, expected });
        notifications.show({ color: 'green', message: `${personName(guest)}’s details were saved.` });
        await client.invalidateQueries();
      },
    },
  });
  const values = form.getValues();
  const locked = guest.doNotRent && !mayLift;
  return (
    <Card withBorder component="section" aria-label="What the office keeps">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4">
            What the office keeps
          </Title>
          <Textarea label="Notes" autosize minRows={2} maxRows={8} {...form.getInputProps('notes')} />
          <TagsInput
            label="Tags"
            description="Press Enter after each tag."
            maxTags={20}
            clearable
            {...form.getInputProps('tags')}
          />
          <Switch
            label="Do not rent"
            description={
              locked
                ? 'Only a manager can lift this flag.'
                : 'Every new booking for this guest shows a warning with the reason.'
            }
            color="red"
            disabled={locked}
            {...form.getInputProps('doNotRent', { type: 'checkbox' })}
          />
          {values.doNotRent && (
            <Textarea
              label="Reason not to rent"
              required
              autosize
              minRows={2}
              {...form.getInputProps('doNotRentReason')}
            />
          )}
          <MergeChoices merge={merge} />
          <FormError message={formError} />
          <Group justify="flex-end">
            <Button type="submit" loading={submitting}>
              Save details
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
