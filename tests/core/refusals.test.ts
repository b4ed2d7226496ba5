// Every refusal writes nothing but its audit row: for every operation, called by every role (and by
// a window nobody signed in to) with inputs that are well formed, malformed or aimed at rows out of
// the caller's reach, a call that fails changes no table but the audit log (and the outbox that
// carries audit rows to the sync server), and it adds exactly one audit row there.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNCED_TABLE_NAMES } from '../../db/sync/protocol.js';
import { buildOffice, WINDOW, type Office } from './office.js';
import { createTestCore, type TestCore } from './test-core.js';

let core: TestCore;
let office: Office;

beforeAll(async () => {
  core = createTestCore();
  office = await buildOffice(core);
});
afterAll(() => core?.dispose());

/** Every row of every table, as text: what a refusal must leave as it was. */
function snapshot(): Record<string, string> {
  const tables = [...SYNCED_TABLE_NAMES.filter((t) => t !== 'audit_log'), 'local_credentials', 'sync_conflicts'];
  return Object.fromEntries(
    tables.map((table) => [
      table,
      JSON.stringify(core.database.sqlite.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()),
    ]),
  );
}

const count = (table: string) =>
  core.database.sqlite.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;

const callers = [...Object.values(WINDOW), 'window-nobody-signed-in-to'];

/** Ids the office has, ids of nothing, and values of the wrong kind. */
const someId = () =>
  fc.constantFrom(
    office.propertyA,
    office.propertyB,
    office.ids.guest,
    office.ids.manager,
    office.lisbon,
    '01950000-0000-7000-8000-000000000000',
    'not-an-id',
  );
const someValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    someId(),
    fc.integer({ min: -10_000_000, max: 10_000_000 }),
    fc.constantFrom('', 'ADMIN', 'CANCELLED', 'OWNER_PAYOUT', '9999-01-01', '2026-13-40', 'EUR', null, true),
    fc.string({ maxLength: 20 }),
  );
const FIELDS = [
  'id',
  'propertyId',
  'guestId',
  'userId',
  'role',
  'status',
  'type',
  'amountMinor',
  'checkIn',
  'checkOut',
  'currency',
  'name',
  'reservationId',
  'referenceEntryId',
  'assigneeId',
  'changes',
];
const someInput = () =>
  fc.oneof(
    fc.constant(undefined),
    someValue(),
    fc.dictionary(fc.constantFrom(...FIELDS), someValue(), { maxKeys: 6 }),
    fc.record({ id: someId(), changes: fc.dictionary(fc.constantFrom(...FIELDS), someValue(), { maxKeys: 3 }) }),
  );

describe('refusals', () => {
  it('write nothing but one audit row, whoever calls whatever with whatever', async () => {
    // Operations whose success is fine to see here, but whose refusals must be checked.
    const operations = core.operationNames.filter((name) => !['auth/sign-out', 'backups/restore'].includes(name));
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.constantFrom(...callers),
        someInput(),
        async (name, caller, input) => {
          const before = snapshot();
          const audits = count('audit_log');
          const outbox = count('outbox');
          const result = await core.call(caller, name as never, input);
          if (result.ok) return;
          refused++;
          expect(result.error.code, `${name} ${JSON.stringify(input)}`).not.toBe('internal');
          const after = snapshot();
          // Failed sign-ins count toward the lockout: that is their one other write.
          if (name === 'auth/sign-in') {
            delete after.local_credentials;
            delete before.local_credentials;
          }
          expect(after, `${caller} ${name} ${JSON.stringify(input)}`).toEqual(before);
          expect(count('audit_log') - audits, `${caller} ${name} ${JSON.stringify(input)}`).toBe(1);
          expect(count('outbox') - outbox).toBe(1);
        },
      ),
      { numRuns: 600 },
    );
    expect(refused).toBeGreaterThan(300);
  }, 120_000);

  it('say why, for the refusals decided inside an operation, in the audit row', async () => {
    const cases: Array<[string, string, unknown]> = [
      [
        WINDOW.MANAGER,
        'users/create',
        { email: 'new-admin@example.com', firstName: 'New', lastName: 'Admin', role: 'ADMIN' },
      ],
      [
        WINDOW.AGENT,
        'ledger/record',
        {
          userId: office.ids.ownerA,
          propertyId: office.propertyA,
          type: 'OWNER_PAYOUT',
          category: 'payout',
          amountMinor: 1_000,
          currency: 'EUR',
          netAmountMinor: 1_000,
        },
      ],
      [WINDOW.AGENT, 'properties/update', { id: office.propertyB, changes: { name: 'Not mine' } }],
    ];
    for (const [caller, name, input] of cases) {
      const result = await core.call(caller, name as never, input);
      expect(result.ok, name).toBe(false);
      const row = core.database.sqlite
        .prepare(`SELECT action, entity_id, after FROM audit_log ORDER BY seq DESC LIMIT 1`)
        .get() as { action: string; entity_id: string; after: string };
      expect(row).toMatchObject({ action: 'call.refused', entity_id: name });
      expect(JSON.parse(row.after)).toMatchObject({ code: result.ok ? '' : result.error.code });
    }
  });
});
