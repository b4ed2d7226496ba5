// The rulebook's case table (cases.ts) against the sync server: each write sent as a device would
// send it, in a changeset, and applied (or refused) by the server alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/domain/ids.js';
import { addUser, ApiClient, changeset, columnValues, writeRows } from '../sync-server/sync-client.js';
import { startSyncServer, type TestSyncServer } from '../sync-server/sync-harness.js';
import { CHANGE_RULES, ROW_RULES } from '../../db/rules/index.js';
import { PEOPLE, ruleCases, worldLocation, type Person, type RuleCase, type World } from './cases.js';

let env: TestSyncServer;
let world: World;
const clients = new Map<Person, ApiClient>();

beforeAll(async () => {
  env = await startSyncServer();
  const people = {} as Record<Person, string>;
  const emails = {} as Record<Person, string>;
  for (const [name, person] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
    const added = await addUser(env.central, person.role, 'status' in person ? { status: person.status } : {});
    people[name] = added.id;
    emails[name] = added.email;
  }
  const location = worldLocation(newId());
  await writeRows(env.central, [{ table: 'locations', values: columnValues('locations', location) }]);
  world = { people, locationId: location.id };
  for (const name of Object.keys(PEOPLE) as Person[]) {
    if (name === 'guest' || name === 'formerCleaner') continue;
    clients.set(name, await ApiClient.signIn(env.url, emails[name], undefined, `device-of-${name}`));
  }
});
afterAll(() => env?.close());

async function attempt(c: RuleCase): Promise<{ ok: true } | { ok: false; code: string; field?: string }> {
  const { write } = c;
  const now = new Date().toISOString();
  const op =
    write.op === 'insert'
      ? { table: write.table, op: 'insert' as const, id: write.row.id, values: columnValues(write.table, write.row) }
      : write.op === 'update'
        ? {
            table: write.table,
            op: 'update' as const,
            id: write.id,
            values: {
              ...columnValues(write.table, write.changes),
              ...(write.table === 'ledger_entries' ? {} : { updated_at: now }),
            },
          }
        : { table: write.table, op: 'delete' as const, id: write.id };
  const [result] = await clients.get(c.as)!.push(changeset([op], `device-of-${c.as}`));
  return result.status === 'applied' ? { ok: true } : { ok: false, code: result.code, field: result.field };
}

describe('the rulebook on the sync server', () => {
  it('allows and refuses every case of the table, naming the field', async () => {
    const outcomes: string[] = [];
    for (const c of ruleCases(world)) {
      if (c.given.length > 0)
        await writeRows(
          env.central,
          c.given.map(({ table, row }) => ({ table, values: columnValues(table, row) })),
        );
      const result = await attempt(c);
      const got = result.ok ? 'allowed' : `${result.code} ${result.field ?? ''}`;
      const want = c.refused ? `${c.refused.code} ${c.refused.field}` : 'allowed';
      outcomes.push(`${c.rule}: ${c.name}: ${got}${got === want ? '' : `  ← expected ${want}`}`);
    }
    if (process.env.SHOW_CASES) console.log(outcomes.join('\n'));
    expect(outcomes.filter((o) => o.includes('← expected'))).toEqual([]);
  });

  it('has a refused case for every rule of the rulebook', () => {
    const refused = new Set(
      ruleCases(world)
        .filter((c) => c.refused)
        .map((c) => c.rule),
    );
    const rules = [...ROW_RULES, ...CHANGE_RULES].map((r) => r.id);
    expect(rules.filter((id) => !refused.has(id))).toEqual([]);
  });
});
