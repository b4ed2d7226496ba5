// The manager's dashboard: money by month, where it went, how full the properties are, what is
// owed, and what happens today. Every figure is per currency: amounts in different currencies
// are never added together.
import {
  Badge,
  Card,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { addDays } from '../../db/domain/dates.js';
import { minorUnitDigits } from '../../db/domain/money.js';
import { useOperation } from '../api/operations.js';
import { ExportButton } from '../ui/export.js';
import { useCan } from '../app/session.js';
import { formatDate, formatInstant, formatMonth, label, money, number, percent, today } from '../format.js';
import { Page, useNarrow } from '../ui/page.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Empty, QueryView } from '../ui/states.js';

type Preset = 'month' | 'lastMonth' | 'quarter' | 'year' | 'lastYear' | 'twelve' | 'custom';

/** A period as people give it: its first and its last day, both included. */
interface Days {
  from: string;
  until: string;
}

function daysOf(preset: Preset, custom: Days): Days {
  const now = today();
  const monthStart = `${now.slice(0, 7)}-01`;
  const year = Number(now.slice(0, 4));
  const monthsOn = (date: string, months: number) => {
    const [y, m] = date.split('-').map(Number) as [number, number];
    const d = new Date(Date.UTC(y, m - 1 + months, 1));
    return d.toISOString().slice(0, 10);
  };
  const months = (first: string, count: number) => ({ from: first, until: addDays(monthsOn(first, count), -1) });
  switch (preset) {
    case 'month':
      return months(monthStart, 1);
    case 'lastMonth':
      return months(monthsOn(monthStart, -1), 1);
    case 'quarter':
      return months(monthsOn(monthStart, -2), 3);
    case 'year':
      return { from: `${year}-01-01`, until: `${year}-12-31` };
    case 'lastYear':
      return { from: `${year - 1}-01-01`, until: `${year - 1}-12-31` };
    case 'twelve':
      return months(monthsOn(monthStart, -11), 12);
    case 'custom':
      return custom;
  }
}

/** The reports take the day after the period (an exclusive end): converted here, and only here. */
const periodOf = ({ from, until }: Days) => ({ from, to: addDays(until, 1) });

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** What is wrong with a custom period, by field, in words. */
function customProblems({ from, until }: Days): { from?: string; until?: string } {
  if (!isDate(from)) return { from: 'Choose the first day' };
  if (!isDate(until)) return { until: 'Choose the last day' };
  if (until < from) return { until: 'Must be on or after the first day' };
  return {};
}

const COLOURS = ['#4c6ef5', '#12b886', '#fab005', '#fa5252', '#7950f2', '#868e96'];

const PERIODS = [
  { value: 'month', label: 'This month' },
  { value: 'lastMonth', label: 'Last month' },
  { value: 'quarter', label: '3 months' },
  { value: 'year', label: 'This year' },
  { value: 'lastYear', label: 'Last year' },
  { value: 'twelve', label: '12 months' },
  { value: 'custom', label: 'Custom' },
];

export function DashboardScreen() {
  // Seven buttons are wider than a phone: there the period is a select.
  const narrow = useNarrow();
  const [preset, setPreset] = useState<Preset>('year');
  const [custom, setCustom] = useState<Days>({ from: `${today().slice(0, 4)}-01-01`, until: today() });
  const [chosenCurrency, setCurrency] = useState<string | null>(null);
  const days = daysOf(preset, custom);
  const problems = preset === 'custom' ? customProblems(custom) : {};
  const valid = !problems.from && !problems.until;
  const period = valid ? periodOf(days) : periodOf(daysOf('year', custom));
  const summary = useOperation('finance/summary', period, { keepPrevious: true, enabled: valid });
  const currencies = summary.data?.currencies.map((c) => c.currency) ?? [];
  const currency = chosenCurrency && currencies.includes(chosenCurrency) ? chosenCurrency : (currencies[0] ?? null);

  return (
    <Page
      title="Dashboard"
      actions={
        <>
          {narrow ? (
            <Select
              aria-label="Period"
              w={150}
              data={PERIODS}
              value={preset}
              onChange={(v) => v && setPreset(v as Preset)}
              allowDeselect={false}
            />
          ) : (
            <SegmentedControl
              aria-label="Period"
              value={preset}
              onChange={(v) => setPreset(v as Preset)}
              data={PERIODS}
            />
          )}
          <Select
            aria-label="Currency"
            w={100}
            data={currencies}
            value={currency}
            onChange={setCurrency}
            placeholder="—"
            allowDeselect={false}
          />
        </>
      }
    >
      {preset === 'custom' && (
        <Group align="flex-start">
          <TextInput
            type="date"
            label="From"
            description="The first day, included"
            value={custom.from}
            error={problems.from}
            onChange={(e) => setCustom({ ...custom, from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label="To"
            description="The last day, included"
            value={custom.until}
            error={problems.until}
            onChange={(e) => setCustom({ ...custom, until: e.currentTarget.value })}
          />
        </Group>
      )}
      {valid && (
        <Text size="sm" c="dimmed" data-testid="period" data-from={days.from} data-until={days.until}>
          {formatDate(days.from)} – {formatDate(days.until)}
        </Text>
      )}
      {valid && (
        <QueryView query={summary} loading="Adding up the ledger…">
          {(data) => {
            const figures = data.currencies.find((c) => c.currency === currency);
            if (!figures || !currency) {
              return (
                <Empty title="No money recorded in this period">
                  Figures appear here once payments, payouts or costs are recorded in the ledger.
                </Empty>
              );
            }
            return (
              <Stack gap="md">
                <SimpleGrid cols={{ base: 2, md: 5 }}>
                  <Figure title="Revenue" value={money(figures.revenueMinor, currency)} testId="figure-revenue" />
                  <Figure title="Fees" value={money(figures.feesMinor, currency)} />
                  <Figure title="Costs" value={money(figures.costsMinor, currency)} />
                  <Figure title="Net" value={money(figures.netMinor, currency)} testId="figure-net" />
                  <Figure
                    title="Outstanding balances"
                    value={money(figures.outstandingMinor, currency)}
                    testId="figure-outstanding"
                  />
                </SimpleGrid>
                <SimpleGrid cols={{ base: 1, lg: 3 }}>
                  <Card withBorder style={{ gridColumn: 'span 2' }}>
                    <Title order={4} mb="sm">
                      Revenue, costs and net by month
                    </Title>
                    <MonthlyChart months={figures.byMonth} currency={currency} />
                    <ExportButton
                      title="Revenue, costs and net by month"
                      rows={figures.byMonth}
                      columns={[
                        { header: 'Month', date: (m) => `${m.month}-01` },
                        { header: 'Revenue', money: (m) => ({ amountMinor: m.revenueMinor, currency }) },
                        { header: 'Fees', money: (m) => ({ amountMinor: m.feesMinor, currency }) },
                        { header: 'Costs', money: (m) => ({ amountMinor: m.costsMinor, currency }) },
                        { header: 'Net', money: (m) => ({ amountMinor: m.netMinor, currency }) },
                      ]}
                    />
                  </Card>
                  <Card withBorder>
                    <Title order={4} mb="sm">
                      Income distribution
                    </Title>
                    <Distribution period={period} currency={currency} />
                  </Card>
                </SimpleGrid>
                <Kpis period={period} currency={currency} />
              </Stack>
            );
          }}
        </QueryView>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Arrivals />
        <TodaysTasks />
      </SimpleGrid>
    </Page>
  );
}

function Figure({ title, value, testId }: { title: string; value: string; testId?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {title}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

/** Chart values in major units: the axis and tooltip show money as people read it. */
const major = (minor: number, currency: string) => minor / 10 ** minorUnitDigits(currency);

function MonthlyChart({
  months,
  currency,
}: {
  months: { month: string; revenueMinor: number; costsMinor: number; feesMinor: number; netMinor: number }[];
  currency: string;
}) {
  const data = months.map((m) => ({
    month: formatMonth(m.month),
    Revenue: major(m.revenueMinor, currency),
    'Costs and fees': major(m.costsMinor + m.feesMinor, currency),
    Net: major(m.netMinor, currency),
  }));
  const digits = minorUnitDigits(currency);
  const tooltip = (value: unknown) => money(Math.round(Number(value) * 10 ** digits), currency);
  return (
    <div style={{ width: '100%', height: 280 }} data-testid="monthly-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ left: 8, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" fontSize={12} />
          <YAxis fontSize={12} tickFormatter={(v: number) => number(v, 0)} width={70} />
          <Tooltip formatter={tooltip} />
          <Legend />
          <Bar dataKey="Revenue" fill={COLOURS[0]} />
          <Bar dataKey="Costs and fees" fill={COLOURS[3]} />
          <Bar dataKey="Net" fill={COLOURS[1]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function Distribution({ period, currency }: { period: { from: string; to: string }; currency: string }) {
  const distribution = useOperation('finance/income-distribution', period, { keepPrevious: true });
  return (
    <QueryView query={distribution}>
      {(data) => {
        const row = data.currencies.find((c) => c.currency === currency);
        const slices = row
          ? [
              { name: 'Owners’ share', value: row.ownerShareMinor },
              { name: 'Agency fees', value: row.agencyFeesMinor },
              { name: 'Channel fees', value: row.platformFeesMinor },
              { name: 'Payment fees', value: row.paymentFeesMinor },
              { name: 'Costs', value: row.costsMinor },
            ].filter((s) => s.value > 0)
          : [];
        if (slices.length === 0) return <Empty title="Nothing distributed yet" />;
        return (
          <div style={{ width: '100%', height: 280 }} data-testid="distribution-chart">
            <ResponsiveContainer>
              <PieChart>
                <Pie data={slices} dataKey="value" nameKey="name" innerRadius={50} outerRadius={90}>
                  {slices.map((slice, i) => (
                    <Cell key={slice.name} fill={COLOURS[i % COLOURS.length]} />
                  ))}
                </Pie>
                <Tooltip formatter={(value: unknown) => money(Number(value), currency)} />
                <Legend />
              </PieChart>
            </ResponsiveContainer>
          </div>
        );
      }}
    </QueryView>
  );
}

function Kpis({ period, currency }: { period: { from: string; to: string }; currency: string }) {
  const all = useOperation('finance/kpis', { ...period, groupBy: 'all' }, { keepPrevious: true });
  const byLocation = useOperation('finance/kpis', { ...period, groupBy: 'location' }, { keepPrevious: true });
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        Occupancy and rates
      </Title>
      <QueryView query={all}>
        {(data) => {
          const row = data.rows.find((r) => r.currency === currency);
          if (!row) return <Empty title="No properties priced in this currency" />;
          return (
            <Stack>
              <SimpleGrid cols={{ base: 2, md: 5 }}>
                <Figure title="Occupancy" value={percent(row.occupancy)} testId="figure-occupancy" />
                <Figure title="ADR" value={money(row.adrMinor, currency)} />
                <Figure title="RevPAR" value={money(row.revparMinor, currency)} />
                <Figure title="Stays" value={number(row.stays, 0)} />
                <Figure title="Average stay" value={`${number(row.averageLengthOfStay)} nights`} />
              </SimpleGrid>
              {byLocation.data && (
                <>
                  <ExportButton
                    title="Occupancy by location"
                    rows={byLocation.data.rows.filter((r) => r.currency === currency)}
                    columns={[
                      { header: 'Location', text: (r) => r.groupName },
                      { header: 'Properties', number: (r) => r.properties },
                      { header: 'Occupancy', number: (r) => r.occupancy },
                      {
                        header: 'ADR',
                        money: (r) => (r.adrMinor === null ? null : { amountMinor: r.adrMinor, currency }),
                      },
                      {
                        header: 'RevPAR',
                        money: (r) => (r.revparMinor === null ? null : { amountMinor: r.revparMinor, currency }),
                      },
                    ]}
                  />
                  <Table striped aria-label="Occupancy by location">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Location</Table.Th>
                        <Table.Th>Properties</Table.Th>
                        <Table.Th>Occupancy</Table.Th>
                        <Table.Th>ADR</Table.Th>
                        <Table.Th>RevPAR</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {byLocation.data.rows
                        .filter((r) => r.currency === currency)
                        .map((r) => (
                          <Table.Tr key={`${r.groupId}-${r.currency}`}>
                            <Table.Td>{r.groupName}</Table.Td>
                            <Table.Td>{r.properties}</Table.Td>
                            <Table.Td>{percent(r.occupancy)}</Table.Td>
                            <Table.Td>{money(r.adrMinor, currency)}</Table.Td>
                            <Table.Td>{money(r.revparMinor, currency)}</Table.Td>
                          </Table.Tr>
                        ))}
                    </Table.Tbody>
                  </Table>
                </>
              )}
            </Stack>
          );
        }}
      </QueryView>
    </Card>
  );
}

function Arrivals() {
  const from = today();
  const to = addDays(from, 8);
  const stays = useOperation('reservations/list', {
    from,
    to,
    status: ['PENDING', 'CONFIRMED', 'CHECKED_IN'],
    order: 'asc',
    limit: 200,
  });
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        Check-ins and check-outs this week
      </Title>
      <QueryView query={stays}>
        {(data) => {
          const moves = data.items
            .flatMap((r) => [
              ...(r.checkIn >= from && r.checkIn < to ? [{ kind: 'Check-in', date: r.checkIn, r }] : []),
              ...(r.checkOut >= from && r.checkOut < to ? [{ kind: 'Check-out', date: r.checkOut, r }] : []),
            ])
            .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
            .slice(0, 12);
          if (moves.length === 0) return <Empty title="No arrivals or departures this week" />;
          return (
            <Table aria-label="Check-ins and check-outs">
              <Table.Tbody>
                {moves.map((m) => (
                  <Table.Tr key={`${m.kind}-${m.r.id}`}>
                    <Table.Td>{formatDate(m.date)}</Table.Td>
                    <Table.Td>
                      <Badge className="status-badge" variant="light" color={m.kind === 'Check-in' ? 'teal' : 'gray'}>
                        {m.kind}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Link to={`/reservations/${m.r.id}`}>{m.r.guestName}</Link>
                    </Table.Td>
                    <Table.Td>{m.r.propertyName}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          );
        }}
      </QueryView>
    </Card>
  );
}

function TodaysTasks() {
  const can = useCan();
  const day = today();
  const tasks = useOperation(
    'tasks/list',
    { from: day, to: addDays(day, 1), status: ['PENDING', 'IN_PROGRESS', 'ON_HOLD'], limit: 50 },
    { enabled: can('tasks/list') },
  );
  if (!can('tasks/list')) return null;
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        Today’s tasks
      </Title>
      <QueryView query={tasks}>
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="Nothing scheduled today" />
          ) : (
            <Table aria-label="Today’s tasks">
              <Table.Tbody>
                {data.items.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td>{formatInstant(t.scheduledAt)}</Table.Td>
                    <Table.Td>{label(t.type)}</Table.Td>
                    <Table.Td>{t.title}</Table.Td>
                    <Table.Td>{t.propertyName}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={t.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
    </Card>
  );
}
