// The booking grid: properties down the side, days across, each stay a bar over the nights it
// takes. Only the rows in view are in the page, so a thousand properties scroll as one list.
// A free day books one night; dragging across free days of a property books them all; a stay opens.
import { Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { addDays, nightsBetween } from '../../db/domain/dates.js';
import { formatDate, formatShortDate, formatWeekday, label } from '../format.js';
import './booking-grid.css';

export interface GridStay {
  id: string;
  checkIn: string;
  checkOut: string;
  status: string;
  guestName: string;
}

export interface GridProperty {
  id: string;
  name: string;
  /** A second line under the name (where it is, how many it sleeps). */
  detail?: string;
  /** Its stays in the days shown. */
  stays: GridStay[];
}

export interface NightsPicked {
  propertyId: string;
  checkIn: string;
  checkOut: string;
}

interface Picking {
  row: number;
  from: number;
  to: number;
}

const ROW_HEIGHT = 36;

const isWeekend = (day: string) => {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/** A stay as drawn in one row: the first night shown and how many nights of it are shown. */
interface Bar {
  stay: GridStay;
  first: number;
  span: number;
}

function barsOf(stays: GridStay[], start: string, days: number): Bar[] {
  const bars: Bar[] = [];
  for (const stay of stays) {
    const first = Math.max(nightsBetween(start, stay.checkIn), 0);
    const last = Math.min(nightsBetween(start, stay.checkOut), days);
    if (last > first) bars.push({ stay, first, span: last - first });
  }
  return bars;
}

export function BookingGrid({
  properties,
  start,
  days,
  today,
  canBook,
  onBook,
  onOpenStay,
  onFirstRows,
}: {
  properties: GridProperty[];
  start: string;
  days: number;
  today: string;
  canBook: boolean;
  onBook: (picked: NightsPicked) => void;
  onOpenStay: (stay: GridStay) => void;
  /** Called once, after the first rows have been drawn. */
  onFirstRows?: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const dates = useMemo(() => Array.from({ length: days }, (_, i) => addDays(start, i)), [start, days]);
  const rows = useVirtualizer({
    count: properties.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    // Rows on the very first render, before the box is measured: about as many as it will show.
    initialRect: { width: 0, height: Math.max(360, window.innerHeight - 300) },
  });
  const [picking, setPicking] = useState<Picking | null>(null);

  // A drag across free days ends wherever the pointer is let go.
  useEffect(() => {
    if (!picking) return;
    const finish = () => {
      setPicking(null);
      const property = properties[picking.row];
      if (!property || picking.from === picking.to) return;
      const [from, to] = [Math.min(picking.from, picking.to), Math.max(picking.from, picking.to)];
      onBook({ propertyId: property.id, checkIn: dates[from]!, checkOut: addDays(dates[to]!, 1) });
    };
    window.addEventListener('pointerup', finish);
    return () => window.removeEventListener('pointerup', finish);
  }, [picking, properties, dates, onBook]);

  const shown = rows.getVirtualItems();
  const reported = useRef(false);
  useEffect(() => {
    if (reported.current || shown.length === 0 || !onFirstRows) return;
    reported.current = true;
    // After the frame that shows the rows has been painted.
    requestAnimationFrame(() => setTimeout(onFirstRows, 0));
  }, [shown.length, onFirstRows]);

  return (
    <div
      ref={scroller}
      className="booking-grid"
      role="grid"
      aria-label="Bookings by property and day"
      aria-rowcount={properties.length + 1}
      aria-colcount={days + 1}
      data-testid="calendar"
      style={{ '--days': days } as CSSProperties}
    >
      <div className="booking-grid-head" role="row" aria-rowindex={1}>
        <div className="booking-grid-corner" role="columnheader">
          Property
        </div>
        {dates.map((day) => (
          <div
            key={day}
            role="columnheader"
            aria-label={formatDate(day)}
            className={`booking-grid-day${isWeekend(day) ? ' is-weekend' : ''}${day === today ? ' is-today' : ''}`}
            title={formatDate(day)}
          >
            <div aria-hidden>{formatWeekday(day)}</div>
            <div aria-hidden>{days > 16 ? Number(day.slice(8, 10)) : formatShortDate(day)}</div>
          </div>
        ))}
      </div>
      <div className="booking-grid-rows" role="rowgroup" style={{ height: rows.getTotalSize() }}>
        {shown.map((virtual) => {
          const property = properties[virtual.index]!;
          const bars = barsOf(property.stays, start, days);
          const taken = new Array<Bar | null>(days).fill(null);
          for (const bar of bars) for (let i = bar.first; i < bar.first + bar.span; i++) taken[i] = bar;
          const picked = picking?.row === virtual.index ? picking : null;
          return (
            <div
              key={property.id}
              className="booking-grid-row"
              role="row"
              aria-rowindex={virtual.index + 2}
              data-testid="calendar-row"
              style={{ transform: `translateY(${virtual.start}px)` }}
            >
              <div className="booking-grid-property" role="rowheader" title={property.name}>
                <Text span size="xs" fw={600}>
                  {property.name}
                </Text>
                {property.detail && (
                  <Text span size="xs" c="dimmed">
                    {property.detail}
                  </Text>
                )}
              </div>
              {dates.map((day, i) => {
                const bar = taken[i];
                const inPick = picked && i >= Math.min(picked.from, picked.to) && i <= Math.max(picked.from, picked.to);
                return (
                  <div
                    key={day}
                    role="gridcell"
                    className={`booking-grid-cell${isWeekend(day) ? ' is-weekend' : ''}${day === today ? ' is-today' : ''}`}
                  >
                    {bar ? (
                      bar.first === i && <StayBar bar={bar} onOpen={() => onOpenStay(bar.stay)} />
                    ) : (
                      <button
                        type="button"
                        className={`booking-grid-free${inPick ? ' is-picked' : ''}`}
                        aria-label={`Book ${property.name} from ${formatDate(day)}`}
                        disabled={!canBook}
                        onPointerDown={(event) => {
                          if (event.button !== 0) return;
                          setPicking({ row: virtual.index, from: i, to: i });
                        }}
                        onPointerEnter={() => {
                          if (!picking || picking.row !== virtual.index) return;
                          // Only as far as the nights stay free.
                          const [lo, hi] = [Math.min(picking.from, i), Math.max(picking.from, i)];
                          if (taken.slice(lo, hi + 1).every((t) => t === null)) setPicking({ ...picking, to: i });
                        }}
                        onClick={() => onBook({ propertyId: property.id, checkIn: day, checkOut: addDays(day, 1) })}
                      />
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function StayBar({ bar, onOpen }: { bar: Bar; onOpen: () => void }) {
  const { stay } = bar;
  const words = `${stay.guestName}, ${formatDate(stay.checkIn)} to ${formatDate(stay.checkOut)}, ${label(stay.status).toLowerCase()}`;
  return (
    <button
      type="button"
      className={`booking-grid-stay status-${stay.status}`}
      style={{ '--span': bar.span } as CSSProperties}
      onClick={onOpen}
      aria-label={words}
      title={words}
      data-testid="calendar-booking"
    >
      {stay.guestName}
    </button>
  );
}
