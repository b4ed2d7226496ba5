// Locations: the cities and areas properties are in, each with its time zone and currency.
import { Button, Grid, Modal, Stack, Switch, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { locationCreate, locationUpdate } from '../../db/contracts/entities.js';
import type { InputOf, OutputOf } from '../../main/contract.js';
import { callOrThrow, useOperation } from '../api/operations.js';
import { FormError, orNull, useContractForm } from '../ui/contract-form.js';
import { DataTable } from '../ui/data-table.js';
import { Page } from '../ui/page.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty, QueryView } from '../ui/states.js';

type Location = OutputOf<'locations/list'>[number];

const columns: ColumnDef<Location, unknown>[] = [
  { id: 'name', header: 'Name', cell: ({ row }) => row.original.name },
  { id: 'city', header: 'City', cell: ({ row }) => `${row.original.city}, ${row.original.country}` },
  { id: 'tz', header: 'Time zone', cell: ({ row }) => row.original.timeZone },
  { id: 'currency', header: 'Currency', cell: ({ row }) => row.original.currency },
  {
    id: 'active',
    header: 'Status',
    cell: ({ row }) => <StatusBadge status={row.original.isActive ? 'ACTIVE' : 'INACTIVE'} />,
  },
];

export function LocationsScreen() {
  const list = useOperation('locations/list', { includeInactive: true });
  const [editing, setEditing] = useState<Location | 'new' | null>(null);
  return (
    <Page
      title="Locations"
      actions={
        <Button onClick={() => setEditing('new')} data-testid="new-location">
          New location
        </Button>
      }
    >
      <QueryView query={list} loading="Loading locations…">
        {(data) => (
          <DataTable
            label="Locations"
            data={data}
            columns={columns}
            rowKey={(l) => l.id}
            onOpen={setEditing}
            empty={<Empty title="No locations yet">Add the cities or areas your properties are in.</Empty>}
          />
        )}
      </QueryView>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New location' : 'Edit location'}
      >
        {editing && (
          <LocationForm location={editing === 'new' ? undefined : editing} onSaved={() => setEditing(null)} />
        )}
      </Modal>
    </Page>
  );
}

function LocationForm({ location, onSaved }: { location?: Location; onSaved: () => void }) {
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: {
      name: location?.name ?? '',
      city: location?.city ?? '',
      country: location?.country ?? '',
      region: location?.region ?? '',
      timeZone: location?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      currency: location?.currency ?? 'EUR',
      isActive: location?.isActive ?? true,
    },
    schema: location ? locationUpdate : locationCreate,
    toInput: (v) => ({
      name: v.name.trim(),
      city: v.city.trim(),
      country: v.country.trim().toUpperCase(),
      region: orNull(v.region),
      timeZone: v.timeZone.trim(),
      currency: v.currency.trim().toUpperCase(),
      isActive: v.isActive,
    }),
    action: async (input) => {
      if (location) await callOrThrow('locations/update', { id: location.id, changes: input });
      else await callOrThrow('locations/create', input as InputOf<'locations/create'>);
      notifications.show({ color: 'green', message: `${input.name} was saved.` });
      onSaved();
    },
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Grid>
          <Grid.Col span={12}>
            <TextInput label="Name" required {...form.getInputProps('name')} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="City" required {...form.getInputProps('city')} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput
              label="Country"
              description="Two letters, e.g. PT"
              maxLength={2}
              required
              {...form.getInputProps('country')}
            />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="Region" {...form.getInputProps('region')} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput
              label="Time zone"
              description="e.g. Europe/Lisbon"
              required
              {...form.getInputProps('timeZone')}
            />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput
              label="Currency"
              description="e.g. EUR"
              maxLength={3}
              required
              {...form.getInputProps('currency')}
            />
          </Grid.Col>
          <Grid.Col span={6} style={{ alignSelf: 'center' }}>
            <Switch label="Active" {...form.getInputProps('isActive', { type: 'checkbox' })} />
          </Grid.Col>
        </Grid>
        <FormError message={formError} />
        <Button type="submit" loading={submitting}>
          Save location
        </Button>
      </Stack>
    </form>
  );
}
