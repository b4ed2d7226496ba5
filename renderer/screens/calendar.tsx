// The booking calendar: properties down the side, days across, each stay a bar from its check-in
// to its check-out morning. A click on a free day books it; a click on a stay opens it.
import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { addDays, nightsBetween } from '../../db/domain/dates.js';
import type { OutputOf } from '../../main/contract.js';
import { callOrThrow, type CallError, useOperation } from '../api/operations.js';
import { useCan } from '../app/session.js';
import { formatShortDate, formatWeekday, label, today } from '../format.js';
import { Page } from '../ui/page.js';
import { Pager, useKeysetPages } from '../ui/pager.js';
import { LocationSelect } from '../ui/pickers.js';
import { Empty, ErrorState, Loading, QueryView } from '../ui/states.js';
import { ReservationForm } from './reservations.js';

type Stay = OutputOf<'reservations/list'>['items'][number];

/** Every active stay overlapping the window, following the pages main returns. */
function useStays(from: string, to: string) {
  const input = {
    from,
    to,
    status: ['PENDING', 'CONFIRMED', 'CHECKED_IN', 'CHECKED_OUT'] as const,
    order: 'asc' as const,
  };
  return useQuery<Stay[], CallError>({
    queryKey: ['reservations/list', { ...input, all: true }],
    queryFn: async () => {
      const stays: Stay[] = [];
      let cursor: string | undefined;
      do {
        const page = await callOrThrow('reservations/list', {
          ...input,
          status: [...input.status],
          limit: 200,
          cursor,
        });
        stays.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return stays;
    },
  });
}

export function CalendarScreen() {
  const can = useCan();
  const navigate = useNavigate();
  const [start, setStart] = useState(() => addDays(today(), -2));
  const [span, setSpan] = useState<'14' | '31'>('14');
  const [locationId, setLocationId] = useState<string | null>(null);
  const [booking, setBooking] = useState<{ propertyId: string; checkIn: string } | null>(null);
  const days = Array.from({ length: Number(span) }, (_, i) => addDays(start, i));
  const end = addDays(start, Number(span));
  const pages = useKeysetPages(String(locationId));
  const properties = useOperation(
    'properties/list',
    { locationId: locationId ?? undefined, sort: 'name', limit: 30, cursor: pages.cursor },
    { keepPrevious: true },
  );
  const stays = useStays(start, end);
  const now = today();

  return (
    <Page
      title="Calendar"
      actions={
        <>
          <Button variant="default" onClick={() => setStart(addDays(start, -Number(span)))} aria-label="Earlier">
            ←
          </Button>
          <Button variant="default" onClick={() => setStart(addDays(now, -2))}>
            Today
          </Button>
          <Button variant="default" onClick={() => setStart(addDays(start, Number(span)))} aria-label="Later">
            →
          </Button>
          <SegmentedControl
            aria-label="Days shown"
            value={span}
            onChange={(v) => setSpan(v as '14' | '31')}
            data={[
              { value: '14', label: '2 weeks' },
              { value: '31', label: 'Month' },
            ]}
          />
        </>
      }
    >
      <Group align="flex-end">
        <TextInput
          type="date"
          label="From"
          value={start}
          onChange={(e) => e.currentTarget.value && setStart(e.currentTarget.value)}
        />
        <LocationSelect label="Location" clearable value={locationId} onChange={setLocationId} w={240} />
      </Group>
      <QueryView query={properties} loading="Loading properties…">
        {(list) => {
          if (list.items.length === 0)
            return <Empty title="No properties to show">Add properties to see their bookings here.</Empty>;
          if (stays.isPending) return <Loading label="Loading bookings…" />;
          if (stays.isError) return <ErrorState error={stays.error} onRetry={() => void stays.refetch()} />;
          return (
            <Stack gap="sm">
              <div
                className="calendar"
                role="grid"
                aria-label="Bookings by property and day"
                data-testid="calendar"
                style={{ gridTemplateColumns: `minmax(160px, 220px) repeat(${days.length}, minmax(38px, 1fr))` }}
              >
                <div className="calendar-head" role="columnheader" style={{ gridRow: 1, gridColumn: 1 }}>
                  Property
                </div>
                {days.map((day, i) => (
                  <div
                    key={day}
                    role="columnheader"
                    className={`calendar-head${day === now ? ' is-today' : ''}`}
                    style={{ gridRow: 1, gridColumn: i + 2 }}
                  >
                    <div>{formatWeekday(day)}</div>
                    <div>{formatShortDate(day)}</div>
                  </div>
                ))}
                {list.items.map((property, row) => {
                  const gridRow = row + 2;
                  const own = stays.data.filter((s) => s.propertyId === property.id);
                  return [
                    <div
                      key={`${property.id}-name`}
                      className="calendar-property"
                      role="rowheader"
                      style={{ gridRow, gridColumn: 1 }}
                      title={property.name}
                    >
                      {property.name}
                    </div>,
                    ...days.map((day, i) => (
                      <button
                        key={`${property.id}-${day}`}
                        type="button"
                        className="calendar-cell"
                        style={{ gridRow, gridColumn: i + 2 }}
                        aria-label={`Book ${property.name} from ${day}`}
                        disabled={!can('reservations/create')}
                        onClick={() => setBooking({ propertyId: property.id!, checkIn: day })}
                      />
                    )),
                    ...own.map((stay) => (
                      <StayBar
                        key={stay.id}
                        stay={stay}
                        row={gridRow}
                        start={start}
                        days={days.length}
                        onOpen={() => navigate(`/reservations/${stay.id}`)}
                      />
                    )),
                  ];
                })}
              </div>
              <Pager
                page={pages.page}
                nextCursor={list.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
                shown={list.items.length}
              />
            </Stack>
          );
        }}
      </QueryView>
      <Modal opened={booking !== null} onClose={() => setBooking(null)} title="New reservation" size="xl">
        {booking && (
          <ReservationForm
            initial={booking}
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

function StayBar({
  stay,
  row,
  start,
  days,
  onOpen,
}: {
  stay: Stay;
  row: number;
  start: string;
  days: number;
  onOpen: () => void;
}) {
  const first = Math.max(nightsBetween(start, stay.checkIn), 0);
  const last = Math.min(nightsBetween(start, stay.checkOut), days);
  if (last <= first) return null;
  return (
    <button
      type="button"
      className={`calendar-booking status-${stay.status}`}
      style={{ gridRow: row, gridColumn: `${first + 2} / ${last + 2}` }}
      onClick={onOpen}
      title={`${stay.guestName}: ${stay.checkIn} → ${stay.checkOut} (${label(stay.status)})`}
      data-testid="calendar-booking"
    >
      <Text span size="xs" c="white" fw={600}>
        {stay.guestName}
      </Text>
    </button>
  );
}
