// The ledger: every payment, payout, refund, fee and cost, never edited. A mistake is put right
// by reversing the entry (a new entry with the opposite amounts and a reason).
import { Button, Grid, Group, Modal, MultiSelect, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import { ledgerEntryCreate } from '../../db/contracts/entities.js';
import { LEDGER_ENTRY_TYPES, type LedgerEntryType } from '../../db/domain/enums.js';
import type { InputOf } from '../../main/contract.js';
import { callOrThrow } from '../api/operations.js';
import { useCan } from '../app/session.js';
import { formatInstant, label, money } from '../format.js';
import { FormError, orNull, useContractForm } from '../ui/contract-form.js';
import { Page } from '../ui/page.js';
import { PagedTable, usePagedList, type ItemOf } from '../ui/paged-table.js';
import { PropertySelect, UserSelect } from '../ui/pickers.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty } from '../ui/states.js';

type Entry = ItemOf<'ledger/list'>;
type ListFilters = Omit<InputOf<'ledger/list'>, 'cursor' | 'limit'>;

function ReverseButton({ entry }: { entry: Entry }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (entry.status !== 'COMPLETED' || (entry.amountMinor < 0 && entry.referenceEntryId)) return null;
  const reverse = async () => {
    setError(null);
    try {
      await callOrThrow('ledger/reverse', { id: entry.id, reason: reason.trim() });
      notifications.show({ message: 'The entry was reversed.' });
      setOpen(false);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setOpen(true)}>
        Reverse
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Reverse this entry">
        <Stack>
          <Text size="sm">
            A new entry of {money(-entry.amountMinor, entry.currency)} will cancel {label(entry.type).toLowerCase()} of{' '}
            {money(entry.amountMinor, entry.currency)}. The original stays in the ledger.
          </Text>
          <Textarea
            label="Reason"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <FormError message={error} />
          <Button color="red" disabled={reason.trim() === ''} onClick={() => void reverse()}>
            Reverse entry
          </Button>
        </Stack>
      </Modal>
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
      cell: ({ row }) => (
        <Stack gap={0}>
          <Text size="sm">{label(row.original.type)}</Text>
          <Text size="xs" c="dimmed">
            {row.original.category}
            {row.original.referenceEntryId && row.original.amountMinor < 0 ? ' · reversal' : ''}
          </Text>
        </Stack>
      ),
    },
    {
      id: 'amount',
      header: 'Amount',
      cell: ({ row }) => (
        <Text size="sm" fw={600} c={row.original.amountMinor < 0 ? 'red' : undefined}>
          {money(row.original.amountMinor, row.original.currency)}
        </Text>
      ),
    },
    { id: 'net', header: 'Net', cell: ({ row }) => money(row.original.netAmountMinor, row.original.currency) },
    {
      id: 'for',
      header: 'For',
      cell: ({ row }) =>
        row.original.reservationId ? (
          <Link to={`/reservations/${row.original.reservationId}`}>Reservation</Link>
        ) : row.original.propertyId ? (
          <Link to={`/properties/${row.original.propertyId}`}>Property</Link>
        ) : (
          'Agency'
        ),
    },
    { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      id: 'description',
      header: 'Description',
      cell: ({ row }) => row.original.description ?? row.original.notes ?? '',
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

function EntryForm({ onSaved }: { onSaved: () => void }) {
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
    },
    schema: ledgerEntryCreate,
    toInput: (v, convert) => {
      const amount = convert.money('amountMinor', v.amountMinor, v.currency) ?? (undefined as never);
      const platformFee = convert.money('platformFeeMinor', v.platformFeeMinor, v.currency) ?? 0;
      const transactionFee = convert.money('transactionFeeMinor', v.transactionFeeMinor, v.currency) ?? 0;
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
      };
    },
    action: async (input) => {
      await callOrThrow('ledger/record', input);
      notifications.show({ color: 'green', message: 'Entry recorded.' });
      onSaved();
    },
  });
  const type = form.getValues().type;
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
            <UserSelect label="With" roles={COUNTERPARTY[type]} required {...form.getInputProps('userId')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <PropertySelect label="Property" clearable {...form.getInputProps('propertyId')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TextInput label="Category" placeholder={label(type).toLowerCase()} {...form.getInputProps('category')} />
          </Grid.Col>
          <Grid.Col span={{ base: 8 }}>
            <TextInput label="Amount" inputMode="decimal" required {...form.getInputProps('amountMinor')} />
          </Grid.Col>
          <Grid.Col span={{ base: 4 }}>
            <TextInput label="Currency" maxLength={3} required {...form.getInputProps('currency')} />
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
            <TextInput label="Method" placeholder="bank transfer" {...form.getInputProps('paymentMethod')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
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
