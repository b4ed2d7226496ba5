// Properties: the searchable, filterable, sortable list; the property page with its overview,
// reservations, tasks and finances; and the form to create or edit one.
import {
  Anchor,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { ColumnDef, SortingState } from '@tanstack/react-table';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { propertyCreate, propertyUpdate } from '../../db/contracts/entities.js';
import { PROPERTY_STATUSES, PROPERTY_TYPES } from '../../db/domain/enums.js';
import type { InputOf, OutputOf } from '../../main/contract.js';
import { callOrThrow, useAction, useOperation } from '../api/operations.js';
import { useCan } from '../app/session.js';
import { formatDate, label, minorToDecimalText, money, percent } from '../format.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { FormError, MergeChoices, orNull, orUndefined, useContractForm } from '../ui/contract-form.js';
import { Page } from '../ui/page.js';
import { PagedTable, usePagedList, type ItemOf } from '../ui/paged-table.js';
import { LocationSelect, UserSelect } from '../ui/pickers.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty, QueryView } from '../ui/states.js';
import { LedgerTable } from './ledger.js';
import { ReservationTable } from './reservations.js';
import { TaskTable } from './tasks.js';

type PropertyRow = ItemOf<'properties/list'>;
type SortKey = 'name' | 'price' | 'capacity' | 'created';

const enumOptions = (values: readonly string[]) => values.map((v) => ({ value: v, label: label(v) }));

export function PropertiesScreen() {
  const can = useCan();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search, 250);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [status, setStatus] = useState<string[]>([]);
  const [type, setType] = useState<string[]>([]);
  const [includeArchived, setIncludeArchived] = useState(false);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const [creating, setCreating] = useState(false);
  const seesMoney = can('ledger/list');

  const sort = (sorting[0]?.id ?? 'name') as SortKey;
  const filters = {
    search: term || undefined,
    locationId: locationId ?? undefined,
    status: status.length ? (status as (typeof PROPERTY_STATUSES)[number][]) : undefined,
    type: type.length ? (type as (typeof PROPERTY_TYPES)[number][]) : undefined,
    includeArchived,
    sort,
    order: sorting[0]?.desc ? ('desc' as const) : ('asc' as const),
  };
  const list = usePagedList('properties/list', filters, 25);

  const columns: ColumnDef<PropertyRow, unknown>[] = [
    {
      id: 'name',
      header: 'Name',
      enableSorting: true,
      cell: ({ row }) => (
        <Stack gap={0}>
          <Text fw={600} size="sm">
            {row.original.name}
          </Text>
          <Text size="xs" c="dimmed">
            {row.original.address}
          </Text>
        </Stack>
      ),
    },
    { id: 'type', header: 'Type', enableSorting: false, cell: ({ row }) => label(row.original.type) },
    {
      id: 'status',
      header: 'Status',
      enableSorting: false,
      cell: ({ row }) => <StatusBadge status={row.original.status} />,
    },
    { id: 'capacity', header: 'Guests', enableSorting: true, cell: ({ row }) => row.original.capacity },
    { id: 'bedrooms', header: 'Bedrooms', enableSorting: false, cell: ({ row }) => row.original.bedrooms },
    ...(seesMoney
      ? [
          {
            id: 'price',
            header: 'Price / night',
            enableSorting: true,
            cell: ({ row }) => money(row.original.pricePerNightMinor, row.original.currency),
          } satisfies ColumnDef<PropertyRow, unknown>,
        ]
      : []),
  ];

  return (
    <Page
      title="Properties"
      actions={
        can('properties/create') && (
          <Button onClick={() => setCreating(true)} data-testid="new-property">
            New property
          </Button>
        )
      }
    >
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Name, nickname, address or tag"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={280}
        />
        <LocationSelect label="Location" clearable value={locationId} onChange={setLocationId} w={220} />
        <MultiSelect
          label="Status"
          data={enumOptions(PROPERTY_STATUSES)}
          value={status}
          onChange={setStatus}
          w={200}
          clearable
        />
        <MultiSelect
          label="Type"
          data={enumOptions(PROPERTY_TYPES)}
          value={type}
          onChange={setType}
          w={200}
          clearable
        />
        <Switch
          label="Show archived"
          checked={includeArchived}
          onChange={(e) => setIncludeArchived(e.currentTarget.checked)}
        />
      </Group>
      <PagedTable
        list={list}
        loading="Loading properties…"
        label="Properties"
        columns={columns}
        rowKey={(p) => p.id!}
        onOpen={(p) => navigate(`/properties/${p.id}`)}
        sorting={sorting}
        onSortingChange={setSorting}
        empty={
          <Empty
            title={
              term || status.length || type.length || locationId
                ? 'No property matches these filters'
                : 'No properties yet'
            }
          >
            {can('properties/create')
              ? 'Add the first one with “New property”.'
              : 'Properties you work with appear here.'}
          </Empty>
        }
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New property" size="xl">
        {creating && (
          <PropertyForm
            onSaved={(id) => {
              setCreating(false);
              navigate(`/properties/${id}`);
            }}
          />
        )}
      </Modal>
    </Page>
  );
}

type Property = OutputOf<'properties/get'>;

const toList = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

export function PropertyForm({ property, onSaved }: { property?: Property; onSaved: (id: string) => void }) {
  const can = useCan();
  const valuesOf = (property?: Property) => {
    const currency = property?.currency ?? '';
    return {
      name: property?.name ?? '',
      nickname: property?.nickname ?? '',
      type: property?.type ?? 'APARTMENT',
      status: property?.status ?? 'ACTIVE',
      address: property?.address ?? '',
      locationId: property?.locationId ?? '',
      ownerId: property?.ownerId ?? null,
      agentId: property?.agentId ?? null,
      capacity: property?.capacity ?? 2,
      bedrooms: property?.bedrooms ?? 1,
      bathrooms: property?.bathrooms ?? 1,
      pricePerNightMinor: minorToDecimalText(property?.pricePerNightMinor, currency || 'EUR'),
      currency,
      description: property?.description ?? '',
      accessNotes: property?.accessNotes ?? '',
      tags: (property?.tags ?? []).join(', '),
    };
  };
  const { form, formError, onSubmit, submitting, merge } = useContractForm({
    initialValues: valuesOf(property),
    schema: property ? propertyUpdate : propertyCreate,
    toInput: (v, convert) => {
      const input = {
        name: v.name.trim(),
        nickname: orNull(v.nickname),
        type: v.type,
        address: v.address.trim(),
        locationId: orUndefined(v.locationId) as string,
        capacity: v.capacity,
        bedrooms: v.bedrooms,
        bathrooms: v.bathrooms,
        pricePerNightMinor:
          convert.money('pricePerNightMinor', v.pricePerNightMinor, v.currency) ?? (undefined as never),
        currency: v.currency,
        description: orNull(v.description),
        accessNotes: orNull(v.accessNotes),
        tags: toList(v.tags),
        // Only managers set who owns and who looks after a property, and its status.
        ...(can('properties/create') ? { ownerId: v.ownerId, agentId: v.agentId, status: v.status } : {}),
      };
      return input;
    },
    action: async (input) => {
      const saved = await callOrThrow('properties/create', input as InputOf<'properties/create'>);
      notifications.show({ color: 'green', message: `${saved.name} was added.` });
      onSaved(saved.id);
    },
    // Only what was changed is sent, with the values the form started from: a field someone else
    // changed meanwhile is refused, and the form shows both values to merge.
    edit: property && {
      record: property,
      valuesOf,
      reload: () => callOrThrow('properties/get', { id: property.id! }),
      save: async (changes, expected) => {
        if (Object.keys(changes).length > 0) {
          const saved = await callOrThrow('properties/update', { id: property.id!, changes, expected });
          notifications.show({ color: 'green', message: `${saved.name} was saved.` });
        }
        onSaved(property.id!);
      },
    },
  });
  const locations = useOperation('locations/list', { includeInactive: false });
  const onLocation = (id: string | null) => {
    form.setFieldValue('locationId', id ?? '');
    const location = locations.data?.find((l) => l.id === id);
    if (location && !form.getValues().currency) form.setFieldValue('currency', location.currency);
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Grid>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <TextInput label="Name" required {...form.getInputProps('name')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <TextInput label="Nickname" {...form.getInputProps('nickname')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <TextInput label="Address" required {...form.getInputProps('address')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <LocationSelect
              label="Location"
              required
              {...form.getInputProps('locationId')}
              value={form.getValues().locationId || null}
              onChange={onLocation}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Select
              label="Type"
              data={enumOptions(PROPERTY_TYPES)}
              allowDeselect={false}
              {...form.getInputProps('type')}
            />
          </Grid.Col>
          {can('properties/create') && (
            <Grid.Col span={{ base: 6, md: 3 }}>
              <Select
                label="Status"
                data={enumOptions(PROPERTY_STATUSES)}
                allowDeselect={false}
                {...form.getInputProps('status')}
              />
            </Grid.Col>
          )}
          <Grid.Col span={{ base: 4, md: 2 }}>
            <NumberInput label="Guests" min={1} max={100} allowDecimal={false} {...form.getInputProps('capacity')} />
          </Grid.Col>
          <Grid.Col span={{ base: 4, md: 2 }}>
            <NumberInput label="Bedrooms" min={0} max={50} allowDecimal={false} {...form.getInputProps('bedrooms')} />
          </Grid.Col>
          <Grid.Col span={{ base: 4, md: 2 }}>
            <NumberInput
              label="Bathrooms"
              min={0}
              max={50}
              step={0.5}
              decimalScale={1}
              {...form.getInputProps('bathrooms')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 8, md: 4 }}>
            <TextInput
              label="Price per night"
              inputMode="decimal"
              placeholder="120.00"
              required
              {...form.getInputProps('pricePerNightMinor')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 4, md: 2 }}>
            <TextInput label="Currency" placeholder="EUR" maxLength={3} required {...form.getInputProps('currency')} />
          </Grid.Col>
          {can('properties/create') && (
            <>
              <Grid.Col span={{ base: 12, md: 3 }}>
                <UserSelect label="Owner" roles={['OWNER']} clearable {...form.getInputProps('ownerId')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 3 }}>
                <UserSelect label="Agent" roles={['AGENT']} clearable {...form.getInputProps('agentId')} />
              </Grid.Col>
            </>
          )}
          <Grid.Col span={12}>
            <TextInput label="Tags" description="Separated by commas" {...form.getInputProps('tags')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Textarea label="Access notes (for staff)" autosize minRows={2} {...form.getInputProps('accessNotes')} />
          </Grid.Col>
        </Grid>
        <FormError message={formError} />
        <MergeChoices merge={merge} />
        <Group justify="flex-end">
          <Button type="submit" loading={submitting}>
            {property ? (merge ? 'Save again' : 'Save changes') : 'Add property'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function PropertyScreen() {
  const { id = '' } = useParams();
  const can = useCan();
  const property = useOperation('properties/get', { id });
  const [editing, setEditing] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const archive = useAction('properties/archive', {
    onSuccess: () => notifications.show({ message: 'The property was archived.' }),
  });
  return (
    <QueryView query={property} loading="Loading the property…">
      {(p) => (
        <Page
          title={p.name}
          back={{ to: '/properties', label: 'Properties' }}
          actions={
            <>
              {can('properties/update') && (
                <Button variant="default" onClick={() => setEditing(true)}>
                  Edit
                </Button>
              )}
              {can('properties/archive') && !p.archivedAt && (
                <Button variant="subtle" color="red" onClick={() => setArchiving(true)}>
                  Archive
                </Button>
              )}
            </>
          }
        >
          <Group gap="xs">
            <StatusBadge status={p.status} />
            <Text c="dimmed" size="sm">
              {label(p.type)} · {p.address} · {p.locationName}
            </Text>
            {p.airbnbId && (
              <Anchor href={`https://www.airbnb.com/rooms/${encodeURIComponent(p.airbnbId)}`} target="_blank" size="sm">
                Airbnb listing
              </Anchor>
            )}
          </Group>
          <Tabs defaultValue="overview" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="overview">Overview</Tabs.Tab>
              {can('reservations/list') && <Tabs.Tab value="reservations">Reservations</Tabs.Tab>}
              {can('tasks/list') && <Tabs.Tab value="tasks">Tasks</Tabs.Tab>}
              {can('ledger/list') && <Tabs.Tab value="finances">Finances</Tabs.Tab>}
            </Tabs.List>
            <Tabs.Panel value="overview" pt="md">
              <PropertyOverview property={p} />
            </Tabs.Panel>
            <Tabs.Panel value="reservations" pt="md">
              <ReservationTable filters={{ propertyId: id }} />
            </Tabs.Panel>
            <Tabs.Panel value="tasks" pt="md">
              <TaskTable filters={{ propertyId: id }} />
            </Tabs.Panel>
            <Tabs.Panel value="finances" pt="md">
              <LedgerTable filters={{ propertyId: id }} />
            </Tabs.Panel>
          </Tabs>
          <ConfirmDialog
            opened={archiving}
            onClose={() => setArchiving(false)}
            title={`Archive ${p.name}?`}
            confirmLabel="Archive"
            onConfirm={() => archive.mutateAsync({ id })}
          >
            It will take no new reservations.
          </ConfirmDialog>
          <Modal opened={editing} onClose={() => setEditing(false)} title={`Edit ${p.name}`} size="xl">
            {editing && <PropertyForm property={p} onSaved={() => setEditing(false)} />}
          </Modal>
        </Page>
      )}
    </QueryView>
  );
}

function Detail({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {title}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

function PropertyOverview({ property }: { property: Property }) {
  const can = useCan();
  const overview = useOperation('properties/overview', { id: property.id! }, { enabled: can('properties/overview') });
  return (
    <Stack>
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Detail title="Guests">{property.capacity}</Detail>
          <Detail title="Bedrooms">{property.bedrooms}</Detail>
          <Detail title="Bathrooms">{property.bathrooms}</Detail>
          {property.pricePerNightMinor !== undefined && (
            <Detail title="Price per night">{money(property.pricePerNightMinor, property.currency)}</Detail>
          )}
          <Detail title="Time zone">{property.timeZone ?? '—'}</Detail>
          {property.tags && <Detail title="Tags">{property.tags.join(', ') || '—'}</Detail>}
          <Detail title="Access notes">{property.accessNotes ?? '—'}</Detail>
        </SimpleGrid>
      </Card>
      {overview.data && (
        <SimpleGrid cols={{ base: 1, md: 4 }}>
          <Card withBorder>
            <Detail title="Owner">
              <span data-testid="property-owner">{overview.data.owner?.name ?? 'No owner recorded'}</span>
            </Detail>
          </Card>
          <Card withBorder>
            <Detail title="Guest payments this month">
              <span data-testid="guest-payments-month">
                {money(overview.data.monthToDate.revenueMinor, overview.data.monthToDate.currency)}
              </span>
            </Detail>
            <Text size="xs" c="dimmed">
              Received from guests less refunds, recorded since {formatDate(overview.data.monthToDate.from)}, before
              fees and owner payouts
            </Text>
          </Card>
          <Card withBorder>
            <Detail title="Occupancy this month">{percent(overview.data.monthToDate.occupancy)}</Detail>
          </Card>
          <Card withBorder>
            <Detail title="Upcoming stays">{overview.data.upcomingReservations.length}</Detail>
          </Card>
        </SimpleGrid>
      )}
    </Stack>
  );
}
