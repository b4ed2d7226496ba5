import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUuidV7 } from '../../db/domain/ids.js';
import { generateSampleData, type SampleData } from '../../db/sample/generate.js';
import { loadSampleData, type SampleCounts } from '../../db/sample/load.js';
import { freshLocalDatabase, type TestLocalDatabase } from '../harness/databases.js';

const TODAY = '2026-06-15';
const TABLES = ['users', 'locations', 'properties', 'reservations', 'tasks', 'ledger_entries'] as const;

describe('sample data generation', () => {
  it('is deterministic: the same seed gives the same rows, ids included', () => {
    const first = generateSampleData({ size: 'demo', today: TODAY });
    expect(generateSampleData({ size: 'demo', today: TODAY })).toEqual(first);
    const other = generateSampleData({ size: 'demo', today: TODAY, seed: 'another' });
    expect(other.reservations[0]?.id).not.toBe(first.reservations[0]?.id);
    expect(other).not.toEqual(first);
  });

  it('makes only UUIDv7 ids', () => {
    const data = generateSampleData({ size: 'demo', today: TODAY });
    const ids = Object.values(data).flatMap((rows: { id: string }[]) => rows.map((row) => row.id));
    expect(ids.filter((id) => !isUuidV7(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes no admin and no credentials, and uses reserved e-mail domains only', () => {
    const { users } = generateSampleData({ size: 'demo', today: TODAY });
    expect(users.some((u) => u.role === 'ADMIN')).toBe(false);
    expect(users.every((u) => /@example\.(com|net|org)$/.test(u.email))).toBe(true);
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
  });

  it('rejects a malformed today', () => {
    expect(() => generateSampleData({ size: 'demo', today: '15/06/2026' })).toThrow(/YYYY-MM-DD/);
  });
});

describe('sample data in SQLite (demo size)', () => {
  let local: TestLocalDatabase;
  let data: SampleData;
  let counts: SampleCounts;
  const all = (sql: string) => local.sqlite.prepare(sql).all();
  const value = (sql: string) => local.sqlite.prepare(sql).pluck().get();

  beforeAll(() => {
    local = freshLocalDatabase();
    data = generateSampleData({ size: 'demo', today: TODAY });
    counts = loadSampleData(local.sqlite, data);
  });
  afterAll(() => local.dispose());

  it('loads every row', () => {
    expect(counts).toEqual({
      users: data.users.length,
      locations: data.locations.length,
      properties: data.properties.length,
      reservations: data.reservations.length,
      tasks: data.tasks.length,
      ledgerEntries: data.ledgerEntries.length,
    });
    expect(value('SELECT count(*) FROM reservations')).toBe(data.reservations.length);
    expect(value('SELECT count(*) FROM ledger_entries')).toBe(data.ledgerEntries.length);
    expect(counts.properties).toBeGreaterThanOrEqual(20);
    expect(counts.reservations).toBeGreaterThan(2_000);
  });

  it('satisfies every foreign key', () => {
    expect(all('PRAGMA foreign_key_check')).toEqual([]);
  });

  it('never overlaps two active reservations of a property', () => {
    const overlaps = value(`
      SELECT count(*) FROM reservations a
      JOIN reservations b ON b.property_id = a.property_id AND b.id > a.id
        AND a.check_in < b.check_out AND b.check_in < a.check_out
      WHERE a.status NOT IN ('CANCELLED', 'NO_SHOW') AND b.status NOT IN ('CANCELLED', 'NO_SHOW')`);
    expect(overlaps).toBe(0);
  });

  it('nets every ledger entry: net = amount - platform fee - transaction fee', () => {
    const wrong = value(`
      SELECT count(*) FROM ledger_entries
      WHERE net_amount_minor <> amount_minor - platform_fee_minor - transaction_fee_minor`);
    expect(wrong).toBe(0);
  });

  it("records each checked-out stay's total as the guest's payment, and splits it completely", () => {
    const mismatched = all(`
      SELECT r.id, r.total_minor,
        (SELECT sum(amount_minor) FROM ledger_entries e WHERE e.reservation_id = r.id AND e.type = 'GUEST_PAYMENT') AS paid,
        (SELECT sum(platform_fee_minor) FROM ledger_entries e WHERE e.reservation_id = r.id AND e.type = 'GUEST_PAYMENT')
          + (SELECT sum(amount_minor) FROM ledger_entries e WHERE e.reservation_id = r.id
              AND e.type IN ('CLEANING_COST', 'AGENCY_FEE', 'OWNER_PAYOUT')) AS split
      FROM reservations r
      WHERE r.status = 'CHECKED_OUT' AND r.check_out < '${TODAY}'
        AND (paid IS NOT r.total_minor OR split IS NOT r.total_minor)`);
    expect(mismatched).toEqual([]);
    expect(value(`SELECT count(*) FROM reservations WHERE status = 'CHECKED_OUT'`)).toBeGreaterThan(1_000);
  });

  it('refunds only payments, by reference', () => {
    const orphans = value(`
      SELECT count(*) FROM ledger_entries refund
      LEFT JOIN ledger_entries payment ON payment.id = refund.reference_entry_id
      WHERE refund.type = 'REFUND' AND (payment.type IS NOT 'GUEST_PAYMENT' OR payment.reservation_id <> refund.reservation_id)`);
    expect(orphans).toBe(0);
    expect(value(`SELECT count(*) FROM ledger_entries WHERE type = 'REFUND'`)).toBeGreaterThan(0);
  });

  it("keeps money in its property's currency", () => {
    const ledger = value(`
      SELECT count(*) FROM ledger_entries e JOIN properties p ON p.id = e.property_id WHERE e.currency <> p.currency`);
    const reservations = value(`
      SELECT count(*) FROM reservations r JOIN properties p ON p.id = r.property_id WHERE r.currency <> p.currency`);
    const properties = value(`
      SELECT count(*) FROM properties p JOIN locations l ON l.id = p.location_id WHERE p.currency <> l.currency`);
    expect([ledger, reservations, properties]).toEqual([0, 0, 0]);
  });

  it('spans several currencies and time zones', () => {
    expect(value('SELECT count(DISTINCT currency) FROM locations')).toBeGreaterThanOrEqual(3);
    expect(value('SELECT count(DISTINCT time_zone) FROM locations')).toBeGreaterThanOrEqual(3);
  });

  it('refuses a second load into a database that has properties, writing nothing', () => {
    const before = TABLES.map((table) => value(`SELECT count(*) FROM ${table}`));
    const again = generateSampleData({ size: 'demo', today: TODAY, seed: 'second' });
    expect(() => loadSampleData(local.sqlite, again)).toThrow(/sample data can only be loaded into an empty database/);
    expect(TABLES.map((table) => value(`SELECT count(*) FROM ${table}`))).toEqual(before);
  });
});
