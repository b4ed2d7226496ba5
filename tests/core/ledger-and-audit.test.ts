import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditHash, legacyAuditHash, newChainKey, type AuditRow } from '../../db/audit/chain-hash.js';
import { openLocalDatabase } from '../../db/local-database.js';
import type { JsonObject } from '../../db/schema/json-types.js';
import { ledgerEntries, reservations } from '../../db/schema/sqlite.js';
import { verifyAuditChain } from '../../main/core/audit-chain.js';
import { createCore } from '../../main/core/core.js';
import { tempDir } from '../harness/databases.js';
import { ledgerRow, reservationRow } from '../db/fixtures.js';
import { buildOffice, propertyInput, WINDOW, type Office } from './office.js';
import { createTestCore, setUpAdmin, STRONG_PASSWORD, type TestCore } from './test-core.js';

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
    // Three refusals: three audit rows, and nothing else.
    expect(counts()).toEqual({ ...before, audit_log: before.audit_log + 3, outbox: before.outbox + 3 });
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
    expect(
      await core.fails(WINDOW.ADMIN, 'ledger/reverse', { id: reversal.id, reason: 'undo the undo' }),
    ).toMatchObject({
      code: 'validation',
      message: 'Referenced entry is itself a reversal: to put the money back, record a new entry.',
    });
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
      /what is left of that payment to refund/,
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
  it('writes each change’s audit row in the same transaction: a failing change leaves only its refusal', async () => {
    const before = counts();
    // The nickname is taken: the insert fails inside the transaction, after validation passed.
    const error = await core.fails(
      WINDOW.ADMIN,
      'properties/create',
      propertyInput(office, { name: 'Dup', nickname: 'ALF' }),
    );
    expect(error.code).toBe('conflict');
    expect(counts()).toEqual({ ...before, audit_log: before.audit_log + 1, outbox: before.outbox + 1 });
    const last = core.database.sqlite.prepare(`SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1`).pluck().get();
    expect(last).toBe('call.refused');
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

  describe('tamper evidence that holds against someone with the database file', () => {
    const sqlite = () => core.database.sqlite;
    /** With the file, anything goes: the append-only triggers are simply dropped. */
    const withoutTriggers = (sql: string) => {
      for (const trigger of sqlite()
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'ledger_entries')`,
        )
        .pluck()
        .all() as string[])
        sqlite().exec(`DROP TRIGGER "${trigger}"`);
      sqlite().exec(sql);
    };
    const ownRows = () =>
      sqlite().prepare('SELECT * FROM audit_log WHERE device_id = ? ORDER BY seq').all(core.deviceId) as StoredAudit[];
    const head = () =>
      sqlite().prepare('SELECT value FROM device_meta WHERE key = ?').pluck().get(`audit_head:${core.deviceId}`) as
        string | undefined;
    const verify = () => core.ok<Record<string, unknown>>(WINDOW.ADMIN, 'audit/verify');
    const keyRecord = () =>
      JSON.parse(JSON.parse(readFileSync(join(core.dir, 'keys.json'), 'utf8'))['audit-chain local']) as Record<
        string,
        unknown
      >;

    /** Re-hashes this device's chain from `seq` on as `hash` computes it, and points the head at the new end. */
    const rehashFrom = (seq: number, hash: (row: Omit<AuditRow, 'hash'>) => string) => {
      const rows = ownRows();
      let previous = rows.find((r) => r.seq === seq - 1)?.hash ?? '0'.repeat(64);
      for (const stored of rows.filter((r) => r.seq >= seq)) {
        const next = hash({ ...asAuditRow(stored), prevHash: previous });
        sqlite().prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(previous, next, stored.id);
        previous = next;
      }
      sqlite()
        .prepare('UPDATE device_meta SET value = ? WHERE key = ?')
        .run(`${rows.at(-1)!.seq} ${previous}`, `audit_head:${core.deviceId}`);
    };

    it('catches a rewritten ledger entry whose audit row was made to match and the chain re-hashed', async () => {
      const entry = await core.ok<Entry>(WINDOW.ADMIN, 'ledger/record', payment(10_000));
      const audited = ownRows().find((r) => r.entity_id === entry.id)!;
      withoutTriggers(
        `UPDATE ledger_entries SET amount_minor = 1000, net_amount_minor = 700 WHERE id = '${entry.id}';
         UPDATE audit_log SET after = json_set(after, '$.amountMinor', 1000, '$.netAmountMinor', 700) WHERE id = '${audited.id}';`,
      );
      rehashFrom(audited.seq, legacyAuditHash);
      expect(await verify()).toMatchObject({
        intact: false,
        problem: 'rehashed',
        seq: audited.seq,
        message: expect.stringContaining(
          `This computer's audit entry ${audited.seq} and those after it were re-sealed without this computer's key`,
        ),
      });
    });

    it('catches the chain re-hashed with a key other than this computer’s', async () => {
      const key = newChainKey();
      withoutTriggers(`UPDATE audit_log SET actor_role = 'ADMIN' WHERE seq = 3`);
      rehashFrom(3, (row) => auditHash(row, key));
      expect(await verify()).toMatchObject({ intact: false, problem: 'rehashed', seq: 3 });
    });

    it('catches every audit row and the head removed: the key store knows rows were written', async () => {
      const written = ownRows().length;
      withoutTriggers(`DELETE FROM audit_log; DELETE FROM device_meta WHERE key LIKE 'audit_head:%';`);
      const verdict = verifyAuditChain(sqlite());
      expect(verdict).toMatchObject({ intact: false, problem: 'missing-at-end', rows: 0 });
      expect(verdict.intact === false && verdict.message).toContain(
        `This computer's audit trail is empty, but ${written} entries had been written: they were removed.`,
      );
      const refused = await core.fails(WINDOW.ADMIN, 'properties/update', {
        id: office.propertyA,
        changes: { name: 'Quietly renamed' },
      });
      expect(refused).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('This change was not saved.'),
      });
    });

    it('refuses a change over a chain whose newest rows were removed, says why, and records when', async () => {
      const before = ownRows().length;
      withoutTriggers(`DELETE FROM audit_log WHERE seq > ${before - 2} AND device_id = '${core.deviceId}'`);
      const refused = await core.fails(WINDOW.ADMIN, 'properties/update', {
        id: office.propertyA,
        changes: { name: 'Quietly renamed' },
      });
      expect(refused.code).toBe('conflict');
      expect(refused.message).toBe(
        `This change was not saved. This computer's audit trail ends at entry ${before - 2}, but entry ${before} had been written: ` +
          'its newest entries were removed. Roomy records nothing more in this database until it is restored from a ' +
          'backup made before then: tell your administrator.',
      );
      expect(
        core.database.sqlite.prepare('SELECT name FROM properties WHERE id = ?').pluck().get(office.propertyA),
      ).toBe('Alfama Loft');
      expect(ownRows()).toHaveLength(before - 2);
      const verdict = await verify();
      expect(verdict).toMatchObject({
        intact: false,
        problem: 'missing-at-end',
        seq: before - 1,
        noticed: { at: core.clock.now.toISOString(), problem: 'missing-at-end' },
      });
      expect(keyRecord().noticed).toMatchObject({ problem: 'missing-at-end' });
    });

    it('catches the newest rows removed and the head rewritten to match, sealed or not', async () => {
      const sealedEarlier = head()!;
      await core.ok(WINDOW.ADMIN, 'properties/update', { id: office.propertyA, changes: { name: 'Alfama Loft II' } });
      const [seq, hash] = sealedEarlier.split(' ');
      withoutTriggers(`DELETE FROM audit_log WHERE device_id = '${core.deviceId}' AND seq > ${seq}`);
      sqlite()
        .prepare('UPDATE device_meta SET value = ? WHERE key = ?')
        .run(`${seq} ${hash}`, `audit_head:${core.deviceId}`);
      expect(await verify()).toMatchObject({ intact: false, problem: 'head-altered' });
      // The head as it was, seal and all: only the bound kept outside the file tells.
      sqlite()
        .prepare('UPDATE device_meta SET value = ? WHERE key = ?')
        .run(sealedEarlier, `audit_head:${core.deviceId}`);
      expect(await verify()).toMatchObject({
        intact: false,
        problem: 'missing-at-end',
        message: expect.stringContaining(`ends at entry ${seq}, but entry`),
      });
    });

    it('catches a ledger entry changed outside Roomy, naming what changed', async () => {
      const entry = await core.ok<Entry>(WINDOW.ADMIN, 'ledger/record', payment(10_000));
      expect(await verify()).toMatchObject({ intact: true });
      withoutTriggers(`UPDATE ledger_entries SET notes = 'paid in cash' WHERE id = '${entry.id}'`);
      expect(await verify()).toMatchObject({
        intact: false,
        problem: 'ledger-differs',
        rowId: entry.id,
        message: expect.stringMatching(
          new RegExp(
            `^The ledger entry ${entry.id} \\(guest payment, €100.00, 2026-11-24\\) differs from what was recorded when it was made: the notes changed outside Roomy.`,
          ),
        ),
      });
    });

    it('catches a ledger entry added outside Roomy', async () => {
      const forged = ledgerRow(office.ids.guest, {
        amountMinor: 5_000,
        platformFeeMinor: 0,
        transactionFeeMinor: 0,
        netAmountMinor: 5_000,
        currency: 'EUR',
      });
      core.database.db
        .insert(ledgerEntries)
        .values(forged as never)
        .run();
      expect(await verify()).toMatchObject({
        intact: false,
        problem: 'ledger-unaudited',
        rowId: forged.id,
        message: expect.stringContaining('has no audit entry recording its creation: it was added outside Roomy.'),
      });
    });

    it('cannot check or extend a chain whose key is gone, and says so', async () => {
      core.close();
      rmSync(join(core.dir, 'keys.json'));
      const reopened = createCore({ databaseFile: join(core.dir, 'roomy.db') });
      try {
        const verdict = verifyAuditChain(reopened.database.sqlite);
        expect(verdict).toMatchObject({ intact: false, problem: 'key-missing' });
        // Signing in still works (an administrator must be able to see this and restore a backup);
        // every change is refused.
        await reopened.call(WINDOW.ADMIN, 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
        const refused = await reopened.call(WINDOW.ADMIN, 'locations/create', {
          name: 'Faro',
          city: 'Faro',
          country: 'PT',
          timeZone: 'Europe/Lisbon',
          currency: 'EUR',
        });
        expect(refused).toMatchObject({
          ok: false,
          error: {
            code: 'conflict',
            message: expect.stringContaining('sealed with a key this computer does not hold'),
          },
        });
      } finally {
        reopened.close();
      }
    });
  });
});

describe('a database written before audit chains were keyed', () => {
  it('keeps its old rows verifiable by the old rule, keys every new one, and catches an old row edited', async () => {
    const dir = tempDir('roomy-legacy-');
    const file = join(dir.path, 'roomy.db');
    const legacy = openLocalDatabase(file);
    const device = '01a00000-0000-7000-8000-000000000001';
    legacy.sqlite.prepare(`INSERT INTO device_meta (key, value) VALUES ('device_id', ?)`).run(device);
    let previous = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const row = {
        id: `01a00000-0000-7000-8000-00000000001${seq}`,
        deviceId: device,
        seq,
        actorId: null,
        actorRole: null,
        action: `old.${seq}`,
        entityType: null,
        entityId: null,
        before: null,
        after: { n: seq },
        at: `2026-11-0${seq}T09:00:00.000Z`,
        prevHash: previous,
      };
      const hash = legacyAuditHash(row);
      legacy.sqlite
        .prepare(
          `INSERT INTO audit_log (id, device_id, seq, action, after, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(row.id, device, seq, row.action, JSON.stringify(row.after), row.at, previous, hash);
      previous = hash;
    }
    legacy.sqlite
      .prepare('INSERT INTO device_meta (key, value) VALUES (?, ?)')
      .run(`audit_head:${device}`, `3 ${previous}`);
    legacy.close();

    const upgraded = createCore({ databaseFile: file, now: () => new Date('2026-11-24T09:00:00Z') });
    try {
      expect(verifyAuditChain(upgraded.database.sqlite)).toMatchObject({ intact: true, rows: 3 });
      await upgraded.call('w', 'auth/setup', {
        email: 'admin@example.com',
        firstName: 'Marta',
        lastName: 'Costa',
        password: STRONG_PASSWORD,
      });
      const record = JSON.parse(JSON.parse(readFileSync(join(dir.path, 'keys.json'), 'utf8'))['audit-chain local']) as {
        key: string;
        keyedFrom: number;
      };
      expect(record.keyedFrom).toBe(4);
      const rows = upgraded.database.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').all() as StoredAudit[];
      expect(rows.length).toBeGreaterThan(3);
      for (const stored of rows.slice(3))
        expect(stored.hash).toBe(auditHash(asAuditRow(stored), Buffer.from(record.key, 'base64')));
      expect(verifyAuditChain(upgraded.database.sqlite)).toMatchObject({ intact: true });

      upgraded.database.sqlite.exec(
        `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'old.rewritten' WHERE seq = 2;`,
      );
      const row2 = asAuditRow(rows[1]!);
      upgraded.database.sqlite
        .prepare('UPDATE audit_log SET hash = ? WHERE seq = 2')
        .run(legacyAuditHash({ ...row2, action: 'old.rewritten' }));
      expect(verifyAuditChain(upgraded.database.sqlite)).toMatchObject({ intact: false, seq: 3 });
    } finally {
      upgraded.close();
      dir.remove();
    }
  });
});

describe('sample data and the ledger check', () => {
  it('a fresh sample database verifies, and a sample ledger entry changed or added outside Roomy is caught', async () => {
    const sample = createTestCore();
    try {
      await setUpAdmin(sample, 'w');
      await sample.ok('w', 'sample-data/load', {});
      const verdict = await sample.ok<{ intact: boolean; ledgerEntries: number }>('w', 'audit/verify');
      expect(verdict).toMatchObject({ intact: true });
      expect(verdict.ledgerEntries).toBeGreaterThan(10);
      const { sqlite } = sample.database;
      sqlite.exec(`DROP TRIGGER ledger_entries_no_update;
        UPDATE ledger_entries SET notes = 'adjusted' WHERE id = (SELECT min(id) FROM ledger_entries);`);
      expect(await sample.ok('w', 'audit/verify')).toMatchObject({
        intact: false,
        problem: 'ledger-unaudited',
        message: expect.stringMatching(
          /loaded without an audit entry each .* no longer match what was loaded: some were changed/,
        ),
      });
    } finally {
      sample.dispose();
    }
  });
});

interface StoredAudit {
  id: string;
  device_id: string;
  seq: number;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  at: string;
  prev_hash: string;
  hash: string;
}

const asAuditRow = (stored: StoredAudit): Omit<AuditRow, 'hash'> => ({
  id: stored.id,
  deviceId: stored.device_id,
  seq: stored.seq,
  actorId: stored.actor_id,
  actorRole: stored.actor_role,
  action: stored.action,
  entityType: stored.entity_type,
  entityId: stored.entity_id,
  before: stored.before === null ? null : (JSON.parse(stored.before) as JsonObject),
  after: stored.after === null ? null : (JSON.parse(stored.after) as JsonObject),
  at: stored.at,
  prevHash: stored.prev_hash,
});
