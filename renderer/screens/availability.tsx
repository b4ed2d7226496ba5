// Availability: "free 12–15 March for 4 guests" — the properties free on every night of a stay
// that hold the party, with what the nights cost at each nightly rate. A result books. The search
// lives in the address, so going back after a booking returns to the same results.
import { Button, Group, Modal, MultiSelect, NumberInput, Select, Text, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { isCalendarDate, nightsBetween } from '../../db/domain/dates.js';
import { PROPERTY_TYPES, type PropertyType } from '../../db/domain/enums.js';
import type { OutputOf } from '../../main/contract.js';
import { useOperation } from '../api/operations.js';
import { formatDate, label, money, today } from '../format.js';
import { DataTable } from '../ui/data-table.js';
import { Page } from '../ui/page.js';
import { LocationSelect } from '../ui/pickers.js';
import { Empty, QueryView } from '../ui/states.js';
import { ReservationForm } from './reservations.js';

type Free = OutputOf<'availability/search'>['items'][number];

const BEDROOMS = ['1', '2', '3', '4', '5'].map((n) => ({ value: n, label: `${n}+ bedrooms` }));
const LIMIT = 100;

/** What is wrong with the dates, in words, or nothing. */
function datesProblem(checkIn: string, checkOut: string): { checkIn?: string; checkOut?: string } {
  if (!checkIn || !checkOut) return {};
  if (!isCalendarDate(checkIn)) return { checkIn: 'Enter a real date' };
  if (!isCalendarDate(checkOut)) return { checkOut: 'Enter a real date' };
  if (checkOut <= checkIn) return { checkOut: 'Check-out must be after check-in' };
  if (checkIn < today()) return { checkIn: 'Check-in cannot be in the past' };
  if (nightsBetween(checkIn, checkOut) > 365) return { checkOut: 'A stay can be at most 365 nights' };
  return {};
}

export function AvailabilityScreen() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const checkIn = params.get('checkIn') ?? '';
  const checkOut = params.get('checkOut') ?? '';
  const guests = Math.max(1, Number(params.get('guests') ?? 2) || 2);
  const locationId = params.get('location');
  const types = params.getAll('type') as PropertyType[];
  const minBedrooms = params.get('bedrooms');
  const [booking, setBooking] = useState<Free | null>(null);

  const update = (changes: Record<string, string | string[] | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      next.delete(key);
      for (const v of Array.isArray(value) ? value : value ? [value] : []) next.append(key, v);
    }
    setParams(next, { replace: true });
  };

  const problems = datesProblem(checkIn, checkOut);
  const ready = Boolean(checkIn && checkOut) && Object.keys(problems).length === 0;
  const nights = ready ? nightsBetween(checkIn, checkOut) : 0;
  const found = useOperation(
    'availability/search',
    {
      checkIn,
      checkOut,
      guests,
      locationId: locationId ?? undefined,
      type: types.length ? types : undefined,
      minBedrooms: minBedrooms ? Number(minBedrooms) : undefined,
      limit: LIMIT,
    },
    { enabled: ready, keepPrevious: true },
  );

  const columns: ColumnDef<Free, unknown>[] = [
    {
      id: 'property',
      header: 'Property',
      cell: ({ row }) => (
        <>
          <Text fw={600} size="sm">
            {row.original.name}
          </Text>
          <Text size="xs" c="dimmed">
            {row.original.address}
          </Text>
        </>
      ),
    },
    { id: 'location', header: 'Location', cell: ({ row }) => row.original.locationName },
    { id: 'type', header: 'Type', cell: ({ row }) => label(row.original.type) },
    { id: 'sleeps', header: 'Sleeps', cell: ({ row }) => row.original.capacity },
    { id: 'bedrooms', header: 'Bedrooms', cell: ({ row }) => row.original.bedrooms },
    {
      id: 'rate',
      header: 'Per night',
      cell: ({ row }) => money(row.original.pricePerNightMinor, row.original.currency),
    },
    {
      id: 'total',
      header: `${nights} ${nights === 1 ? 'night' : 'nights'}`,
      cell: ({ row }) => (
        <Text fw={600} size="sm">
          {money(row.original.totalMinor, row.original.currency)}
        </Text>
      ),
    },
    {
      id: 'book',
      header: '',
      cell: ({ row }) => (
        <Button
          size="xs"
          onClick={(event) => {
            event.stopPropagation();
            setBooking(row.original);
          }}
          aria-label={`Book ${row.original.name}`}
        >
          Book
        </Button>
      ),
    },
  ];

  return (
    <Page title="Find free dates">
      <Group align="flex-start" wrap="wrap" gap="sm">
        <TextInput
          type="date"
          label="Check-in"
          required
          value={checkIn}
          min={today()}
          onChange={(e) => update({ checkIn: e.currentTarget.value })}
          error={problems.checkIn}
        />
        <TextInput
          type="date"
          label="Check-out"
          required
          value={checkOut}
          min={checkIn || today()}
          onChange={(e) => update({ checkOut: e.currentTarget.value })}
          error={problems.checkOut}
        />
        <NumberInput
          label="Guests"
          min={1}
          max={100}
          allowDecimal={false}
          value={guests}
          onChange={(value) => update({ guests: String(Math.max(1, Number(value) || 1)) })}
          w={110}
        />
        <LocationSelect
          label="Location"
          clearable
          value={locationId}
          onChange={(value) => update({ location: value })}
          w={200}
        />
        <MultiSelect
          label="Type"
          data={PROPERTY_TYPES.map((t) => ({ value: t, label: label(t) }))}
          value={types}
          onChange={(value) => update({ type: value })}
          clearable
          w={200}
        />
        <Select
          label="Bedrooms"
          placeholder="Any"
          data={BEDROOMS}
          value={minBedrooms}
          onChange={(value) => update({ bedrooms: value })}
          clearable
          w={150}
        />
      </Group>
      {!ready ? (
        <Empty title="When is the stay?">
          Choose the check-in and check-out dates, and how many guests: the properties free for every night appear here
          with their price.
        </Empty>
      ) : (
        <QueryView query={found} loading="Looking for free properties…">
          {(result) => (
            <>
              <Text size="sm" c="dimmed" data-testid="availability-summary" aria-live="polite">
                {result.items.length === 0
                  ? `Nothing is free from ${formatDate(checkIn)} to ${formatDate(checkOut)} for ${guests} ${guests === 1 ? 'guest' : 'guests'}.`
                  : `${result.more ? `The first ${result.items.length}` : result.items.length} free from ${formatDate(checkIn)} to ${formatDate(checkOut)} for ${guests} ${guests === 1 ? 'guest' : 'guests'}, the smallest that fits first.`}
              </Text>
              <DataTable
                data={result.items}
                columns={columns}
                rowKey={(p) => p.id}
                onOpen={setBooking}
                label="Free properties"
                empty={
                  <Empty title="No property is free for these nights">
                    Try other dates, fewer guests or another location.
                  </Empty>
                }
              />
            </>
          )}
        </QueryView>
      )}
      <Modal opened={booking !== null} onClose={() => setBooking(null)} title="New reservation" size="xl">
        {booking && (
          <ReservationForm
            initial={prefill(booking, checkIn, checkOut, guests)}
            onSaved={(id) => {
              setBooking(null);
              navigate(`/reservations/${id}`);
            }}
          />
        )}
      </Modal>
    </Page>
  );
}

/** The booking form starts from the search: the property, the nights and the party. */
function prefill(property: Free, checkIn: string, checkOut: string, guests: number) {
  return { propertyId: property.id, checkIn, checkOut, guests };
}
