import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRow, ledgerRow, userRow } from './fixtures.js';
import { DIALECTS, rejection, type Dialect } from './dialects.js';

describe.each(DIALECTS)('append-only tables in %s', (_name, open) => {
  let d: Dialect;
  beforeEach(async () => {
    d = await open();
  });
  afterEach(() => d.dispose());

  it('refuses UPDATE and DELETE of a ledger entry, and keeps it as it was', async () => {
    const user = userRow();
    await d.insert('users', user);
    const entry = ledgerRow(user.id);
    await d.insert('ledgerEntries', entry);

    expect(await rejection(d.update('ledgerEntries', entry.id, { notes: 'edited' }))).toMatch(
      /ledger_entries is append-only/,
    );
    expect(await rejection(d.remove('ledgerEntries', entry.id))).toMatch(/ledger_entries is append-only/);
    expect(await d.count('ledgerEntries')).toBe(1);
  });

  it('accepts a reversing entry that references the original', async () => {
    const user = userRow();
    await d.insert('users', user);
    const entry = ledgerRow(user.id);
    await d.insert('ledgerEntries', entry);
    await d.insert(
      'ledgerEntries',
      ledgerRow(user.id, {
        referenceEntryId: entry.id,
        amountMinor: -entry.amountMinor,
        platformFeeMinor: -entry.platformFeeMinor,
        netAmountMinor: -entry.netAmountMinor,
      }),
    );
    expect(await d.count('ledgerEntries')).toBe(2);
  });

  it('refuses UPDATE and DELETE of an audit row', async () => {
    const row = auditRow();
    await d.insert('auditLog', row);
    expect(await rejection(d.update('auditLog', row.id, { action: 'forged' }))).toMatch(/audit_log is append-only/);
    expect(await rejection(d.remove('auditLog', row.id))).toMatch(/audit_log is append-only/);
    expect(await d.count('auditLog')).toBe(1);
  });
});

describe('append-only tables in central Postgres, TRUNCATE', () => {
  it('refuses TRUNCATE of the ledger and the audit log', async () => {
    const d = await DIALECTS[1][1]();
    try {
      expect(await rejection(d.exec('TRUNCATE ledger_entries CASCADE'))).toMatch(/append-only/);
      expect(await rejection(d.exec('TRUNCATE audit_log'))).toMatch(/append-only/);
    } finally {
      await d.dispose();
    }
  });
});
