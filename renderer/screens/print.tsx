// Print pages for a stay: the reservation confirmation and the guest's receipt, in the property's
// currency and the user's locale. They print (or save as PDF) from the page itself: print styles
// hide the app's frame and the page's own buttons, leaving one clean sheet.
import { Anchor, Button, Divider, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { nightsBetween } from '../../db/domain/dates.js';
import type { OutputOf } from '../../main/contract.js';
import { useOperation } from '../api/operations.js';
import { useCan } from '../app/session.js';
import { formatInstant, label, locale, money, today } from '../format.js';
import { QueryView } from '../ui/states.js';
import './print.css';

type Reservation = OutputOf<'reservations/get'>;
type Property = OutputOf<'properties/get'>;
type Entry = OutputOf<'ledger/list'>['items'][number];

// A printed stay names its days in full: "Friday 12 March 2027".
const longDate = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' });
const dayOf = (date: string) => longDate.format(new Date(`${date}T00:00:00Z`));

/** The sheet's frame: what it is, the print button and the way back, hidden on paper. */
function Sheet({
  id,
  title,
  other,
  children,
}: {
  id: string;
  title: string;
  other: { to: string; label: string };
  children: ReactNode;
}) {
  return (
    <Stack gap="md">
      <Group justify="space-between" className="print-hide" wrap="wrap">
        <Group gap="md">
          <Anchor component={Link} to={`/reservations/${id}`} size="sm">
            ← Reservation
          </Anchor>
          <Anchor component={Link} to={other.to} size="sm">
            {other.label}
          </Anchor>
        </Group>
        {/* The browser's (and the desktop window's) print dialog offers Save as PDF. */}
        <Button onClick={() => window.print()}>Print / Save as PDF</Button>
      </Group>
      <article className="print-sheet" aria-label={title}>
        {children}
      </article>
    </Stack>
  );
}

function Parties({ reservation, property }: { reservation: Reservation; property: Property | undefined }) {
  return (
    <SimpleGrid cols={2} spacing="xl">
      <Stack gap={2}>
        <Text size="xs" tt="uppercase" c="dimmed" fw={700}>
          Guest
        </Text>
        <Text fw={600}>{reservation.guestName}</Text>
        {reservation.guestEmail && <Text size="sm">{reservation.guestEmail}</Text>}
        {reservation.guestPhone && <Text size="sm">{reservation.guestPhone}</Text>}
      </Stack>
      <Stack gap={2}>
        <Text size="xs" tt="uppercase" c="dimmed" fw={700}>
          Property
        </Text>
        <Text fw={600}>{reservation.propertyName}</Text>
        {property?.address && <Text size="sm">{property.address}</Text>}
        {property?.locationName && <Text size="sm">{property.locationName}</Text>}
      </Stack>
    </SimpleGrid>
  );
}

function Line({ term, children, strong }: { term: string; children: ReactNode; strong?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={strong ? 700 : 500}>
        {term}
      </Table.Th>
      <Table.Td ta="right" fw={strong ? 700 : undefined}>
        {children}
      </Table.Td>
    </Table.Tr>
  );
}

const nightsWords = (r: Reservation) => {
  const nights = nightsBetween(r.checkIn, r.checkOut);
  return `${nights} ${nights === 1 ? 'night' : 'nights'}`;
};

function Stay({ reservation }: { reservation: Reservation }) {
  const nights = nightsBetween(reservation.checkIn, reservation.checkOut);
  return (
    <Table aria-label="Stay" withRowBorders={false} verticalSpacing={4}>
      <Table.Tbody>
        <Line term="Arrival">{dayOf(reservation.checkIn)}</Line>
        <Line term="Departure">{dayOf(reservation.checkOut)}</Line>
        <Line term="Nights">{nights}</Line>
        <Line term="Guests">{reservation.guests}</Line>
        <Line term="Status">{label(reservation.status)}</Line>
      </Table.Tbody>
    </Table>
  );
}

function Amounts({ reservation }: { reservation: Reservation }) {
  const { balance, currency } = reservation;
  return (
    <Table aria-label="Amounts" withRowBorders={false} verticalSpacing={4}>
      <Table.Tbody>
        <Line term="Total for the stay">{money(balance.totalMinor, currency)}</Line>
        <Line term="Paid">{money(balance.paidMinor, currency)}</Line>
        {balance.refundedMinor > 0 && <Line term="Refunded">{money(balance.refundedMinor, currency)}</Line>}
        <Line term="Balance due" strong>
          {money(balance.outstandingMinor, currency)}
        </Line>
      </Table.Tbody>
    </Table>
  );
}

function usePrintData() {
  const { id = '' } = useParams();
  const reservation = useOperation('reservations/get', { id });
  const propertyId = reservation.data?.propertyId ?? '';
  const property = useOperation('properties/get', { id: propertyId }, { enabled: Boolean(propertyId) });
  return { id, reservation, property: property.data };
}

export function ConfirmationScreen() {
  const { id, reservation, property } = usePrintData();
  return (
    <QueryView query={reservation} loading="Loading the reservation…">
      {(r) => (
        <Sheet id={id} title="Reservation confirmation" other={{ to: `/reservations/${id}/receipt`, label: 'Receipt' }}>
          <Stack gap="lg">
            <Stack gap={0}>
              <Title order={1} size="h2">
                Reservation confirmation
              </Title>
              <Text c="dimmed" size="sm">
                Booked {formatInstant(r.createdAt)}
              </Text>
            </Stack>
            <Parties reservation={r} property={property} />
            <Divider />
            <SimpleGrid cols={2} spacing="xl">
              <Stay reservation={r} />
              <Amounts reservation={r} />
            </SimpleGrid>
            {r.specialRequests && (
              <Stack gap={2}>
                <Text size="xs" tt="uppercase" c="dimmed" fw={700}>
                  Special requests
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {r.specialRequests}
                </Text>
              </Stack>
            )}
            {property?.accessNotes && (
              <Stack gap={2}>
                <Text size="xs" tt="uppercase" c="dimmed" fw={700}>
                  Arrival
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {property.accessNotes}
                </Text>
              </Stack>
            )}
          </Stack>
        </Sheet>
      )}
    </QueryView>
  );
}

/** Money in and out for the guest: payments, refunds, and the reversals of either. */
const isGuestMoney = (entry: Entry) => entry.type === 'GUEST_PAYMENT' || entry.type === 'REFUND';

function Payments({ reservationId, currency }: { reservationId: string; currency: string }) {
  const entries = useOperation('ledger/list', { reservationId, type: ['GUEST_PAYMENT', 'REFUND'], limit: 200 });
  return (
    <QueryView query={entries} loading="Loading the payments…">
      {(data) => {
        const rows = data.items.filter(isGuestMoney).reverse();
        if (rows.length === 0) return <Text c="dimmed">No payments recorded for this stay yet.</Text>;
        return (
          <Table aria-label="Payments" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Method</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td>{formatInstant(entry.processedAt ?? entry.createdAt)}</Table.Td>
                  <Table.Td>
                    {entry.amountMinor < 0 ? 'Reversal' : entry.type === 'REFUND' ? 'Refund' : 'Payment'}
                    {entry.description ? ` · ${entry.description}` : ''}
                  </Table.Td>
                  <Table.Td>{entry.paymentMethod ? label(entry.paymentMethod) : '—'}</Table.Td>
                  <Table.Td ta="right">
                    {money(entry.type === 'REFUND' ? -entry.amountMinor : entry.amountMinor, currency)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        );
      }}
    </QueryView>
  );
}

export function ReceiptScreen() {
  const { id, reservation, property } = usePrintData();
  const can = useCan();
  return (
    <QueryView query={reservation} loading="Loading the reservation…">
      {(r) => (
        <Sheet id={id} title="Receipt" other={{ to: `/reservations/${id}/confirmation`, label: 'Confirmation' }}>
          <Stack gap="lg">
            <Stack gap={0}>
              <Title order={1} size="h2">
                Receipt
              </Title>
              <Text c="dimmed" size="sm">
                Issued {dayOf(today())}
              </Text>
            </Stack>
            <Parties reservation={r} property={property} />
            <Text size="sm">
              Stay from {dayOf(r.checkIn)} to {dayOf(r.checkOut)} ({nightsWords(r)})
            </Text>
            <Divider />
            {can('ledger/list') && <Payments reservationId={r.id} currency={r.currency} />}
            <Group justify="flex-end">
              <div className="print-totals">
                <Amounts reservation={r} />
              </div>
            </Group>
          </Stack>
        </Sheet>
      )}
    </QueryView>
  );
}
