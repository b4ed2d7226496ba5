// Reservations: the list with its filters, a stay's page (status, balance, payments and
// refunds, tasks), and the form to book or change a stay.
import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
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
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ledgerEntryCreate, reservationCreate, reservationUpdate, userCreate } from '../../db/contracts/entities.js';
import { fieldLabel } from '../../db/contracts/errors.js';
import { isCalendarDate, nightsBetween } from '../../db/domain/dates.js';
import { RESERVATION_SOURCES, RESERVATION_STATUSES, type ReservationStatus } from '../../db/domain/enums.js';
import { latestStay, nextReservationStatuses, undoReservationStatuses } from '../../db/domain/reservation-states.js';
import type { InputOf, OutputOf } from '../../main/contract.js';
import { callOrThrow, useOperation } from '../api/operations.js';
import { useCan } from '../app/session.js';
import {
  daysBetween,
  formatDate,
  formatInstant,
  label,
  minorToDecimalText,
  money,
  personName,
  relativeDays,
  today,
} from '../format.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { DoNotRentWarning } from '../ui/guest-warning.js';
import { Conversion, FormError, MergeChoices, orNull, orUndefined, useContractForm } from '../ui/contract-form.js';
import { Page } from '../ui/page.js';
import { PagedTable, usePagedList, type ItemOf } from '../ui/paged-table.js';
import { PropertySelect, UserSelect } from '../ui/pickers.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty, QueryView } from '../ui/states.js';
import { LedgerTable, ReceivedOn, receivedAt } from './ledger.js';
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
  // The office's day first: stays from today on, soonest first; clearing "From" shows all, newest first.
  const [from, setFrom] = useState(() => today());
  const [to, setTo] = useState('');
  const [creating, setCreating] = useState(false);
  const filters: ListFilters = {
    search: term || undefined,
    status: status.length ? (status as ReservationStatus[]) : undefined,
    propertyId: propertyId ?? undefined,
    from: from || undefined,
    to: to || undefined,
    order: from ? 'asc' : 'desc',
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

/** What the form may start from when opened from the calendar or an availability search. */
export interface BookingStart {
  propertyId?: string;
  checkIn?: string;
  checkOut?: string;
  guests?: number;
}

/** The form's values for a stay (or a new one, from where the booking started). */
function reservationValues(reservation?: Reservation, initial?: BookingStart) {
  return {
    propertyId: reservation?.propertyId ?? initial?.propertyId ?? '',
    guestId: reservation?.guestId ?? '',
    guestName: reservation?.guestName ?? '',
    guestEmail: reservation?.guestEmail ?? '',
    guestPhone: reservation?.guestPhone ?? '',
    checkIn: reservation?.checkIn ?? initial?.checkIn ?? '',
    checkOut: reservation?.checkOut ?? initial?.checkOut ?? '',
    guests: reservation?.guests ?? initial?.guests ?? 2,
    status: (reservation?.status ?? 'CONFIRMED') as 'PENDING' | 'CONFIRMED',
    totalMinor: reservation ? minorToDecimalText(reservation.totalMinor, reservation.currency) : '',
    currency: reservation?.currency ?? '',
    source: reservation?.source ?? 'direct',
    specialRequests: reservation?.specialRequests ?? '',
    notes: reservation?.notes ?? '',
  };
}
type ReservationValues = ReturnType<typeof reservationValues>;

const CONTACT_FIELDS = ['guestName', 'guestEmail', 'guestPhone'] as const;
const HORIZON = 'is too far ahead: stays are taken at most three years in advance';

export function ReservationForm({
  reservation,
  initial,
  onSaved,
}: {
  reservation?: Reservation;
  initial?: BookingStart;
  onSaved: (id: string) => void;
}) {
  const [addingGuest, setAddingGuest] = useState(false);
  const [newGuest, setNewGuest] = useState<Guest | null>(null);
  // The total follows the nightly rate as the dates change, until someone types a total of their own.
  const totalTyped = useRef(Boolean(reservation));
  const toInput = (v: ReservationValues, convert: Conversion) => {
    // Refused by the rulebook too; said here before anything is sent.
    if (isCalendarDate(v.checkOut) && v.checkOut > latestStay(new Date())) convert.refuse('checkOut', HORIZON);
    return {
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
    };
  };
  const { form, formError, onSubmit, submitting, merge } = useContractForm({
    initialValues: reservationValues(reservation, initial),
    schema: reservation ? reservationUpdate : reservationCreate,
    toInput,
    action: async (input) => {
      const saved = await callOrThrow('reservations/create', input as InputOf<'reservations/create'>);
      notifications.show({ color: 'green', message: `Booked ${saved.guestName}.` });
      onSaved(saved.id);
    },
    edit: reservation && {
      record: reservation,
      valuesOf: (r) => reservationValues(r),
      reload: () => callOrThrow('reservations/get', { id: reservation.id }),
      save: async (changes, expected) => {
        if (Object.keys(changes).length > 0)
          await callOrThrow('reservations/update', { id: reservation.id, changes, expected });
        notifications.show({ color: 'green', message: 'The reservation was saved.' });
        onSaved(reservation.id);
      },
    },
  });
  const values = form.getValues();
  const property = useOperation('properties/get', { id: values.propertyId }, { enabled: Boolean(values.propertyId) });
  const guest = useOperation(
    'users/get',
    { id: values.guestId },
    { enabled: Boolean(values.guestId) && values.guestId !== newGuest?.id },
  );
  const chosenGuest =
    newGuest?.id === values.guestId ? newGuest : guest.data?.id === values.guestId ? guest.data : null;

  const datesReady =
    isCalendarDate(values.checkIn) && isCalendarDate(values.checkOut) && values.checkOut > values.checkIn;
  const nights = datesReady ? nightsBetween(values.checkIn, values.checkOut) : 0;
  const rate = property.data?.id === values.propertyId ? property.data.pricePerNightMinor : undefined;
  const currency = property.data?.id === values.propertyId ? property.data.currency : undefined;
  const rateTotal = rate !== undefined && nights > 0 ? rate * nights : null;
  const availability = useOperation(
    'reservations/check-dates',
    {
      propertyId: values.propertyId,
      checkIn: values.checkIn,
      checkOut: values.checkOut,
      reservationId: reservation?.id,
    },
    { enabled: Boolean(values.propertyId) && datesReady, keepPrevious: true },
  );

  // The booking's contact is the chosen guest's: asked once, when the guest is added.
  const contactOf = chosenGuest && (!reservation || chosenGuest.id !== reservation.guestId) ? chosenGuest : null;
  useEffect(() => {
    if (!contactOf) return;
    const contact = {
      guestName: `${contactOf.firstName} ${contactOf.lastName}`,
      guestEmail: contactOf.email,
      guestPhone: contactOf.phone ?? '',
    };
    // Only when it differs: setting values clears the marked fields, and this runs on every render.
    const now = form.getValues();
    if (CONTACT_FIELDS.some((field) => now[field] !== contact[field])) form.setValues(contact);
  }, [contactOf, form]);
  // A stay is in its property's currency, whatever anyone types.
  useEffect(() => {
    if (currency && form.getValues().currency !== currency) form.setFieldValue('currency', currency);
  }, [currency, form]);
  useEffect(() => {
    if (rateTotal === null || totalTyped.current || !currency) return;
    const text = minorToDecimalText(rateTotal, currency);
    if (form.getValues().totalMinor !== text) form.setFieldValue('totalMinor', text);
  }, [rateTotal, currency, form]);

  const totalProps = form.getInputProps('totalMinor');
  const typedTotal = convertedTotal(values.totalMinor, currency);
  const contactError = CONTACT_FIELDS.filter((field) => form.errors[field])
    .map((field) => `${fieldLabel(field)} ${String(form.errors[field])}`)
    .join('; ');

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
                  onChange={(id) => form.setFieldValue('propertyId', id ?? '')}
                />
              </Grid.Col>
            )}
            <Grid.Col span={{ base: 12, md: reservation ? 12 : 6 }}>
              <Group align="flex-end" gap="xs" wrap="nowrap">
                <UserSelect
                  label="Guest"
                  roles={['GUEST']}
                  known={newGuest && { value: newGuest.id, label: `${personName(newGuest)} · ${newGuest.email}` }}
                  required
                  style={{ flex: 1 }}
                  {...form.getInputProps('guestId')}
                  value={values.guestId || null}
                  onChange={(id) => form.setFieldValue('guestId', id ?? '')}
                />
                <Button variant="default" onClick={() => setAddingGuest(true)}>
                  New guest
                </Button>
              </Group>
              {!reservation && (
                <Text size="sm" c={contactError ? 'red' : 'dimmed'} mt={4} data-testid="guest-contact">
                  {contactError ||
                    (chosenGuest
                      ? `Booked under ${personName(chosenGuest)} · ${[chosenGuest.email, chosenGuest.phone].filter(Boolean).join(' · ')}`
                      : 'The booking takes the guest’s name, email and phone.')}
                </Text>
              )}
              {!reservation && <DoNotRentWarning guest={chosenGuest} />}
            </Grid.Col>
            {reservation && (
              <>
                <Grid.Col span={{ base: 12, md: 4 }}>
                  <TextInput label="Name on the booking" required {...form.getInputProps('guestName')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 4 }}>
                  <TextInput label="Guest email" type="email" required {...form.getInputProps('guestEmail')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 4 }}>
                  <TextInput label="Guest phone" {...form.getInputProps('guestPhone')} />
                </Grid.Col>
              </>
            )}
            <Grid.Col span={{ base: 6, md: 3 }}>
              <TextInput
                type="date"
                label="Check-in"
                required
                max={latestStay(new Date())}
                {...form.getInputProps('checkIn')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <TextInput
                type="date"
                label="Check-out"
                required
                max={latestStay(new Date())}
                {...form.getInputProps('checkOut')}
              />
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
            <Grid.Col span={12}>
              <Availability
                ready={Boolean(values.propertyId) && datesReady}
                result={availability.data}
                checking={availability.isFetching}
                error={availability.error?.message}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 8, md: 4 }}>
              <TextInput
                label={currency ? `Total (${currency})` : 'Total'}
                inputMode="decimal"
                required
                description={
                  rateTotal !== null && currency
                    ? `${nights} ${nights === 1 ? 'night' : 'nights'} × ${money(rate, currency)} = ${money(rateTotal, currency)}`
                    : 'Choose the property and dates: the nightly rate gives the total.'
                }
                {...totalProps}
                onChange={(event) => {
                  totalTyped.current = true;
                  totalProps.onChange(event);
                }}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 4, md: 4 }} style={{ alignSelf: 'flex-end' }}>
              {rateTotal !== null && currency && typedTotal !== rateTotal && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    totalTyped.current = false;
                    form.setFieldValue('totalMinor', minorToDecimalText(rateTotal, currency));
                  }}
                >
                  Price from the nightly rate
                </Button>
              )}
            </Grid.Col>
            {!reservation && (
              <Grid.Col span={{ base: 12, md: 4 }}>
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
          <MergeChoices merge={merge} />
          <Group justify="flex-end">
            <Button type="submit" loading={submitting}>
              {reservation ? (merge ? 'Save again' : 'Save changes') : 'Book'}
            </Button>
          </Group>
        </Stack>
      </form>
      <Modal opened={addingGuest} onClose={() => setAddingGuest(false)} title="New guest">
        {addingGuest && (
          <GuestForm
            onSaved={(created) => {
              setAddingGuest(false);
              // Kept in hand: an agent may not look up a guest who has no booking yet.
              setNewGuest(created);
              form.setFieldValue('guestId', created.id);
            }}
          />
        )}
      </Modal>
    </>
  );
}

/** The typed total in minor units, or null when it is not an amount yet. */
function convertedTotal(text: string, currency: string | undefined): number | null {
  if (!currency) return null;
  const conversion = new Conversion();
  return conversion.money('totalMinor', text, currency);
}

/** Whether the property is free for the chosen nights, before anything is booked. */
function Availability({
  ready,
  result,
  checking,
  error,
}: {
  ready: boolean;
  result: OutputOf<'reservations/check-dates'> | undefined;
  checking: boolean;
  error: string | undefined;
}) {
  if (!ready)
    return (
      <Text size="sm" c="dimmed" data-testid="availability">
        Choose the property and the dates to see whether they are free.
      </Text>
    );
  if (error)
    return (
      <Alert color="red" data-testid="availability">
        {error}
      </Alert>
    );
  if (!result)
    return (
      <Text size="sm" c="dimmed" data-testid="availability">
        Checking the dates…
      </Text>
    );
  return (
    <Alert
      color={result.free ? 'green' : 'orange'}
      data-testid="availability"
      aria-live="polite"
      aria-busy={checking}
      title={result.free ? `Free for these ${result.nights} ${result.nights === 1 ? 'night' : 'nights'}` : 'Not free'}
    >
      {result.free ? 'Nobody else is booked at this property on these nights.' : result.problems.join(' ')}
    </Alert>
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

/** The words for undoing each status, by the status being left. */
const UNDO_ACTIONS: Partial<Record<ReservationStatus, string>> = {
  CHECKED_IN: 'Undo check-in',
  CHECKED_OUT: 'Undo check-out',
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

/** A status move that asks first: why, and what the dialog says. */
type Question =
  | { kind: 'ending'; status: Ending }
  | { kind: 'early'; status: 'CHECKED_IN'; days: number }
  | { kind: 'owing'; status: 'CHECKED_OUT' }
  | { kind: 'undo'; status: ReservationStatus };

interface Asked {
  title: string;
  body: string;
  confirm: string;
  cancel: string;
  color: string;
  reason: { label: string; description: string; maxLength: number; required?: boolean };
}

function questionWords(q: Question, r: Reservation): Asked {
  const optional = { label: 'Reason', description: 'Optional; kept in the audit log.', maxLength: 500 };
  const guest = r.guestName;
  switch (q.kind) {
    case 'ending':
      return {
        title: ENDINGS[q.status].title(guest),
        body: ENDINGS[q.status].consequence,
        confirm: ENDINGS[q.status].confirm,
        cancel: 'Keep it',
        color: 'red',
        reason: optional,
      };
    case 'early':
      return {
        title: `Check ${guest} in early?`,
        body:
          `${guest} is due on ${formatDate(r.checkIn)}, ${relativeDays(q.days)} by the date at ${r.propertyName}. ` +
          'Check in now only if the guest has really arrived: the stay’s dates do not change.',
        confirm: 'Check in early',
        cancel: 'Not yet',
        color: 'orange',
        reason: optional,
      };
    case 'owing':
      return {
        title: `${guest} still owes ${money(r.balance.outstandingMinor, r.currency)}`,
        body:
          `Checking out leaves ${money(r.balance.outstandingMinor, r.currency)} of ${money(r.balance.totalMinor, r.currency)} ` +
          'unpaid on this stay. Record the payment first, or check out and follow it up.',
        confirm: 'Check out with money owing',
        cancel: 'Not yet',
        color: 'orange',
        reason: optional,
      };
    case 'undo':
      return r.status === 'CHECKED_OUT'
        ? {
            title: `Undo the check-out of ${guest}?`,
            body: 'The stay goes back to checked in. The turnover clean planned at check-out is cancelled unless someone has started it.',
            confirm: 'Undo check-out',
            cancel: 'Keep it',
            color: 'orange',
            reason: {
              ...optional,
              description: 'Required: say what went wrong. Kept in the audit log.',
              required: true,
            },
          }
        : {
            title: `Undo the check-in of ${guest}?`,
            body: 'The stay goes back to confirmed, as if the guest had not arrived yet.',
            confirm: 'Undo check-in',
            cancel: 'Keep it',
            color: 'orange',
            reason: {
              ...optional,
              description: 'Required: say what went wrong. Kept in the audit log.',
              required: true,
            },
          };
  }
}

function doneWords(status: ReservationStatus, undo: boolean): string {
  if (undo)
    return status === 'CHECKED_IN'
      ? 'Check-out undone: the stay is checked in again.'
      : 'Check-in undone: the stay is confirmed again.';
  return status === 'CHECKED_OUT'
    ? 'Checked out: a turnover cleaning task was planned.'
    : `Now ${label(status).toLowerCase()}.`;
}

export function ReservationScreen() {
  const { id = '' } = useParams();
  const can = useCan();
  const reservation = useOperation('reservations/get', { id });
  const [editing, setEditing] = useState(false);
  const [recording, setRecording] = useState<null | 'payment' | 'refund'>(null);
  // Kept after the dialog closes, so its words do not change while it fades out.
  const [question, setQuestion] = useState<Question>({ kind: 'ending', status: 'CANCELLED' });
  const [asking, setAsking] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const changeStatus = async (status: ReservationStatus, reason?: string, undo = false) => {
    await callOrThrow('reservations/set-status', { id, status, reason: reason || undefined });
    notifications.show({ message: doneWords(status, undo) });
    await reservation.refetch();
  };

  const ask = (q: Question) => {
    setQuestion(q);
    setAsking(true);
  };

  const onStatusButton = async (r: Reservation, status: ReservationStatus) => {
    setActionError(null);
    if (isEnding(status)) return ask({ kind: 'ending', status });
    // Before the arrival day where the property is, or with money owing: asked, never silent.
    if (status === 'CHECKED_IN' && r.today < r.checkIn)
      return ask({ kind: 'early', status, days: daysBetween(r.today, r.checkIn) });
    if (status === 'CHECKED_OUT' && r.balance.outstandingMinor > 0) return ask({ kind: 'owing', status });
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
      {(r) => {
        const words = questionWords(question, r);
        return (
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
                      onClick={() => void onStatusButton(r, status)}
                    >
                      {STATUS_ACTIONS[status] ?? label(status)}
                    </Button>
                  ))}
                  {undoReservationStatuses(r.status).map((status) => (
                    <Button key={status} variant="subtle" onClick={() => ask({ kind: 'undo', status })}>
                      {UNDO_ACTIONS[r.status]}
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
            <Group gap="md">
              {can('guests/profile') && r.guestId && (
                <Anchor component={Link} to={`/guests/${r.guestId}`} size="sm">
                  Guest: {r.guestName}
                </Anchor>
              )}
              <Anchor component={Link} to={`/properties/${r.propertyId}`} size="sm">
                Property: {r.propertyName}
              </Anchor>
              <Anchor component={Link} to={`/reservations/${r.id}/confirmation`} size="sm">
                Confirmation (print)
              </Anchor>
              <Anchor component={Link} to={`/reservations/${r.id}/receipt`} size="sm">
                Receipt (print)
              </Anchor>
            </Group>
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
                    <Row name="Special requests">
                      <span data-testid="special-requests">{r.specialRequests ?? '—'}</span>
                    </Row>
                    {r.notes !== undefined && (
                      <Row name="Notes">
                        <span data-testid="notes">{r.notes ?? '—'}</span>
                      </Row>
                    )}
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
              title={words.title}
              confirmLabel={words.confirm}
              cancelLabel={words.cancel}
              color={words.color}
              reason={words.reason}
              onConfirm={(reason) => changeStatus(question.status, reason, question.kind === 'undo')}
            >
              {words.body}
            </ConfirmDialog>
            <Modal
              opened={recording !== null}
              onClose={() => setRecording(null)}
              title={recording === 'refund' ? 'Refund' : 'Record a payment'}
            >
              {recording && <PaymentForm kind={recording} reservation={r} onSaved={() => setRecording(null)} />}
            </Modal>
          </Page>
        );
      }}
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

const STAY_ENDED: readonly ReservationStatus[] = ['CANCELLED', 'NO_SHOW'];

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
  const owed = STAY_ENDED.includes(reservation.status) ? 0 : reservation.balance.outstandingMinor;
  const suggested = kind === 'payment' ? owed : 0;
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: {
      amountMinor: suggested > 0 ? minorToDecimalText(suggested, currency) : '',
      transactionFeeMinor: '',
      paymentMethod: 'card',
      referenceEntryId: '',
      description: '',
      processedAt: today(),
      isCredit: false,
    },
    schema: ledgerEntryCreate,
    toInput: (v, convert) => {
      const amount = convert.money('amountMinor', v.amountMinor, currency) ?? (undefined as never);
      const fee = convert.money('transactionFeeMinor', v.transactionFeeMinor, currency) ?? 0;
      const credit = kind === 'payment' && v.isCredit;
      if (kind === 'payment' && !credit && amount > owed)
        convert.refuse(
          'amountMinor',
          owed > 0
            ? `is more than the ${money(owed, currency)} still owed: tick “Record as the guest’s credit” to take it all, or take what is owed`
            : 'is more than this stay owes: tick “Record as the guest’s credit” to take it, or refund it',
        );
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
        processedAt: receivedAt(v.processedAt, convert),
        ...(credit ? { isCredit: true } : {}),
      };
    },
    action: async (input) => {
      await callOrThrow('ledger/record', input);
      notifications.show({ color: 'green', message: kind === 'refund' ? 'Refund recorded.' : 'Payment recorded.' });
      onSaved();
    },
  });
  const values = form.getValues();
  const amount = new Conversion().money('amountMinor', values.amountMinor, currency);
  const beyond = kind === 'payment' && amount !== null && amount > owed ? amount - owed : 0;
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        {kind === 'refund' && (
          <Select
            label="Payment to refund"
            required
            data={(payments.data?.items ?? [])
              .filter((p) => p.amountMinor > 0 && p.status === 'COMPLETED' && !p.reversed)
              .map((p) => ({
                value: p.id,
                label: `${money(p.amountMinor, p.currency)} · ${p.paymentMethod ?? ''} · ${formatInstant(p.processedAt ?? p.createdAt)}`,
              }))}
            {...form.getInputProps('referenceEntryId')}
          />
        )}
        <TextInput
          label={`Amount (${currency})`}
          inputMode="decimal"
          required
          data-autofocus
          description={kind === 'payment' ? `Still owed on this stay: ${money(owed, currency)}` : undefined}
          {...form.getInputProps('amountMinor')}
        />
        {beyond > 0 && (
          <Checkbox
            label="Record as the guest’s credit (an overpayment)"
            description={
              `This stay owes ${money(owed, currency)}. Ticked, all ${money(amount, currency)} is recorded and the ` +
              `${money(beyond, currency)} beyond what is owed is kept as the guest’s credit, to use on another stay ` +
              'or to refund. Unticked, take only what is owed.'
            }
            {...form.getInputProps('isCredit', { type: 'checkbox' })}
          />
        )}
        <TextInput
          label={`Card or bank fee (${currency})`}
          inputMode="decimal"
          placeholder="0.00"
          {...form.getInputProps('transactionFeeMinor')}
        />
        <ReceivedOn label={kind === 'refund' ? 'Paid back on' : 'Received on'} {...form.getInputProps('processedAt')} />
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
