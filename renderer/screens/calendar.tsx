// The booking calendar: every property the user may see in one scrolling grid, days across, each
// stay a bar. Two weeks, or a month that fits the window. A free day (or a drag across free days)
// books; a stay opens. The filters narrow the rows at once: all the rows are in hand, only those in
// view are drawn.
import { Box, Button, Group, Modal, MultiSelect, SegmentedControl, Select, Text, TextInput } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { addDays } from '../../db/domain/dates.js';
import { PROPERTY_TYPES } from '../../db/domain/enums.js';
import { accessFor } from '../../db/policy/access.js';
import type { OutputOf } from '../../main/contract.js';
import { useOperation } from '../api/operations.js';
import { useCan, useIdentity } from '../app/session.js';
import { formatMonth, formatShortDate, label, number, today } from '../format.js';
import { BookingGrid, type GridProperty, type NightsPicked } from '../ui/booking-grid.js';
import { Page } from '../ui/page.js';
import { LocationSelect, UserSelect } from '../ui/pickers.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';
import { ReservationForm } from './reservations.js';

type Calendar = OutputOf<'availability/calendar'>;
type CalendarProperty = Calendar['properties'][number];
type View = 'weeks' | 'month';

const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
const nextMonth = (date: string, by: number) => {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + by;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
};
const daysInMonth = (start: string) => Number(addDays(nextMonth(start, 1), -1).slice(8, 10));

const BEDROOMS = ['1', '2', '3', '4', '5'].map((n) => ({ value: n, label: `${n}+ bedrooms` }));

interface Filters {
  search: string;
  locationId: string | null;
  types: string[];
  minBedrooms: string | null;
  ownerId: string | null;
  agentId: string | null;
}

const NO_FILTERS: Filters = {
  search: '',
  locationId: null,
  types: [],
  minBedrooms: null,
  ownerId: null,
  agentId: null,
};

function matches(property: CalendarProperty, filters: Filters): boolean {
  const term = filters.search.trim().toLocaleLowerCase();
  if (term && !`${property.name} ${property.nickname ?? ''}`.toLocaleLowerCase().includes(term)) return false;
  if (filters.locationId && property.locationId !== filters.locationId) return false;
  if (filters.types.length > 0 && !filters.types.includes(property.type)) return false;
  if (filters.minBedrooms && property.bedrooms < Number(filters.minBedrooms)) return false;
  if (filters.ownerId && property.ownerId !== filters.ownerId) return false;
  if (filters.agentId && property.agentId !== filters.agentId) return false;
  return true;
}

/** How long the calendar took to draw its first rows after it opened; the calendar benchmark reads it. */
function markFirstRows(openedAt: number) {
  performance.measure('roomy:calendar-first-rows', { start: openedAt, end: performance.now() });
}

export function CalendarScreen() {
  const can = useCan();
  const { role } = useIdentity();
  const navigate = useNavigate();
  const [openedAt] = useState(() => performance.now());
  const now = today();
  const [view, setView] = useState<View>('month');
  const [start, setStart] = useState(() => monthStart(now));
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [booking, setBooking] = useState<NightsPicked | null>(null);
  const set =
    <K extends keyof Filters>(key: K) =>
    (value: Filters[K]) =>
      setFilters((f) => ({ ...f, [key]: value }));

  const days = view === 'month' ? daysInMonth(start) : 14;
  const end = addDays(start, days);
  const calendar = useOperation('availability/calendar', { from: start, to: end }, { keepPrevious: true });

  const locations = useOperation('locations/list', { includeInactive: true });
  const placeOf = useMemo(() => new Map((locations.data ?? []).map((l) => [l.id, l.name])), [locations.data]);
  const shown = useMemo<GridProperty[]>(
    () =>
      (calendar.data?.properties ?? [])
        .filter((p) => matches(p, filters))
        .map((p) => ({
          id: p.id,
          name: p.name,
          detail: [placeOf.get(p.locationId), `sleeps ${p.capacity}`].filter(Boolean).join(' · '),
          stays: p.stays,
        })),
    [calendar.data, filters, placeOf],
  );
  const [ready, setReady] = useState(false);
  const onFirstRows = useCallback(() => {
    markFirstRows(openedAt);
    setReady(true);
  }, [openedAt]);
  const onBook = useCallback((picked: NightsPicked) => setBooking(picked), []);

  const move = (by: number) => setStart(view === 'month' ? nextMonth(start, by) : addDays(start, by * 14));
  const changeView = (next: View) => {
    setView(next);
    setStart(next === 'month' ? monthStart(start) : start);
  };
  const goToday = () => setStart(view === 'month' ? monthStart(now) : addDays(now, -2));
  const period =
    view === 'month'
      ? formatMonth(start.slice(0, 7))
      : `${formatShortDate(start)} – ${formatShortDate(addDays(end, -1))}`;
  const total = calendar.data?.properties.length ?? 0;
  const filtered = Object.entries(filters).some(([, v]) => (Array.isArray(v) ? v.length > 0 : Boolean(v)));
  const seesEveryProperty = accessFor('properties/list', role) === 'all';

  return (
    <Page
      title="Calendar"
      actions={
        <>
          {can('availability/search') && (
            <Button variant="light" component={Link} to="/availability">
              Find free dates
            </Button>
          )}
          <SegmentedControl
            aria-label="Days shown"
            value={view}
            onChange={(v) => changeView(v as View)}
            data={[
              { value: 'weeks', label: '2 weeks' },
              { value: 'month', label: 'Month' },
            ]}
          />
        </>
      }
    >
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="xs" wrap="nowrap">
          <Button
            variant="default"
            onClick={() => move(-1)}
            aria-label={view === 'month' ? 'Previous month' : 'Earlier'}
          >
            ←
          </Button>
          <Button variant="default" onClick={goToday}>
            Today
          </Button>
          <Button variant="default" onClick={() => move(1)} aria-label={view === 'month' ? 'Next month' : 'Later'}>
            →
          </Button>
          <Text fw={600} miw={140} data-testid="calendar-period">
            {period}
          </Text>
          {view === 'weeks' && (
            <TextInput
              type="date"
              aria-label="From"
              value={start}
              onChange={(e) => e.currentTarget.value && setStart(e.currentTarget.value)}
            />
          )}
        </Group>
        <Text size="sm" c="dimmed" data-testid="calendar-count" aria-live="polite">
          {filtered ? `${number(shown.length, 0)} of ${number(total, 0)} properties` : `${number(total, 0)} properties`}
        </Text>
      </Group>
      {/* The filters come once the rows are drawn: their own lookups and first drawing would otherwise come first. */}
      {ready ? (
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput
            label="Property"
            placeholder="Name or nickname"
            value={filters.search}
            onChange={(e) => set('search')(e.currentTarget.value)}
            w={200}
          />
          <LocationSelect label="Location" clearable value={filters.locationId} onChange={set('locationId')} w={190} />
          <MultiSelect
            label="Type"
            data={PROPERTY_TYPES.map((t) => ({ value: t, label: label(t) }))}
            value={filters.types}
            onChange={set('types')}
            clearable
            w={190}
          />
          <Select
            label="Bedrooms"
            placeholder="Any"
            data={BEDROOMS}
            value={filters.minBedrooms}
            onChange={set('minBedrooms')}
            clearable
            w={140}
          />
          {can('users/list') && role !== 'OWNER' && (
            <UserSelect
              label="Owner"
              roles={['OWNER']}
              clearable
              value={filters.ownerId}
              onChange={set('ownerId')}
              w={200}
            />
          )}
          {seesEveryProperty && (
            <UserSelect
              label="Agent"
              roles={['AGENT']}
              clearable
              value={filters.agentId}
              onChange={set('agentId')}
              w={200}
            />
          )}
          {filtered && (
            <Button variant="subtle" onClick={() => setFilters(NO_FILTERS)}>
              Clear filters
            </Button>
          )}
        </Group>
      ) : (
        <Box mih={59} />
      )}
      {calendar.isPending ? (
        <Loading label="Loading the calendar…" />
      ) : calendar.isError ? (
        <ErrorState error={calendar.error} onRetry={() => void calendar.refetch()} />
      ) : total === 0 ? (
        <Empty title="No properties to show">Add properties to see their bookings here.</Empty>
      ) : shown.length === 0 ? (
        <Empty
          title="No property matches these filters"
          action={
            <Button variant="light" onClick={() => setFilters(NO_FILTERS)}>
              Clear filters
            </Button>
          }
        />
      ) : (
        <BookingGrid
          properties={shown}
          start={start}
          days={days}
          today={now}
          canBook={can('reservations/create')}
          onBook={onBook}
          onOpenStay={(stay) => navigate(`/reservations/${stay.id}`)}
          onFirstRows={onFirstRows}
        />
      )}
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
