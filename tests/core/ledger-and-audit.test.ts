import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reservations } from '../../db/schema/sqlite.js';
import { verifyAuditChain } from '../../main/core/audit-chain.js';
import { reservationRow } from '../db/fixtures.js';
import { buildOffice, propertyInput, WINDOW, type Office } from './office.js';
import { createTestCore, type TestCore } from './test-core.js';

let core: TestCore;
let office: Office;
let reservationA: string;
type Entry = { id: string; amountMinor: number; referenceEntryId: string | null; notes: string | null };

beforeEach(async () => {
  core = createTestCore();
  office = await buildOffice(core);
  const row = reservationRow(office.propertyA, office.ids.guest, { totalMinor: 40_000, currency: 'EUR' });
  core.database.db
    .insert(reservations)
    .values(row as never)
    .run();
  reservationA = row.id;
});
afterEach(() => core.dispose());

const counts = () =>
  Object.fromEntries(
    ['ledger_entries', 'audit_log', 'outbox'].map((t) => [
      t,
      core.database.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number,
    ]),
  ) as Record<'ledger_entries' | 'audit_log' | 'outbox', number>;

const payment = (amountMinor: number, extra: Record<string, unknown> = {}) => ({
  userId: office.ids.guest,
  reservationId: reservationA,
  type: 'GUEST_PAYMENT',
  category: 'booking',
  amountMinor,
  currency: 'EUR',
  platformFeeMinor: 300,
  netAmountMinor: amountMinor - 300,
  paymentMethod: 'card',
  ...extra,
});

describe('ledger', () => {
  it('records a payment with the reservation’s property, audited and queued in one transaction', async () => {
    const before = counts();
    const entry = await core.ok<Entry & { propertyId: string }>(WINDOW.AGENT, 'ledger/record', payment(10_000));
    expect(entry.propertyId).toBe(office.propertyA);
    expect(counts()).toEqual({
      ledger_entries: before.ledger_entries + 1,
      audit_log: before.audit_log + 1,
      outbox: before.outbox + 1,
    });
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const before = counts();
    expect(
      (await core.fails(WINDOW.ADMIN, 'ledger/record', payment(10_000, { netAmountMinor: 10_000 }))).fields,
    ).toHaveProperty('netAmountMinor');
    expect((await core.fails(WINDOW.ADMIN, 'ledger/record', payment(10_000, { currency: 'GBP' }))).fields).toEqual({
      currency: 'must be EUR, the currency of the booking',
    });
    expect(
      (await core.fails(WINDOW.ADMIN, 'ledger/record', payment(-5, { netAmountMinor: -305 }))).fields,
    ).toHaveProperty('amountMinor');
    expect(counts()).toEqual(before);
  });

  it('reverses an entry with a new one and leaves the original untouched', async () => {
    const original = await core.ok<Entry>(WINDOW.ADMIN, 'ledger/record', payment(10_000));
    const stored = () => core.database.sqlite.prepare('SELECT * FROM ledger_entries WHERE id = ?').get(original.id);
    const snapshot = stored();
    const reversal = await core.ok<Entry>(WINDOW.ADMIN, 'ledger/reverse', { id: original.id, reason: 'Charged twice' });
    expect(reversal).toMatchObject({ amountMinor: -10_000, referenceEntryId: original.id, notes: 'Charged twice' });
    expect(stored()).toEqual(snapshot);
    expect((await core.fails(WINDOW.ADMIN, 'ledger/reverse', { id: original.id, reason: 'again' })).code).toBe(
      'conflict',
    );
    expect((await core.fails(WINDOW.ADMIN, 'ledger/reverse', { id: reversal.id, reason: 'undo the undo' })).code).toBe(
      'conflict',
    );
  });

  it('refunds at most what was paid', async () => {
    const paid = await core.ok<Entry>(WINDOW.ADMIN, 'ledger/record', payment(10_000));
    const refund = (amountMinor: number) => ({
      ...payment(amountMinor, { platformFeeMinor: 0, netAmountMinor: amountMinor }),
      type: 'REFUND',
      referenceEntryId: paid.id,
    });
    await core.ok(WINDOW.ADMIN, 'ledger/record', refund(6_000));
    expect((await core.fails(WINDOW.ADMIN, 'ledger/record', refund(4_001))).fields?.amountMinor).toMatch(
      /not yet refunded/,
    );
    await core.ok(WINDOW.ADMIN, 'ledger/record', refund(4_000));
  });

  it('refunds nothing of a reversed payment, frees the amount of a reversed refund, and keeps the payment’s currency', async () => {
    const paid = await core.ok<Entry>(WINDOW.ADMIN, 'ledger/record', payment(10_000));
    const refund = (amountMinor: number, extra: Record<string, unknown> = {}) => ({
      userId: office.ids.guest,
      type: 'REFUND',
      category: 'refund',
      amountMinor,
      currency: 'EUR',
      netAmountMinor: amountMinor,
      referenceEntryId: paid.id,
      ...extra,
    });
    expect((await core.fails(WINDOW.ADMIN, 'ledger/record', refund(1_000, { currency: 'JPY' }))).fields).toHaveProperty(
      'currency',
    );
    const first = await core.ok<Entry & { reservationId: string }>(WINDOW.ADMIN, 'ledger/record', refund(10_000));
    expect(first.reservationId).toBe(reservationA);
    await core.ok(WINDOW.ADMIN, 'ledger/reverse', { id: first.id, reason: 'refund sent in error' });
    await core.ok(WINDOW.ADMIN, 'ledger/record', refund(10_000));
    const other = await core.ok<Entry>(WINDOW.ADMIN, 'ledger/record', payment(5_000));
    await core.ok(WINDOW.ADMIN, 'ledger/reverse', { id: other.id, reason: 'bounced' });
    expect(
      (await core.fails(WINDOW.ADMIN, 'ledger/record', refund(1_000, { referenceEntryId: other.id }))).fields
        ?.referenceEntryId,
    ).toMatch(/reversed/);
  });

  it('reverses only completed entries, and takes no negative fees', async () => {
    const failed = await core.ok<Entry>(WINDOW.ADMIN, 'ledger/record', payment(30_000, { status: 'FAILED' }));
    expect((await core.fails(WINDOW.ADMIN, 'ledger/reverse', { id: failed.id, reason: 'x' })).code).toBe('conflict');
    const sneaky = payment(100, { platformFeeMinor: -50_000, netAmountMinor: 50_100 });
    expect((await core.fails(WINDOW.AGENT, 'ledger/record', sneaky)).fields).toHaveProperty('platformFeeMinor');
  });

  it('makes an agent record against a property or reservation they look after', async () => {
    const fee = {
      userId: office.ids.ownerA,
      type: 'AGENCY_FEE',
      category: 'commission',
      amountMinor: 1_000,
      currency: 'GBP',
      netAmountMinor: 1_000,
    };
    expect((await core.fails(WINDOW.AGENT, 'ledger/record', fee)).fields).toHaveProperty('propertyId');
    await core.ok(WINDOW.ADMIN, 'ledger/record', fee);
  });

  it('keeps owner payouts from agents, and every entry outside their properties', async () => {
    const payout = {
      ...payment(20_000, { platformFeeMinor: 0, netAmountMinor: 20_000 }),
      type: 'OWNER_PAYOUT',
      userId: office.ids.ownerA,
    };
    expect((await core.fails(WINDOW.AGENT, 'ledger/record', payout)).code).toBe('forbidden');
    await core.ok(WINDOW.MANAGER, 'ledger/record', payout);
    await core.ok(WINDOW.ADMIN, 'ledger/record', payment(10_000));
    const agentView = await core.ok<{ items: { type: string }[] }>(WINDOW.AGENT, 'ledger/list', {});
    expect(agentView.items.map((e) => e.type)).toEqual(['GUEST_PAYMENT']);
    expect((await core.ok<{ items: unknown[] }>(WINDOW.AGENT_B, 'ledger/list', {})).items).toEqual([]);
    expect((await core.ok<{ items: unknown[] }>(WINDOW.OWNER, 'ledger/list', {})).items).toHaveLength(2);
    expect((await core.fails(WINDOW.AGENT_B, 'ledger/record', payment(1_000))).code).toBe('not_found');
  });
});

describe('audit', () => {
  it('writes each change’s audit row in the same transaction: a failing change leaves neither', async () => {
    const before = counts();
    // The nickname is taken: the insert fails inside the transaction, after validation passed.
    const error = await core.fails(
      WINDOW.ADMIN,
      'properties/create',
      propertyInput(office, { name: 'Dup', nickname: 'ALF' }),
    );
    expect(error.code).toBe('conflict');
    expect(counts()).toEqual(before);
  });

  it('records actor, role, entity, before and after', async () => {
    await core.ok(WINDOW.ADMIN, 'properties/update', { id: office.propertyA, changes: { name: 'Alfama Loft II' } });
    const { items } = await core.ok<{ items: Record<string, unknown>[] }>(WINDOW.ADMIN, 'audit/list', {
      entityId: office.propertyA,
      action: 'properties/update',
    });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      actorRole: 'ADMIN',
      entityType: 'properties',
      before: { name: 'Alfama Loft' },
      after: { name: 'Alfama Loft II' },
    });
    expect(items[0]!.deviceId).toBe(core.deviceId);
  });

  it('filters by actor, action and date range, with pages', async () => {
    const all = await core.ok<{ total: number }>(WINDOW.ADMIN, 'audit/list', {});
    const signIns = await core.ok<{ items: { action: string }[]; total: number }>(WINDOW.ADMIN, 'audit/list', {
      action: 'auth.sign-in',
      limit: 3,
    });
    expect(signIns.total).toBe(7);
    expect(signIns.items).toHaveLength(3);
    expect(
      (await core.ok<{ total: number }>(WINDOW.ADMIN, 'audit/list', { actorId: office.ids.agentA })).total,
    ).toBeGreaterThan(0);
    expect((await core.ok<{ total: number }>(WINDOW.ADMIN, 'audit/list', { from: '2026-11-25' })).total).toBe(0);
    expect(all.total).toBeGreaterThan(signIns.total);
  });

  describe('chain verification', () => {
    const tamper = (sql: string) => {
      const { sqlite } = core.database;
      // Tampering needs the append-only triggers out of the way, as an attacker with the file would.
      sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      sqlite.exec(sql);
    };

    it('finds the chain intact after normal work', async () => {
      expect(await core.ok(WINDOW.ADMIN, 'audit/verify')).toMatchObject({ intact: true });
    });

    it('catches an edited row', async () => {
      tamper(`UPDATE audit_log SET actor_role = 'MANAGER' WHERE seq = 5`);
      expect(verifyAuditChain(core.database.sqlite)).toMatchObject({ intact: false, seq: 5, problem: 'edited' });
    });

    it('catches a removed row', async () => {
      tamper(`DELETE FROM audit_log WHERE seq = 4`);
      expect(verifyAuditChain(core.database.sqlite)).toMatchObject({
        intact: false,
        seq: 5,
        problem: 'missing-before',
      });
    });

    it('catches the newest rows removed', async () => {
      tamper(`DELETE FROM audit_log WHERE seq >= (SELECT max(seq) - 1 FROM audit_log)`);
      expect(verifyAuditChain(core.database.sqlite)).toMatchObject({ intact: false, problem: 'missing-at-end' });
    });

    it('catches two swapped rows', async () => {
      tamper(
        `UPDATE audit_log SET seq = 1000000 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 1000000;`,
      );
      expect(verifyAuditChain(core.database.sqlite)).toMatchObject({ intact: false, seq: 3, problem: 'out-of-order' });
    });

    it('catches an edit whose hash was recomputed, at the next row', async () => {
      const { sqlite } = core.database;
      tamper(`UPDATE audit_log SET action = 'nothing to see', hash = '${'a'.repeat(64)}' WHERE seq = 2`);
      const verdict = verifyAuditChain(sqlite);
      expect(verdict.intact).toBe(false);
      expect(verdict).toMatchObject({ seq: 2 });
    });
  });
});
