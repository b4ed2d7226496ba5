// Finance reports on a small fixed agency, every expected figure worked out by hand below.
//
// Two EUR properties in Lisbon and one GBP property in London:
//   P1 Alfama Loft  EUR  owner O1, agent A1  created 2026-01-10
//   P2 Baixa Flat   EUR  owner O2, agent A2  created 2026-06-11 (available from 11 June)
//   P3 Soho Studio  GBP  owner O2, agent A2  created 2026-01-10, archived 2026-07-16
//
// Stays (nights = check-out − check-in; lead = check-in − booking date):
//   R1 P1 06-03→06-07  4 n  CHECKED_OUT  48,000   booked 05-04  lead 30
//   R2 P1 06-10→06-15  5 n  CHECKED_OUT  55,000   booked 06-08  lead  2
//   R3 P1 06-28→07-03  5 n  CHECKED_OUT  50,001   booked 06-01  lead 27  (3 nights in June, 2 in July)
//   R4 P1 06-16→06-20       CANCELLED    40,000   (not booked; paid in May, refunded in June)
//   R5 P1 06-21→06-24       PENDING      30,000   (not booked; still owed)
//   R6 P2 06-20→06-23  3 n  CONFIRMED    36,000   booked 06-12  lead  8
//   R7 P2 06-25→06-27       NO_SHOW      20,000   (neither booked nor owed)
//   R8 P3 06-05→06-12  7 n  CHECKED_OUT  70,000 GBP  booked 04-06  lead 60
//   R9 P3 07-01→07-05  4 n  CHECKED_OUT  40,000 GBP  booked 06-20  lead 11
//
// Ledger (all COMPLETED unless said otherwise; amounts in minor units; pf/tf = fee columns):
//   L1  R1 payment   48,000 pf 1,440          05-04  (before the period)
//   L2  R2 payment   55,000 tf   770          06-08
//   L3  R3 payment   30,000 pf   900          06-01  (a deposit: 20,001 still owed)
//   L4  R4 payment   40,000 tf   560          05-20  (before the period)
//   L5  R4 refund    40,000                   06-02
//   L6  R6 payment   36,000 pf 5,400 tf 504   06-12
//   L7  R2 payment   55,000 tf   770          06-09  (charged twice by mistake...)
//   L8  R2 payment  −55,000 tf  −770          07-02  (...and reversed)
//   L9  R8 payment   70,000 GBP pf 2,100      04-06  (before the period)
//   L10 R9 payment   25,000 GBP tf   350      06-20  (15,000 still owed)
//   L11 P1 cleaning   3,000                   06-07
//   L12 P2 maintenance 12,000                 07-31 23:30Z (last moment of July)
//   L13 -- marketing  5,000 (no property)     06-15
//   L14 P3 cleaning   2,500 GBP               06-12
//   L15 P1 agency fee 9,312                   06-07
//   L16 P1 owner payout 34,248                06-07
//   L17 P2 platform fee 1,200                 07-01
//   L18 R5 payment   30,000 PENDING           06-16  (not completed: counts nowhere)
//   L19 P3 agency fee 13,580 GBP              06-12
//   L20 P3 owner payout 51,820 GBP            06-12
//   L21 P2 maintenance 999                    08-01 00:00Z (first moment after the period)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../db/domain/ids.js';
import * as schema from '../../db/schema/sqlite.js';
import { hashPassword } from '../../db/auth/passwords.js';
import type { CurrencyDistribution, IncomeDistribution } from '../../main/finance/distribution.js';
import type { FinanceKpis, KpiRow } from '../../main/finance/kpis.js';
import { latestEnd, monthsOf } from '../../main/finance/period.js';
import type { CurrencySummary, FinanceSummary } from '../../main/finance/summary.js';
import { ledgerRow, locationRow, propertyRow, reservationRow, userRow } from '../db/fixtures.js';
import { createTestCore, setUpAdmin, STRONG_PASSWORD, type TestCore } from './test-core.js';

const ADMIN = 'admin-window';
const JUNE = { from: '2026-06-01', to: '2026-07-01' };
const JUNE_JULY = { from: '2026-06-01', to: '2026-08-01' };

let core: TestCore;
let ids: Awaited<ReturnType<typeof seed>>;

beforeEach(async () => {
  core = createTestCore();
  await setUpAdmin(core, ADMIN);
  ids = await seed();
});
afterEach(() => core.dispose());

async function seed() {
  const { db } = core.database;
  const insert = (table: Parameters<typeof db.insert>[0], rows: object[]) =>
    db
      .insert(table)
      .values(rows as never)
      .run();

  const person = (email: string, role: string, firstName: string, lastName: string) =>
    userRow({ email, role, firstName, lastName });
  const a1 = person('agent1@example.com', 'AGENT', 'Ana', 'Matos');
  const a2 = person('agent2@example.com', 'AGENT', 'Bruno', 'Reis');
  const o1 = person('owner1@example.com', 'OWNER', 'Olga', 'Ferreira');
  const o2 = person('owner2@example.com', 'OWNER', 'Rui', 'Santos');
  const cleaner = person('cleaner@example.com', 'CLEANER', 'Carla', 'Dias');
  const guest = person('guest@example.com', 'GUEST', 'Greta', 'Hansen');
  insert(schema.users, [a1, a2, o1, o2, cleaner, guest]);
  const verifier = await hashPassword(STRONG_PASSWORD);
  insert(
    schema.localCredentials,
    [a1, o2, cleaner].map((u) => ({ userId: u.id, verifier, updatedAt: '2026-11-24T09:00:00.000Z' })),
  );

  const lisbon = locationRow({ name: 'Lisbon', currency: 'EUR' });
  const london = locationRow({
    name: 'London',
    city: 'London',
    country: 'GB',
    timeZone: 'Europe/London',
    currency: 'GBP',
  });
  insert(schema.locations, [lisbon, london]);

  const p1 = propertyRow(lisbon.id, {
    name: 'Alfama Loft',
    ownerId: o1.id,
    agentId: a1.id,
    createdAt: '2026-01-10T10:00:00.000Z',
  });
  const p2 = propertyRow(lisbon.id, {
    name: 'Baixa Flat',
    ownerId: o2.id,
    agentId: a2.id,
    createdAt: '2026-06-11T08:00:00.000Z',
  });
  const p3 = propertyRow(london.id, {
    name: 'Soho Studio',
    currency: 'GBP',
    status: 'INACTIVE',
    ownerId: o2.id,
    agentId: a2.id,
    createdAt: '2026-01-10T10:00:00.000Z',
    archivedAt: '2026-07-16T12:00:00.000Z',
  });
  insert(schema.properties, [p1, p2, p3]);

  const stay = (
    propertyId: string,
    checkIn: string,
    checkOut: string,
    status: string,
    totalMinor: number,
    createdAt: string,
    currency = 'EUR',
  ) => reservationRow(propertyId, guest.id, { checkIn, checkOut, status, totalMinor, createdAt, currency });
  const r1 = stay(p1.id, '2026-06-03', '2026-06-07', 'CHECKED_OUT', 48_000, '2026-05-04T10:00:00.000Z');
  const r2 = stay(p1.id, '2026-06-10', '2026-06-15', 'CHECKED_OUT', 55_000, '2026-06-08T22:00:00.000Z');
  const r3 = stay(p1.id, '2026-06-28', '2026-07-03', 'CHECKED_OUT', 50_001, '2026-06-01T08:00:00.000Z');
  const r4 = stay(p1.id, '2026-06-16', '2026-06-20', 'CANCELLED', 40_000, '2026-05-20T11:00:00.000Z');
  const r5 = stay(p1.id, '2026-06-21', '2026-06-24', 'PENDING', 30_000, '2026-06-15T09:00:00.000Z');
  const r6 = stay(p2.id, '2026-06-20', '2026-06-23', 'CONFIRMED', 36_000, '2026-06-12T12:00:00.000Z');
  const r7 = stay(p2.id, '2026-06-25', '2026-06-27', 'NO_SHOW', 20_000, '2026-06-14T09:00:00.000Z');
  const r8 = stay(p3.id, '2026-06-05', '2026-06-12', 'CHECKED_OUT', 70_000, '2026-04-06T09:00:00.000Z', 'GBP');
  const r9 = stay(p3.id, '2026-07-01', '2026-07-05', 'CHECKED_OUT', 40_000, '2026-06-20T10:00:00.000Z', 'GBP');
  insert(schema.reservations, [r1, r2, r3, r4, r5, r6, r7, r8, r9]);

  const entry = (
    type: string,
    createdAt: string,
    amountMinor: number,
    more: {
      userId?: string;
      propertyId?: string | null;
      reservationId?: string;
      pf?: number;
      tf?: number;
      currency?: string;
      status?: string;
      referenceEntryId?: string;
    } = {},
  ) => {
    const { pf = 0, tf = 0, userId = guest.id, ...rest } = more;
    return ledgerRow(userId, {
      id: newId(),
      type,
      createdAt,
      amountMinor,
      platformFeeMinor: pf,
      transactionFeeMinor: tf,
      netAmountMinor: amountMinor - pf - tf,
      ...rest,
    });
  };
  const P1 = { propertyId: p1.id };
  const l4 = entry('GUEST_PAYMENT', '2026-05-20T11:10:00.000Z', 40_000, { ...P1, reservationId: r4.id, tf: 560 });
  const l7 = entry('GUEST_PAYMENT', '2026-06-09T10:00:00.000Z', 55_000, { ...P1, reservationId: r2.id, tf: 770 });
  insert(schema.ledgerEntries, [
    entry('GUEST_PAYMENT', '2026-05-04T10:05:00.000Z', 48_000, { ...P1, reservationId: r1.id, pf: 1_440 }),
    entry('GUEST_PAYMENT', '2026-06-08T22:10:00.000Z', 55_000, { ...P1, reservationId: r2.id, tf: 770 }),
    entry('GUEST_PAYMENT', '2026-06-01T08:10:00.000Z', 30_000, { ...P1, reservationId: r3.id, pf: 900 }),
    l4,
    entry('REFUND', '2026-06-02T09:00:00.000Z', 40_000, { ...P1, reservationId: r4.id, referenceEntryId: l4.id }),
    entry('GUEST_PAYMENT', '2026-06-12T12:30:00.000Z', 36_000, {
      propertyId: p2.id,
      reservationId: r6.id,
      pf: 5_400,
      tf: 504,
    }),
    l7,
    entry('GUEST_PAYMENT', '2026-07-02T10:00:00.000Z', -55_000, {
      ...P1,
      reservationId: r2.id,
      tf: -770,
      referenceEntryId: l7.id,
    }),
    entry('GUEST_PAYMENT', '2026-04-06T09:10:00.000Z', 70_000, {
      propertyId: p3.id,
      reservationId: r8.id,
      pf: 2_100,
      currency: 'GBP',
    }),
    entry('GUEST_PAYMENT', '2026-06-20T10:10:00.000Z', 25_000, {
      propertyId: p3.id,
      reservationId: r9.id,
      tf: 350,
      currency: 'GBP',
    }),
    entry('CLEANING_COST', '2026-06-07T14:00:00.000Z', 3_000, { ...P1, reservationId: r1.id, userId: cleaner.id }),
    entry('MAINTENANCE_COST', '2026-07-31T23:30:00.000Z', 12_000, { propertyId: p2.id, userId: a2.id }),
    entry('MARKETING_COST', '2026-06-15T10:00:00.000Z', 5_000, { propertyId: null, userId: a1.id }),
    entry('CLEANING_COST', '2026-06-12T15:00:00.000Z', 2_500, {
      propertyId: p3.id,
      userId: cleaner.id,
      currency: 'GBP',
    }),
    entry('AGENCY_FEE', '2026-06-07T15:00:00.000Z', 9_312, { ...P1, reservationId: r1.id, userId: o1.id }),
    entry('OWNER_PAYOUT', '2026-06-07T15:10:00.000Z', 34_248, { ...P1, reservationId: r1.id, userId: o1.id }),
    entry('PLATFORM_FEE', '2026-07-01T09:00:00.000Z', 1_200, { propertyId: p2.id, userId: a2.id }),
    entry('GUEST_PAYMENT', '2026-06-16T10:00:00.000Z', 30_000, { ...P1, reservationId: r5.id, status: 'PENDING' }),
    entry('AGENCY_FEE', '2026-06-12T16:00:00.000Z', 13_580, {
      propertyId: p3.id,
      reservationId: r8.id,
      userId: o2.id,
      currency: 'GBP',
    }),
    entry('OWNER_PAYOUT', '2026-06-12T16:10:00.000Z', 51_820, {
      propertyId: p3.id,
      reservationId: r8.id,
      userId: o2.id,
      currency: 'GBP',
    }),
    entry('MAINTENANCE_COST', '2026-08-01T00:00:00.000Z', 999, { propertyId: p2.id, userId: a2.id }),
  ]);

  return { p1: p1.id, p2: p2.id, p3: p3.id, lisbon: lisbon.id, london: london.id, o1: o1.id, o2: o2.id };
}

async function signIn(callerId: string, email: string) {
  await core.ok(callerId, 'auth/sign-in', { email, password: STRONG_PASSWORD });
}

const summary = (callerId: string, input: object) => core.ok<FinanceSummary>(callerId, 'finance/summary', input);
const distribution = (callerId: string, input: object) =>
  core.ok<IncomeDistribution>(callerId, 'finance/income-distribution', input);
const kpis = (callerId: string, input: object) => core.ok<FinanceKpis>(callerId, 'finance/kpis', input);

/** A KPI row with its ratios compared to 12 places (they are plain divisions). */
function expectKpi(
  row: KpiRow | undefined,
  expected: Omit<KpiRow, 'occupancy' | 'averageLengthOfStay' | 'averageLeadTimeDays'> & {
    occupancy: number;
    averageLengthOfStay: number;
    averageLeadTimeDays: number;
  },
) {
  expect(row).toBeDefined();
  const { occupancy, averageLengthOfStay, averageLeadTimeDays, ...exact } = expected;
  expect(row).toMatchObject(exact);
  expect(row?.occupancy).toBeCloseTo(occupancy, 12);
  expect(row?.averageLengthOfStay).toBeCloseTo(averageLengthOfStay, 12);
  expect(row?.averageLeadTimeDays).toBeCloseTo(averageLeadTimeDays, 12);
}

// ---- Expected figures, June and July 2026 (2026-06-01 to 2026-08-01), whole agency ----

// EUR June: payments L2 55,000 + L3 30,000 + L6 36,000 + L7 55,000 = 176,000, less refund L5
// 40,000 = 136,000. Fees: L2 770 + L3 900 + L6 (5,400 + 504) + L7 770 = 8,344. Costs: L11 3,000 +
// L13 5,000 = 8,000. Net 136,000 − 8,344 − 8,000 = 119,656.
// EUR July: revenue L8 −55,000. Fees L8 −770 + L17 1,200 = 430. Costs L12 12,000 (23:30Z on the
// 31st is still July; L21 at midnight is not in the period). Net −55,000 − 430 − 12,000 = −67,430.
// Outstanding, active stays arriving in the period: R1 48,000 − 48,000 = 0; R2 55,000 − (55,000 +
// 55,000 − 55,000) = 0; R3 50,001 − 30,000 = 20,001; R5 30,000 − 0 (L18 is pending) = 30,000;
// R6 36,000 − 36,000 = 0. R4 (cancelled) and R7 (no-show) do not count. Total 50,001.
const EUR_SUMMARY: CurrencySummary = {
  currency: 'EUR',
  revenueMinor: 81_000,
  refundsMinor: 40_000,
  feesMinor: 8_774,
  costsMinor: 20_000,
  netMinor: 52_226,
  outstandingMinor: 50_001,
  byMonth: [
    { month: '2026-06', revenueMinor: 136_000, feesMinor: 8_344, costsMinor: 8_000, netMinor: 119_656 },
    { month: '2026-07', revenueMinor: -55_000, feesMinor: 430, costsMinor: 12_000, netMinor: -67_430 },
  ],
};

// GBP June: payment L10 25,000; fee 350; cost L14 2,500; net 22,150. Nothing in July.
// Outstanding: R8 70,000 − 70,000 = 0; R9 40,000 − 25,000 = 15,000.
const GBP_SUMMARY: CurrencySummary = {
  currency: 'GBP',
  revenueMinor: 25_000,
  refundsMinor: 0,
  feesMinor: 350,
  costsMinor: 2_500,
  netMinor: 22_150,
  outstandingMinor: 15_000,
  byMonth: [
    { month: '2026-06', revenueMinor: 25_000, feesMinor: 350, costsMinor: 2_500, netMinor: 22_150 },
    { month: '2026-07', revenueMinor: 0, feesMinor: 0, costsMinor: 0, netMinor: 0 },
  ],
};

// Per property, June and July:
// P1: available 30 + 31 = 61; booked 4 + 5 + 5 = 14 (R3 whole: 50,001 × 5/5); revenue 48,000 +
//     55,000 + 50,001 = 153,001; ADR 153,001 / 14 = 10,928.6 → 10,929; RevPAR 153,001 / 61 =
//     2,508.2 → 2,508; ALOS 14 / 3; lead (30 + 2 + 27) / 3 = 59 / 3.
// P2: available 20 + 31 = 51; booked 3; revenue 36,000; ADR 12,000; RevPAR 36,000 / 51 =
//     705.9 → 706; ALOS 3; lead 8.
// P3: available 30 + 15 (archived on 16 July: nights 1–15 July) = 45; booked 7 + 4 = 11;
//     revenue 110,000; ADR 10,000; RevPAR 110,000 / 45 = 2,444.4 → 2,444; ALOS 11 / 2 = 5.5;
//     lead (60 + 11) / 2 = 35.5.
const P1_JJ = {
  currency: 'EUR',
  properties: 1,
  availableNights: 61,
  bookedNights: 14,
  stays: 3,
  occupancy: 14 / 61,
  roomRevenueMinor: 153_001,
  adrMinor: 10_929,
  revparMinor: 2_508,
  averageLengthOfStay: 14 / 3,
  averageLeadTimeDays: 59 / 3,
};
const P2_JJ = {
  currency: 'EUR',
  properties: 1,
  availableNights: 51,
  bookedNights: 3,
  stays: 1,
  occupancy: 3 / 51,
  roomRevenueMinor: 36_000,
  adrMinor: 12_000,
  revparMinor: 706,
  averageLengthOfStay: 3,
  averageLeadTimeDays: 8,
};
const P3_JJ = {
  currency: 'GBP',
  properties: 1,
  availableNights: 45,
  bookedNights: 11,
  stays: 2,
  occupancy: 11 / 45,
  roomRevenueMinor: 110_000,
  adrMinor: 10_000,
  revparMinor: 2_444,
  averageLengthOfStay: 5.5,
  averageLeadTimeDays: 35.5,
};

describe('finance/summary', () => {
  it('sums cash in and out by entry date, per currency and month, never across currencies', async () => {
    expect(await summary(ADMIN, JUNE_JULY)).toEqual({ ...JUNE_JULY, currencies: [EUR_SUMMARY, GBP_SUMMARY] });
  });

  it('filters by location and by property; agency-wide costs belong to no property', async () => {
    const london = await summary(ADMIN, { ...JUNE_JULY, locationId: ids.london });
    expect(london.currencies).toEqual([GBP_SUMMARY]);

    // P2 alone: L6 36,000 in; fees 5,904 (June) + 1,200 (July) = 7,104; costs L12 12,000 (the
    // marketing cost L13 has no property); net 36,000 − 7,104 − 12,000 = 16,896; R6 is paid.
    const p2 = await summary(ADMIN, { ...JUNE_JULY, propertyId: ids.p2 });
    expect(p2.currencies).toEqual([
      {
        currency: 'EUR',
        revenueMinor: 36_000,
        refundsMinor: 0,
        feesMinor: 7_104,
        costsMinor: 12_000,
        netMinor: 16_896,
        outstandingMinor: 0,
        byMonth: [
          { month: '2026-06', revenueMinor: 36_000, feesMinor: 5_904, costsMinor: 0, netMinor: 30_096 },
          { month: '2026-07', revenueMinor: 0, feesMinor: 1_200, costsMinor: 12_000, netMinor: -13_200 },
        ],
      },
    ]);
  });

  it('splits a period that starts and ends inside months into those partial months', async () => {
    // 10 June to 3 July. June: only L6 (36,000, fees 5,904) and L13 (cost 5,000); L2, L3, L5 and
    // L7 came before the 10th. Net 36,000 − 5,904 − 5,000 = 25,096. July: L17 (fee 1,200) on the
    // 1st and L8 (−55,000, fee −770) on the 2nd; net −55,000 − 430 = −55,430.
    const result = await summary(ADMIN, { from: '2026-06-10', to: '2026-07-03' });
    const eur = result.currencies.find((c) => c.currency === 'EUR');
    expect(eur?.byMonth).toEqual([
      { month: '2026-06', revenueMinor: 36_000, feesMinor: 5_904, costsMinor: 5_000, netMinor: 25_096 },
      { month: '2026-07', revenueMinor: -55_000, feesMinor: 430, costsMinor: 0, netMinor: -55_430 },
    ]);
    // Outstanding counts stays arriving from the 10th: R2 0, R3 20,001, R5 30,000, R6 0.
    expect(eur?.outstandingMinor).toBe(50_001);
  });
});

describe('finance/income-distribution', () => {
  it('splits the money per currency: owners, agency, channels, payment providers, costs', async () => {
    // EUR platform fees: L3 900 + L6 5,400 + L17 1,200 = 7,500. Payment fees: L2 770 + L6 504 +
    // L7 770 + L8 −770 = 1,274. (7,500 + 1,274 = 8,774, the summary's fees.)
    expect(await distribution(ADMIN, JUNE_JULY)).toEqual({
      ...JUNE_JULY,
      currencies: [
        {
          currency: 'EUR',
          ownerShareMinor: 34_248,
          agencyFeesMinor: 9_312,
          platformFeesMinor: 7_500,
          paymentFeesMinor: 1_274,
          costsMinor: 20_000,
        },
        {
          currency: 'GBP',
          ownerShareMinor: 51_820,
          agencyFeesMinor: 13_580,
          platformFeesMinor: 0,
          paymentFeesMinor: 350,
          costsMinor: 2_500,
        },
      ] satisfies CurrencyDistribution[],
    });
  });
});

describe('finance/kpis', () => {
  it('computes occupancy, ADR, RevPAR, length of stay and lead time for June, per currency', async () => {
    const { rows } = await kpis(ADMIN, { ...JUNE, groupBy: 'all' });
    expect(rows.map((r) => r.currency)).toEqual(['EUR', 'GBP']);
    // EUR: available P1 30 + P2 20 (from 11 June) = 50. Booked R1 4 + R2 5 + R3 3 (28–30 June)
    // + R6 3 = 15 (R4 cancelled, R5 pending, R7 no-show). Revenue 48,000 + 55,000 + R3's June
    // share 50,001 × 3/5 = 30,000.6 → 30,001 + 36,000 = 169,001. ADR 169,001 / 15 = 11,266.7 →
    // 11,267. RevPAR 169,001 / 50 = 3,380.02 → 3,380 (= 0.3 × 11,266.7). Stays arriving: R1, R2,
    // R3, R6; ALOS (4 + 5 + 5 + 3) / 4 = 4.25; lead (30 + 2 + 27 + 8) / 4 = 16.75.
    expectKpi(rows[0], {
      groupId: null,
      groupName: 'All properties',
      currency: 'EUR',
      properties: 2,
      availableNights: 50,
      bookedNights: 15,
      stays: 4,
      occupancy: 0.3,
      roomRevenueMinor: 169_001,
      adrMinor: 11_267,
      revparMinor: 3_380,
      averageLengthOfStay: 4.25,
      averageLeadTimeDays: 16.75,
    });
    // GBP: P3 30 nights; R8 7 nights, 70,000. ADR 10,000; RevPAR 70,000 / 30 = 2,333.3 → 2,333.
    // Lead: 6 April to 5 June = 60 days.
    expectKpi(rows[1], {
      groupId: null,
      groupName: 'All properties',
      currency: 'GBP',
      properties: 1,
      availableNights: 30,
      bookedNights: 7,
      stays: 1,
      occupancy: 7 / 30,
      roomRevenueMinor: 70_000,
      adrMinor: 10_000,
      revparMinor: 2_333,
      averageLengthOfStay: 7,
      averageLeadTimeDays: 60,
    });
  });

  it('groups by property; a stay crossing the month end counts whole in a period that holds it', async () => {
    const { rows } = await kpis(ADMIN, { ...JUNE_JULY, groupBy: 'property' });
    expect(rows.map((r) => r.groupName)).toEqual(['Alfama Loft', 'Baixa Flat', 'Soho Studio']);
    expectKpi(rows[0], { groupId: ids.p1, groupName: 'Alfama Loft', ...P1_JJ });
    expectKpi(rows[1], { groupId: ids.p2, groupName: 'Baixa Flat', ...P2_JJ });
    expectKpi(rows[2], { groupId: ids.p3, groupName: 'Soho Studio', ...P3_JJ });
  });

  it('groups by owner, one row per currency when an owner has both', async () => {
    const { rows } = await kpis(ADMIN, { ...JUNE_JULY, groupBy: 'owner' });
    expect(rows.map((r) => [r.groupName, r.currency])).toEqual([
      ['Olga Ferreira', 'EUR'],
      ['Rui Santos', 'EUR'],
      ['Rui Santos', 'GBP'],
    ]);
    expectKpi(rows[0], { groupId: ids.o1, groupName: 'Olga Ferreira', ...P1_JJ });
    expectKpi(rows[1], { groupId: ids.o2, groupName: 'Rui Santos', ...P2_JJ });
    expectKpi(rows[2], { groupId: ids.o2, groupName: 'Rui Santos', ...P3_JJ });
  });

  it('groups by location, adding up nights and revenue before dividing', async () => {
    const { rows } = await kpis(ADMIN, { ...JUNE_JULY, groupBy: 'location' });
    // Lisbon = P1 + P2: available 112, booked 17, revenue 189,001; ADR 189,001 / 17 = 11,117.7 →
    // 11,118; RevPAR 189,001 / 112 = 1,687.5 → 1,688; ALOS 17 / 4; lead (30 + 2 + 27 + 8) / 4.
    expectKpi(rows[0], {
      groupId: ids.lisbon,
      groupName: 'Lisbon',
      currency: 'EUR',
      properties: 2,
      availableNights: 112,
      bookedNights: 17,
      stays: 4,
      occupancy: 17 / 112,
      roomRevenueMinor: 189_001,
      adrMinor: 11_118,
      revparMinor: 1_688,
      averageLengthOfStay: 4.25,
      averageLeadTimeDays: 16.75,
    });
    expectKpi(rows[1], { groupId: ids.london, groupName: 'London', ...P3_JJ });
    expect(rows).toHaveLength(2);
  });

  it('leaves ratios empty rather than dividing by zero', async () => {
    // Before P2 existed and with nothing booked: P2 has no available nights, P1 has no stays.
    const { rows } = await kpis(ADMIN, { from: '2026-02-01', to: '2026-03-01', groupBy: 'property' });
    expect(rows.map((r) => r.groupName)).toEqual(['Alfama Loft', 'Soho Studio']);
    expect(rows[0]).toMatchObject({
      availableNights: 28,
      bookedNights: 0,
      stays: 0,
      occupancy: 0,
      roomRevenueMinor: 0,
      adrMinor: null,
      revparMinor: 0,
      averageLengthOfStay: null,
      averageLeadTimeDays: null,
    });
  });
});

describe('scope', () => {
  it("gives an agent only their properties' figures, without owner payouts", async () => {
    await signIn('agent-window', 'agent1@example.com');
    // A1 has P1. June: payments L2 + L3 + L7 = 140,000 less refund L5 40,000 = 100,000; fees 770 +
    // 900 + 770 = 2,440; cost L11 3,000; net 94,560. July: L8 −55,000, fee −770, net −54,230.
    // The marketing cost has no property and P2/P3 are not theirs. Outstanding R3 + R5 = 50,001.
    expect((await summary('agent-window', JUNE_JULY)).currencies).toEqual([
      {
        currency: 'EUR',
        revenueMinor: 45_000,
        refundsMinor: 40_000,
        feesMinor: 1_670,
        costsMinor: 3_000,
        netMinor: 40_330,
        outstandingMinor: 50_001,
        byMonth: [
          { month: '2026-06', revenueMinor: 100_000, feesMinor: 2_440, costsMinor: 3_000, netMinor: 94_560 },
          { month: '2026-07', revenueMinor: -55_000, feesMinor: -770, costsMinor: 0, netMinor: -54_230 },
        ],
      },
    ]);
    // The owner payout L16 is hidden from agents; the agency fee L15 is not.
    expect((await distribution('agent-window', JUNE_JULY)).currencies).toEqual([
      {
        currency: 'EUR',
        ownerShareMinor: 0,
        agencyFeesMinor: 9_312,
        platformFeesMinor: 900,
        paymentFeesMinor: 770,
        costsMinor: 3_000,
      },
    ]);
    const { rows } = await kpis('agent-window', { ...JUNE_JULY, groupBy: 'all' });
    expect(rows).toHaveLength(1);
    expectKpi(rows[0], { groupId: null, groupName: 'All properties', ...P1_JJ });
  });

  it("gives an owner only their properties' figures, their payouts included", async () => {
    await signIn('owner-window', 'owner2@example.com');
    // O2 has P2 (EUR) and P3 (GBP): P2's figures as filtered above, and all of the GBP.
    const result = await summary('owner-window', JUNE_JULY);
    expect(result.currencies.map((c) => [c.currency, c.revenueMinor, c.feesMinor, c.costsMinor, c.netMinor])).toEqual([
      ['EUR', 36_000, 7_104, 12_000, 16_896],
      ['GBP', 25_000, 350, 2_500, 22_150],
    ]);
    expect(result.currencies[1]).toEqual(GBP_SUMMARY);
    expect((await distribution('owner-window', JUNE_JULY)).currencies).toEqual([
      {
        currency: 'EUR',
        ownerShareMinor: 0,
        agencyFeesMinor: 0,
        platformFeesMinor: 6_600,
        paymentFeesMinor: 504,
        costsMinor: 12_000,
      },
      {
        currency: 'GBP',
        ownerShareMinor: 51_820,
        agencyFeesMinor: 13_580,
        platformFeesMinor: 0,
        paymentFeesMinor: 350,
        costsMinor: 2_500,
      },
    ]);
    const { rows } = await kpis('owner-window', { ...JUNE_JULY, groupBy: 'property' });
    expect(rows.map((r) => r.groupName)).toEqual(['Baixa Flat', 'Soho Studio']);

    // Asking for someone else's property yields nothing, not their figures.
    expect((await summary('owner-window', { ...JUNE_JULY, propertyId: ids.p1 })).currencies).toEqual([]);
    expect((await kpis('owner-window', { ...JUNE_JULY, propertyId: ids.p1 })).rows).toEqual([]);
  });

  it('refuses cleaners', async () => {
    await signIn('cleaner-window', 'cleaner@example.com');
    for (const name of ['finance/summary', 'finance/income-distribution', 'finance/kpis'] as const) {
      expect((await core.fails('cleaner-window', name, JUNE)).code).toBe('forbidden');
    }
  });

  it('refuses callers who are not signed in', async () => {
    expect((await core.fails('nobody', 'finance/summary', JUNE)).code).toBe('unauthenticated');
  });
});

describe('input', () => {
  it.each([
    ['to not after from', { from: '2026-06-01', to: '2026-06-01' }, 'to', /must be after from/],
    ['to before from', { from: '2026-06-01', to: '2026-05-01' }, 'to', /must be after from/],
    ['a period over three years', { from: '2026-01-01', to: '2029-01-02' }, 'to', /at most 3 years/],
    ['an impossible date', { from: '2026-02-30', to: '2026-03-10' }, 'from', /real date/],
    ['a missing to', { from: '2026-06-01' }, 'to', /is required/],
    ['a bad property id', { ...JUNE, propertyId: 'p1' }, 'propertyId', /UUIDv7/],
    ['an unknown field', { ...JUNE, currency: 'EUR' }, 'currency', /not a known field/],
  ])('names the field for %s', async (_case, input, field, message) => {
    const error = await core.fails(ADMIN, 'finance/summary', input);
    expect(error.code).toBe('validation');
    expect(error.fields?.[field]).toMatch(message);
  });

  it('names groupBy when it is not a grouping', async () => {
    const error = await core.fails(ADMIN, 'finance/kpis', { ...JUNE, groupBy: 'city' });
    expect(error).toMatchObject({ code: 'validation', fields: { groupBy: expect.stringMatching(/one of all/) } });
  });

  it('accepts exactly three years, and defaults groupBy to all', async () => {
    const result = await kpis(ADMIN, { from: '2026-01-01', to: '2029-01-01' });
    expect(result.groupBy).toBe('all');
    expect(latestEnd('2028-02-29')).toBe('2031-03-01');
    expect(monthsOf('2026-01-31', '2026-03-02')).toEqual([
      { month: '2026-01', starts: '2026-01-31', ends: '2026-02-01' },
      { month: '2026-02', starts: '2026-02-01', ends: '2026-03-01' },
      { month: '2026-03', starts: '2026-03-01', ends: '2026-03-02' },
    ]);
  });
});
