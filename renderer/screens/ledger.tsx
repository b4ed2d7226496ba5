// The ledger: every payment, payout, refund, fee and cost, never edited. A mistake is put right
// by reversing the entry (a new entry with the opposite amounts and a reason).
import {
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Text,
  TextInput,
  type TextInputProps,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ledgerEntryCreate } from '../../db/contracts/entities.js';
import { isCalendarDate } from '../../db/domain/dates.js';
import { LEDGER_ENTRY_TYPES, type LedgerEntryType } from '../../db/domain/enums.js';
import type { InputOf, OutputOf } from '../../main/contract.js';
import { callOrThrow, useOperation } from '../api/operations.js';
import { useCan } from '../app/session.js';
import { formatDate, formatInstant, label, money, personName, today } from '../format.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { FormError, orNull, useContractForm, type Conversion } from '../ui/contract-form.js';
import { Page } from '../ui/page.js';
import { PagedTable, usePagedList, type ItemOf } from '../ui/paged-table.js';
import { PropertySelect, UserSelect } from '../ui/pickers.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty } from '../ui/states.js';

type Entry = ItemOf<'ledger/list'>;
type Property = OutputOf<'properties/get'>;
type ListFilters = Omit<InputOf<'ledger/list'>, 'cursor' | 'limit'>;

const isReversal = (entry: Entry) => entry.amountMinor < 0 && entry.referenceEntryId !== null;

/** Where the money of an entry belongs, by name: "Alfama Loft, 10 Dec 2026 – 14 Dec 2026". */
function placeWords(entry: Entry): string {
  if (!entry.stay) return entry.propertyName ?? 'the agency';
  const dates = `${formatDate(entry.stay.checkIn)} – ${formatDate(entry.stay.checkOut)}`;
  const whose = entry.personName === entry.stay.guestName ? '' : ` (the stay of ${entry.stay.guestName})`;
  return `${entry.propertyName ?? 'the stay'}, ${dates}${whose}`;
}

/** What an entry is, as the ledger names it: "guest payment of €100.00 from Ana Silva, Alfama Loft, 10 Dec 2026 – 14 Dec 2026". */
export function entryWords(entry: Entry): string {
  const what = `${label(entry.type).toLowerCase()} of ${money(Math.abs(entry.amountMinor), entry.currency)}`;
  const who = entry.personName ? ` ${entry.type === 'GUEST_PAYMENT' ? 'from' : 'to'} ${entry.personName}` : '';
  return `${what}${who}, ${placeWords(entry)}`;
}

/** Reversing asks first, names the entry, and wants the reason the ledger will show. */
function ReverseButton({ entry }: { entry: Entry }) {
  const [open, setOpen] = useState(false);
  // A reversal is not reversed again, and an entry is reversed once (the rulebook refuses both).
  if (entry.status !== 'COMPLETED' || isReversal(entry) || entry.reversed) return null;
  const reverse = async (reason: string) => {
    await callOrThrow('ledger/reverse', { id: entry.id, reason });
    notifications.show({ message: `The ${label(entry.type).toLowerCase()} was reversed.` });
  };
  return (
    <>
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        onClick={() => setOpen(true)}
        aria-label={`Reverse the ${entryWords(entry)}`}
      >
        Reverse
      </Button>
      <ConfirmDialog
        opened={open}
        onClose={() => setOpen(false)}
        title="Reverse this entry?"
        confirmLabel="Reverse entry"
        cancelLabel="Keep it"
        reason={{
          label: 'Reason',
          description: 'Required; shown in the ledger beside both entries.',
          maxLength: 500,
          required: true,
        }}
        onConfirm={reverse}
      >
        {`A new entry of ${money(-entry.amountMinor, entry.currency)} will cancel the ${entryWords(entry)}. ` +
          'The original stays in the ledger, marked reversed.'}
      </ConfirmDialog>
    </>
  );
}

export function LedgerTable({ filters }: { filters: ListFilters }) {
  const can = useCan();
  const list = usePagedList('ledger/list', filters, 50);
  const columns: ColumnDef<Entry, unknown>[] = [
    { id: 'when', header: 'Recorded', cell: ({ row }) => formatInstant(row.original.createdAt) },
    {
      id: 'type',
      header: 'Type',
      cell: ({ row }) => {
        const e = row.original;
        return (
          <Stack gap={0}>
            <Text size="sm">{isReversal(e) ? `Reversal · ${label(e.type)}` : label(e.type)}</Text>
            <Text size="xs" c="dimmed">
              {e.refersTo
                ? `of the ${label(e.refersTo.type).toLowerCase()} of ${money(e.refersTo.amountMinor, e.currency)} recorded ${formatInstant(e.refersTo.at)}`
                : e.category}
            </Text>
          </Stack>
        );
      },
    },
    {
      id: 'amount',
      header: 'Amount',
      cell: ({ row }) => (
        <Text
          size="sm"
          fw={600}
          c={row.original.amountMinor < 0 ? 'red' : row.original.reversed ? 'dimmed' : undefined}
          td={row.original.reversed ? 'line-through' : undefined}
        >
          {money(row.original.amountMinor, row.original.currency)}
        </Text>
      ),
    },
    { id: 'net', header: 'Net', cell: ({ row }) => money(row.original.netAmountMinor, row.original.currency) },
    { id: 'with', header: 'With', cell: ({ row }) => row.original.personName ?? '—' },
    {
      id: 'for',
      header: 'For',
      cell: ({ row }) => {
        const e = row.original;
        if (e.reservationId)
          return (
            <Link to={`/reservations/${e.reservationId}`}>
              {e.stay ? `${e.stay.guestName} · ${e.propertyName ?? ''}` : (e.propertyName ?? 'The stay')}
              {e.stay && (
                <Text span size="xs" c="dimmed" display="block">
                  {formatDate(e.stay.checkIn)} – {formatDate(e.stay.checkOut)}
                </Text>
              )}
            </Link>
          );
        if (e.propertyId) return <Link to={`/properties/${e.propertyId}`}>{e.propertyName ?? 'The property'}</Link>;
        return 'Agency';
      },
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row }) =>
        row.original.reversed ? (
          <Badge color="gray" variant="outline" radius="sm" data-testid="reversed">
            Reversed
          </Badge>
        ) : (
          <StatusBadge status={row.original.status} />
        ),
    },
    {
      id: 'description',
      header: 'Description',
      cell: ({ row }) => {
        const e = row.original;
        const because = isReversal(e) ? e.notes : e.reversed?.reason;
        return (
          <Stack gap={0}>
            <Text size="sm">{e.description ?? (isReversal(e) ? '' : (e.notes ?? ''))}</Text>
            {e.reversed && (
              <Text size="xs" c="dimmed">
                Reversed {formatInstant(e.reversed.at)}
              </Text>
            )}
            {because && (
              <Text size="xs" data-testid="reversal-reason">
                Reason: {because}
              </Text>
            )}
          </Stack>
        );
      },
    },
    ...(can('ledger/reverse')
      ? [
          { id: 'actions', header: '', cell: ({ row }) => <ReverseButton entry={row.original} /> } satisfies ColumnDef<
            Entry,
            unknown
          >,
        ]
      : []),
  ];
  return (
    <PagedTable
      list={list}
      loading="Loading the ledger…"
      label="Ledger entries"
      columns={columns}
      rowKey={(e) => e.id}
      empty={
        <Empty title="No entries here">Payments, payouts, refunds, fees and costs appear here once recorded.</Empty>
      }
    />
  );
}

export function LedgerScreen() {
  const can = useCan();
  const [types, setTypes] = useState<string[]>([]);
  const [propertyId, setPropertyId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [recording, setRecording] = useState(false);
  const filters: ListFilters = {
    type: types.length ? (types as LedgerEntryType[]) : undefined,
    propertyId: propertyId ?? undefined,
    from: from || undefined,
    to: to || undefined,
  };
  return (
    <Page
      title="Ledger"
      actions={can('ledger/record') && <Button onClick={() => setRecording(true)}>Record entry</Button>}
    >
      <Group align="flex-end" wrap="wrap">
        <MultiSelect
          label="Type"
          data={LEDGER_ENTRY_TYPES.map((t) => ({ value: t, label: label(t) }))}
          value={types}
          onChange={setTypes}
          clearable
          w={260}
        />
        <PropertySelect label="Property" clearable value={propertyId} onChange={setPropertyId} w={220} />
        <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label="Until" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      <LedgerTable filters={filters} />
      <Modal opened={recording} onClose={() => setRecording(false)} title="Record a ledger entry" size="lg">
        {recording && <EntryForm onSaved={() => setRecording(false)} />}
      </Modal>
    </Page>
  );
}

/** Who an entry of each type is with: the guest who paid, the owner paid out, the supplier paid. */
const COUNTERPARTY: Record<LedgerEntryType, Parameters<typeof UserSelect>[0]['roles']> = {
  GUEST_PAYMENT: ['GUEST'],
  REFUND: ['GUEST'],
  OWNER_PAYOUT: ['OWNER'],
  TASK_COST: ['CLEANER', 'MAINTENANCE_STAFF'],
  CLEANING_COST: ['CLEANER'],
  MAINTENANCE_COST: ['MAINTENANCE_STAFF'],
  AGENCY_FEE: ['OWNER'],
  PLATFORM_FEE: ['ADMIN', 'MANAGER', 'AGENT'],
  MARKETING_COST: ['ADMIN', 'MANAGER', 'AGENT'],
};

/** The earliest "received on" day the rulebook takes, from a day (YYYY-MM-DD, the user's calendar). */
export const oneYearBefore = (date: string) => `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;

/**
 * The moment money was received, from the day the person gives: now for today, midday of an
 * earlier day otherwise. Checked as the rulebook checks it (ledger.received-within-the-year).
 */
export function receivedAt(day: string, convert: Conversion): string | undefined {
  const now = today();
  if (!isCalendarDate(day)) {
    convert.refuse('processedAt', 'must be a date');
    return undefined;
  }
  if (day > now) convert.refuse('processedAt', 'cannot be in the future: record money once it has been received');
  else if (day < oneYearBefore(now))
    convert.refuse(
      'processedAt',
      `must be within the last year, on or after ${formatDate(oneYearBefore(now))}: for older money, record it as received today and note the real date in the description`,
    );
  return day === now ? undefined : new Date(`${day}T12:00:00`).toISOString();
}

/** The date field for when money changed hands: today, or back-dated within the last year. */
export function ReceivedOn(props: TextInputProps) {
  return (
    <TextInput
      type="date"
      required
      max={today()}
      min={oneYearBefore(today())}
      description="Today, or an earlier day within the last year"
      {...props}
    />
  );
}

function EntryForm({ onSaved }: { onSaved: () => void }) {
  // The property's owner, as last suggested: replaced when the property changes, kept once someone picks another.
  const suggested = useRef<string | null>(null);
  const property = useRef<Property | null>(null);
  const { form, formError, onSubmit, submitting } = useContractForm({
    initialValues: {
      type: 'OWNER_PAYOUT' as LedgerEntryType,
      userId: null as string | null,
      propertyId: null as string | null,
      category: '',
      amountMinor: '',
      platformFeeMinor: '',
      transactionFeeMinor: '',
      currency: 'EUR',
      paymentMethod: '',
      description: '',
      processedAt: today(),
    },
    schema: ledgerEntryCreate,
    toInput: (v, convert) => {
      const amount = convert.money('amountMinor', v.amountMinor, v.currency) ?? (undefined as never);
      const platformFee = convert.money('platformFeeMinor', v.platformFeeMinor, v.currency) ?? 0;
      const transactionFee = convert.money('transactionFeeMinor', v.transactionFeeMinor, v.currency) ?? 0;
      // Said here before sending; the rulebook refuses it too (ledger.owner-payout-to-owner).
      const chosen = property.current?.id === v.propertyId ? property.current : null;
      if (v.type === 'OWNER_PAYOUT' && chosen && v.userId && chosen.ownerId !== v.userId)
        convert.refuse(
          'userId',
          chosen.ownerId
            ? `must be the owner of ${chosen.name}: an owner payout goes to the property’s owner`
            : `${chosen.name} has no owner on record: set its owner first`,
        );
      return {
        type: v.type,
        userId: v.userId ?? (undefined as never),
        propertyId: v.propertyId,
        category: v.category.trim() || label(v.type).toLowerCase(),
        amountMinor: amount,
        currency: v.currency.trim().toUpperCase(),
        platformFeeMinor: platformFee,
        transactionFeeMinor: transactionFee,
        netAmountMinor: amount - platformFee - transactionFee,
        paymentMethod: orNull(v.paymentMethod),
        description: orNull(v.description),
        processedAt: receivedAt(v.processedAt, convert),
      };
    },
    action: async (input) => {
      await callOrThrow('ledger/record', input);
      notifications.show({ color: 'green', message: 'Entry recorded.' });
      onSaved();
    },
  });
  const values = form.getValues();
  const type = values.type;
  const chosen = useOperation(
    'properties/get',
    { id: values.propertyId ?? '' },
    { enabled: Boolean(values.propertyId) },
  );
  const current = chosen.data?.id === values.propertyId ? chosen.data : null;
  property.current = current;
  const owner = useOperation('users/get', { id: current?.ownerId ?? '' }, { enabled: Boolean(current?.ownerId) });
  // An entry for a property is in its currency; a payout goes to its owner unless someone picks another.
  useEffect(() => {
    if (!current) return;
    if (current.currency && form.getValues().currency !== current.currency)
      form.setFieldValue('currency', current.currency);
    if (form.getValues().type !== 'OWNER_PAYOUT') return;
    const userId = form.getValues().userId;
    if (current.ownerId && (userId === null || userId === suggested.current)) {
      suggested.current = current.ownerId;
      if (userId !== current.ownerId) form.setFieldValue('userId', current.ownerId);
    }
  }, [current, type, form]);
  const ownerName = owner.data && current?.ownerId === owner.data.id ? personName(owner.data) : null;
  const withHint =
    type !== 'OWNER_PAYOUT' || !current
      ? undefined
      : !current.ownerId
        ? `${current.name} has no owner on record.`
        : values.userId === current.ownerId
          ? `The owner of ${current.name}.`
          : `The owner of ${current.name} is ${ownerName ?? 'someone else'}: a payout goes to them.`;
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Select
              label="Type"
              data={LEDGER_ENTRY_TYPES.filter((t) => t !== 'GUEST_PAYMENT' && t !== 'REFUND').map((t) => ({
                value: t,
                label: label(t),
              }))}
              allowDeselect={false}
              {...form.getInputProps('type')}
              description="Guest payments and refunds are recorded on their reservation."
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <PropertySelect label="Property" clearable {...form.getInputProps('propertyId')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <UserSelect
              label={type === 'OWNER_PAYOUT' ? 'Paid to' : 'With'}
              roles={COUNTERPARTY[type]}
              required
              {...form.getInputProps('userId')}
              description={withHint}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TextInput label="Category" placeholder={label(type).toLowerCase()} {...form.getInputProps('category')} />
          </Grid.Col>
          <Grid.Col span={{ base: 8 }}>
            <TextInput label="Amount" inputMode="decimal" required {...form.getInputProps('amountMinor')} />
          </Grid.Col>
          <Grid.Col span={{ base: 4 }}>
            <TextInput
              label="Currency"
              maxLength={3}
              required
              readOnly={Boolean(current)}
              description={current ? `${current.name}’s currency` : undefined}
              {...form.getInputProps('currency')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6 }}>
            <TextInput
              label="Channel fee"
              inputMode="decimal"
              placeholder="0.00"
              {...form.getInputProps('platformFeeMinor')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6 }}>
            <TextInput
              label="Payment fee"
              inputMode="decimal"
              placeholder="0.00"
              {...form.getInputProps('transactionFeeMinor')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <ReceivedOn
              label={type === 'OWNER_PAYOUT' ? 'Paid on' : 'Paid or received on'}
              {...form.getInputProps('processedAt')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TextInput label="Method" placeholder="bank transfer" {...form.getInputProps('paymentMethod')} />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput label="Description" {...form.getInputProps('description')} />
          </Grid.Col>
        </Grid>
        <FormError message={formError} />
        <Button type="submit" loading={submitting}>
          Record entry
        </Button>
      </Stack>
    </form>
  );
}
