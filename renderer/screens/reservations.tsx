// Reservations: the list with its filters, a stay's page (status, balance, payments and
// refunds, tasks), and the form to book or change a stay.
import {
  Alert,
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
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ledgerEntryCreate, reservationCreate, reservationUpdate, userCreate } from '../../db/contracts/entities.js';
import { nightsBetween } from '../../db/domain/dates.js';
import { RESERVATION_SOURCES, RESERVATION_STATUSES, type ReservationStatus } from '../../db/domain/enums.js';
import { nextReservationStatuses } from '../../db/domain/reservation-states.js';
import type { InputOf, OutputOf } from '../../main/contract.js';
import { callOrThrow, useOperation } from '../api/operations.js';
import { useCan } from '../app/session.js';
import { formatDate, label, minorToDecimalText, money } from '../format.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { FormError, orNull, orUndefined, useContractForm } from '../ui/contract-form.js';
import { Page } from '../ui/page.js';
import { PagedTable, usePagedList, type ItemOf } from '../ui/paged-table.js';
import { PropertySelect, UserSelect } from '../ui/pickers.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty, QueryView } from '../ui/states.js';
import { LedgerTable } from './ledger.js';
import { TaskTable } from './tasks.js';

type ReservationRow = ItemOf<'reservations/list'>;
type ListFilters = Omit<InputOf<'reservations/list'>, 'cursor' | 'limit'>;

const columns: ColumnDef<ReservationRow, unknown>[] = [
  {
    id: 'guest',
    header: 'Guest',
    cell: ({ row }) => (
      <Text fw={600} size="sm">
        {row.original.guestName}
      </Text>
    ),
  },
  { id: 'property', header: 'Property', cell: ({ row }) => row.original.propertyName },
  { id: 'checkIn', header: 'Check-in', cell: ({ row }) => formatDate(row.original.checkIn) },
  { id: 'checkOut', header: 'Check-out', cell: ({ row }) => formatDate(row.original.checkOut) },
  { id: 'nights', header: 'Nights', cell: ({ row }) => nightsBetween(row.original.checkIn, row.original.checkOut) },
  { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadge status={row.original.status} /> },
  { id: 'total', header: 'Total', cell: ({ row }) => money(row.original.totalMinor, row.original.currency) },
  { id: 'source', header: 'Source', cell: ({ row }) => label(row.original.source) },
];

/** A page of reservations for the given filters, opening a stay on click. */
export function ReservationTable({ filters }: { filters: ListFilters }) {
  const navigate = useNavigate();
  const list = usePagedList('reservations/list', filters, 25);
  return (
    <PagedTable
      list={list}
      loading="Loading reservations…"
      label="Reservations"
      columns={columns}
      rowKey={(r) => r.id}
      onOpen={(r) => navigate(`/reservations/${r.id}`)}
      empty={<Empty title="No reservations here">Reservations matching these filters appear here.</Empty>}
    />
  );
}

export function ReservationsScreen() {
  const can = useCan();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search, 250);
  const [status, setStatus] = useState<string[]>([]);
  const [propertyId, setPropertyId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [creating, setCreating] = useState(false);
  const filters: ListFilters = {
    search: term || undefined,
    status: status.length ? (status as ReservationStatus[]) : undefined,
    propertyId: propertyId ?? undefined,
    from: from || undefined,
    to: to || undefined,
  };
  return (
    <Page
      title="Reservations"
      actions={
        can('reservations/create') && (
          <Button onClick={() => setCreating(true)} data-testid="new-reservation">
            New reservation
          </Button>
        )
      }
    >
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Guest name or email"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={240}
        />
        <PropertySelect label="Property" clearable value={propertyId} onChange={setPropertyId} w={220} />
        <MultiSelect
          label="Status"
          data={RESERVATION_STATUSES.map((s) => ({ value: s, label: label(s) }))}
          value={status}
          onChange={setStatus}
          clearable
          w={220}
        />
        <TextInput type="date" label="Staying from" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label="until" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      <ReservationTable filters={filters} />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New reservation" size="xl">
        {creating && (
          <ReservationForm
            onSaved={(id) => {
              setCreating(false);
              navigate(`/reservations/${id}`);
            }}
          />
        )}
      </Modal>
    </Page>
  );
}

type Reservation = OutputOf<'reservations/get'>;

export function ReservationForm({
  reservation,
  initial,
  onSaved,
}: {
  reservation?: Reservation;
  initial?: { propertyId?: string; checkIn?: string };
  onSaved: (id: string) => void;
}) {
  const [addingGuest, setAddingGuest] = useState(false);
  const [newGuest, setNewGuest] = useState<{ value: string; label: string } | null>(null);
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: {
      propertyId: reservation?.propertyId ?? initial?.propertyId ?? '',
      guestId: reservation?.guestId ?? '',
      guestName: reservation?.guestName ?? '',
      guestEmail: reservation?.guestEmail ?? '',
      guestPhone: reservation?.guestPhone ?? '',
      checkIn: reservation?.checkIn ?? initial?.checkIn ?? '',
      checkOut: reservation?.checkOut ?? '',
      guests: reservation?.guests ?? 2,
      status: (reservation?.status ?? 'CONFIRMED') as 'PENDING' | 'CONFIRMED',
      totalMinor: reservation ? minorToDecimalText(reservation.totalMinor, reservation.currency) : '',
      currency: reservation?.currency ?? '',
      source: reservation?.source ?? 'direct',
      specialRequests: reservation?.specialRequests ?? '',
      notes: reservation?.notes ?? '',
    },
    schema: reservation ? reservationUpdate : reservationCreate,
    toInput: (v, convert) => ({
      ...(reservation ? {} : { propertyId: orUndefined(v.propertyId) as string, status: v.status }),
      guestId: orUndefined(v.guestId) as string,
      guestName: v.guestName.trim(),
      guestEmail: v.guestEmail.trim(),
      guestPhone: orNull(v.guestPhone),
      checkIn: v.checkIn,
      checkOut: v.checkOut,
      guests: v.guests,
      totalMinor: convert.money('totalMinor', v.totalMinor, v.currency) ?? (undefined as never),
      currency: v.currency,
      source: v.source,
      specialRequests: orNull(v.specialRequests),
      notes: orNull(v.notes),
    }),
    action: async (input) => {
      if (reservation) {
        const changes = Object.fromEntries(
          Object.entries(input).filter(
            ([key, value]) => value !== (reservation as unknown as Record<string, unknown>)[key],
          ),
        );
        if (Object.keys(changes).length > 0) await callOrThrow('reservations/update', { id: reservation.id, changes });
        notifications.show({ color: 'green', message: 'The reservation was saved.' });
        return onSaved(reservation.id);
      }
      const saved = await callOrThrow('reservations/create', input as InputOf<'reservations/create'>);
      notifications.show({ color: 'green', message: `Booked ${saved.guestName}.` });
      onSaved(saved.id);
    },
  });
  const values = form.getValues();
  const property = useOperation('properties/get', { id: values.propertyId }, { enabled: Boolean(values.propertyId) });
  const guest = useOperation('users/get', { id: values.guestId }, { enabled: Boolean(values.guestId) });

  const nights =
    values.checkIn && values.checkOut && values.checkOut > values.checkIn
      ? nightsBetween(values.checkIn, values.checkOut)
      : 0;
  const suggestTotal = () => {
    const p = property.data;
    if (!p || p.pricePerNightMinor === undefined || !nights) return;
    form.setFieldValue('currency', p.currency!);
    form.setFieldValue('totalMinor', minorToDecimalText(p.pricePerNightMinor * nights, p.currency!));
  };
  const onProperty = (id: string | null) => {
    form.setFieldValue('propertyId', id ?? '');
  };
  const onGuest = (id: string | null) => {
    form.setFieldValue('guestId', id ?? '');
  };
  // Fill the stay's contact details and currency from the chosen guest and property.
  const chosenGuest = guest.data?.id === values.guestId ? guest.data : undefined;
  useEffect(() => {
    if (!chosenGuest || form.getValues().guestName) return;
    form.setValues({
      guestName: `${chosenGuest.firstName} ${chosenGuest.lastName}`,
      guestEmail: chosenGuest.email,
      guestPhone: chosenGuest.phone ?? '',
    });
  }, [chosenGuest, form]);
  const propertyCurrency = property.data?.currency;
  useEffect(() => {
    if (propertyCurrency && !form.getValues().currency) form.setFieldValue('currency', propertyCurrency);
  }, [propertyCurrency, form]);

  return (
    <>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Grid>
            {!reservation && (
              <Grid.Col span={{ base: 12, md: 6 }}>
                <PropertySelect
                  label="Property"
                  required
                  {...form.getInputProps('propertyId')}
                  value={values.propertyId || null}
                  onChange={onProperty}
                />
              </Grid.Col>
            )}
            <Grid.Col span={{ base: 12, md: reservation ? 12 : 6 }}>
              <Group align="flex-end" gap="xs" wrap="nowrap">
                <UserSelect
                  label="Guest"
                  roles={['GUEST']}
                  known={newGuest}
                  required
                  style={{ flex: 1 }}
                  {...form.getInputProps('guestId')}
                  value={values.guestId || null}
                  onChange={(id) => {
                    form.setFieldValue('guestName', '');
                    onGuest(id);
                  }}
                />
                <Button variant="default" onClick={() => setAddingGuest(true)}>
                  New guest
                </Button>
              </Group>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TextInput label="Name on the booking" required {...form.getInputProps('guestName')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TextInput label="Guest email" type="email" required {...form.getInputProps('guestEmail')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TextInput label="Guest phone" {...form.getInputProps('guestPhone')} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <TextInput type="date" label="Check-in" required {...form.getInputProps('checkIn')} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <TextInput type="date" label="Check-out" required {...form.getInputProps('checkOut')} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 2 }}>
              <NumberInput label="Guests" min={1} max={100} allowDecimal={false} {...form.getInputProps('guests')} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 4 }}>
              <Select
                label="Source"
                data={RESERVATION_SOURCES.map((s) => ({ value: s, label: label(s) }))}
                allowDeselect={false}
                {...form.getInputProps('source')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 8, md: 4 }}>
              <TextInput
                label="Total"
                inputMode="decimal"
                required
                description={nights ? `${nights} nights` : undefined}
                {...form.getInputProps('totalMinor')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 4, md: 2 }}>
              <TextInput label="Currency" maxLength={3} required {...form.getInputProps('currency')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 3 }} style={{ alignSelf: 'flex-end' }}>
              <Button variant="subtle" onClick={suggestTotal} disabled={!nights || !property.data}>
                Price from the nightly rate
              </Button>
            </Grid.Col>
            {!reservation && (
              <Grid.Col span={{ base: 12, md: 3 }}>
                <Select
                  label="Status"
                  data={[
                    { value: 'CONFIRMED', label: 'Confirmed' },
                    { value: 'PENDING', label: 'Pending (a request)' },
                  ]}
                  allowDeselect={false}
                  {...form.getInputProps('status')}
                />
              </Grid.Col>
            )}
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Textarea label="Special requests" autosize minRows={2} {...form.getInputProps('specialRequests')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Textarea label="Notes (internal)" autosize minRows={2} {...form.getInputProps('notes')} />
            </Grid.Col>
          </Grid>
          <FormError message={formError} />
          <Group justify="flex-end">
            <Button type="submit" loading={submitting}>
              {reservation ? 'Save changes' : 'Book'}
            </Button>
          </Group>
        </Stack>
      </form>
      <Modal opened={addingGuest} onClose={() => setAddingGuest(false)} title="New guest">
        {addingGuest && (
          <GuestForm
            onSaved={(guest) => {
              setAddingGuest(false);
              // Filled from the new record itself: an agent may not look up a guest who has no booking yet.
              setNewGuest({ value: guest.id, label: `${guest.firstName} ${guest.lastName} · ${guest.email}` });
              form.setValues({
                guestId: guest.id,
                guestName: `${guest.firstName} ${guest.lastName}`,
                guestEmail: guest.email,
                guestPhone: guest.phone ?? '',
              });
            }}
          />
        )}
      </Modal>
    </>
  );
}

type Guest = OutputOf<'users/create'>;

function GuestForm({ onSaved }: { onSaved: (guest: Guest) => void }) {
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: { firstName: '', lastName: '', email: '', phone: '' },
    schema: userCreate,
    toInput: (v) => ({
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      email: v.email.trim(),
      phone: orNull(v.phone),
      role: 'GUEST' as const,
    }),
    action: async (input) => {
      const guest = await callOrThrow('users/create', input);
      onSaved(guest);
    },
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <TextInput label="First name" required {...form.getInputProps('firstName')} />
        <TextInput label="Last name" required {...form.getInputProps('lastName')} />
        <TextInput label="Email" type="email" required {...form.getInputProps('email')} />
        <TextInput label="Phone" placeholder="+351 912 345 678" {...form.getInputProps('phone')} />
        <FormError message={formError} />
        <Button type="submit" loading={submitting}>
          Add guest
        </Button>
      </Stack>
    </form>
  );
}

const STATUS_ACTIONS: Record<string, string> = {
  CONFIRMED: 'Confirm',
  CHECKED_IN: 'Check in',
  CHECKED_OUT: 'Check out',
  CANCELLED: 'Cancel',
  NO_SHOW: 'No-show',
};

/** The moves that end a stay for good: each asks first, with an optional reason for the audit log. */
const ENDINGS = {
  CANCELLED: {
    title: (guest: string) => `Cancel the reservation of ${guest}?`,
    confirm: 'Cancel the reservation',
    consequence: 'Its open tasks are cancelled with it. A cancelled reservation cannot be reopened.',
  },
  NO_SHOW: {
    title: (guest: string) => `Mark ${guest} as a no-show?`,
    confirm: 'Mark as no-show',
    consequence: 'The guest did not arrive: the open tasks of this stay are cancelled. This cannot be undone.',
  },
} as const;
type Ending = keyof typeof ENDINGS;
const isEnding = (status: ReservationStatus): status is Ending => status in ENDINGS;

export function ReservationScreen() {
  const { id = '' } = useParams();
  const can = useCan();
  const reservation = useOperation('reservations/get', { id });
  const [editing, setEditing] = useState(false);
  const [recording, setRecording] = useState<null | 'payment' | 'refund'>(null);
  // Kept after the dialog closes, so its words do not change while it fades out.
  const [ending, setEnding] = useState<Ending>('CANCELLED');
  const [asking, setAsking] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const changeStatus = async (status: ReservationStatus, reason?: string) => {
    await callOrThrow('reservations/set-status', { id, status, reason: reason || undefined });
    notifications.show({
      message:
        status === 'CHECKED_OUT'
          ? 'Checked out: a turnover cleaning task was planned.'
          : `Now ${label(status).toLowerCase()}.`,
    });
    await reservation.refetch();
  };

  const onStatusButton = async (status: ReservationStatus) => {
    setActionError(null);
    if (isEnding(status)) {
      setEnding(status);
      setAsking(true);
      return;
    }
    setBusy(true);
    try {
      await changeStatus(status);
    } catch (error) {
      setActionError((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <QueryView query={reservation} loading="Loading the reservation…">
      {(r) => (
        <Page
          title={`${r.guestName} at ${r.propertyName}`}
          back={{ to: '/reservations', label: 'Reservations' }}
          actions={
            can('reservations/set-status') && (
              <>
                {nextReservationStatuses(r.status).map((status) => (
                  <Button
                    key={status}
                    variant={isEnding(status) ? 'subtle' : 'filled'}
                    color={isEnding(status) ? 'red' : undefined}
                    loading={busy}
                    onClick={() => void onStatusButton(status)}
                  >
                    {STATUS_ACTIONS[status] ?? label(status)}
                  </Button>
                ))}
                {can('reservations/update') && (
                  <Button variant="default" onClick={() => setEditing(true)}>
                    Edit
                  </Button>
                )}
              </>
            )
          }
        >
          {actionError && (
            <Alert color="red" role="alert">
              {actionError}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={4} mb="sm">
                Stay
              </Title>
              <Table>
                <Table.Tbody>
                  <Row name="Status">
                    <StatusBadge status={r.status} testId="reservation-status" />
                  </Row>
                  <Row name="Dates">
                    {formatDate(r.checkIn)} → {formatDate(r.checkOut)} ({nightsBetween(r.checkIn, r.checkOut)} nights)
                  </Row>
                  <Row name="Guests">{r.guests}</Row>
                  <Row name="Contact">{[r.guestEmail, r.guestPhone].filter(Boolean).join(' · ') || '—'}</Row>
                  <Row name="Source">{label(r.source)}</Row>
                  <Row name="Special requests">{r.specialRequests ?? '—'}</Row>
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder data-testid="balance">
              <Group justify="space-between" mb="sm">
                <Title order={4}>Balance</Title>
                <StatusBadge status={r.balance.paymentStatus} testId="payment-status" />
              </Group>
              <Table>
                <Table.Tbody>
                  <Row name="Total">{money(r.balance.totalMinor, r.currency)}</Row>
                  <Row name="Paid">{money(r.balance.paidMinor, r.currency)}</Row>
                  <Row name="Refunded">{money(r.balance.refundedMinor, r.currency)}</Row>
                  <Row name="Still to pay">
                    <Text fw={700} data-testid="outstanding">
                      {money(r.balance.outstandingMinor, r.currency)}
                    </Text>
                  </Row>
                </Table.Tbody>
              </Table>
              {can('ledger/record') && (
                <Group mt="sm">
                  <Button size="xs" onClick={() => setRecording('payment')}>
                    Record payment
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => setRecording('refund')}
                    disabled={r.balance.paidMinor === 0}
                  >
                    Refund
                  </Button>
                </Group>
              )}
            </Card>
          </SimpleGrid>
          {can('ledger/list') && (
            <Card withBorder>
              <Title order={4} mb="sm">
                Payments and refunds
              </Title>
              <LedgerTable filters={{ reservationId: id }} />
            </Card>
          )}
          {can('tasks/list') && (
            <Card withBorder>
              <Title order={4} mb="sm">
                Tasks
              </Title>
              <TaskTable filters={{ reservationId: id }} />
            </Card>
          )}
          <Modal opened={editing} onClose={() => setEditing(false)} title="Edit reservation" size="xl">
            {editing && <ReservationForm reservation={r} onSaved={() => setEditing(false)} />}
          </Modal>
          <ConfirmDialog
            opened={asking}
            onClose={() => setAsking(false)}
            title={ENDINGS[ending].title(r.guestName)}
            confirmLabel={ENDINGS[ending].confirm}
            reason={{ label: 'Reason', description: 'Optional; kept in the audit log.', maxLength: 500 }}
            onConfirm={(reason) => changeStatus(ending, reason)}
          >
            {ENDINGS[ending].consequence}
          </ConfirmDialog>
          <Modal
            opened={recording !== null}
            onClose={() => setRecording(null)}
            title={recording === 'refund' ? 'Refund' : 'Record a payment'}
          >
            {recording && <PaymentForm kind={recording} reservation={r} onSaved={() => setRecording(null)} />}
          </Modal>
        </Page>
      )}
    </QueryView>
  );
}

function Row({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={160}>{name}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

const PAYMENT_METHODS = ['card', 'bank transfer', 'cash', 'channel payout', 'other'];

/** A guest's payment toward a stay, or a refund of one of their payments. */
function PaymentForm({
  kind,
  reservation,
  onSaved,
}: {
  kind: 'payment' | 'refund';
  reservation: Reservation;
  onSaved: () => void;
}) {
  const payments = useOperation(
    'ledger/list',
    { reservationId: reservation.id, type: ['GUEST_PAYMENT'], limit: 100 },
    { enabled: kind === 'refund' },
  );
  const currency = reservation.currency;
  const suggested = kind === 'payment' ? reservation.balance.outstandingMinor : 0;
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: {
      amountMinor: suggested > 0 ? minorToDecimalText(suggested, currency) : '',
      transactionFeeMinor: '',
      paymentMethod: 'card',
      referenceEntryId: '',
      description: '',
    },
    schema: ledgerEntryCreate,
    toInput: (v, convert) => {
      const amount = convert.money('amountMinor', v.amountMinor, currency) ?? (undefined as never);
      const fee = convert.money('transactionFeeMinor', v.transactionFeeMinor, currency) ?? 0;
      return {
        userId: reservation.guestId,
        reservationId: reservation.id,
        propertyId: reservation.propertyId,
        referenceEntryId: kind === 'refund' ? v.referenceEntryId || (undefined as never) : undefined,
        type: kind === 'refund' ? ('REFUND' as const) : ('GUEST_PAYMENT' as const),
        category: kind === 'refund' ? 'refund' : 'booking',
        amountMinor: amount,
        currency,
        transactionFeeMinor: fee,
        netAmountMinor: amount - fee,
        paymentMethod: v.paymentMethod,
        description: orNull(v.description),
      };
    },
    action: async (input) => {
      await callOrThrow('ledger/record', input);
      notifications.show({ color: 'green', message: kind === 'refund' ? 'Refund recorded.' : 'Payment recorded.' });
      onSaved();
    },
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        {kind === 'refund' && (
          <Select
            label="Payment to refund"
            required
            data={(payments.data?.items ?? [])
              .filter((p) => p.amountMinor > 0 && p.status === 'COMPLETED')
              .map((p) => ({
                value: p.id,
                label: `${money(p.amountMinor, p.currency)} · ${p.paymentMethod ?? ''} · ${formatDate(p.createdAt.slice(0, 10))}`,
              }))}
            {...form.getInputProps('referenceEntryId')}
          />
        )}
        <TextInput label={`Amount (${currency})`} inputMode="decimal" required {...form.getInputProps('amountMinor')} />
        <TextInput
          label={`Card or bank fee (${currency})`}
          inputMode="decimal"
          placeholder="0.00"
          {...form.getInputProps('transactionFeeMinor')}
        />
        <Select label="Method" data={PAYMENT_METHODS} allowDeselect={false} {...form.getInputProps('paymentMethod')} />
        <TextInput label="Description" {...form.getInputProps('description')} />
        <FormError message={formError} />
        <Button type="submit" loading={submitting}>
          {kind === 'refund' ? 'Record refund' : 'Record payment'}
        </Button>
      </Stack>
    </form>
  );
}
