// The rulebook's case table (cases.ts) against the desktop core: each write made the way every
// operation makes it, through the change writer with the rulebook, inside one transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/domain/ids.js';
import { commitChange } from '../../main/core/changes.js';
import { createCore, type Core } from '../../main/core/core.js';
import { AppError } from '../../main/core/errors.js';
import { RuleChecks } from '../../main/core/rule-checks.js';
import { SYNCED_TABLES } from '../../main/core/synced-tables.js';
import { userRow } from '../db/fixtures.js';
import { tempDir } from '../harness/databases.js';
import { CHANGE_RULES, ROW_RULES } from '../../db/rules/index.js';
import { PEOPLE, ruleCases, worldLocation, type Person, type RuleCase, type World } from './cases.js';

let core: Core;
let world: World;
let folder: { path: string; remove(): void };

beforeAll(() => {
  folder = tempDir('roomy-rules-');
  core = createCore({ databaseFile: `${folder.path}/roomy.db` });
  const people = {} as Record<Person, string>;
  for (const [name, person] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
    const row = userRow({ role: person.role, ...('status' in person ? { status: person.status } : {}) });
    core.database.db.insert(SYNCED_TABLES.users).values(row).run();
    people[name] = row.id;
  }
  const location = worldLocation(newId());
  core.database.db.insert(SYNCED_TABLES.locations).values(location).run();
  world = { people, locationId: location.id };
});
afterAll(() => {
  core?.close();
  folder?.remove();
});

const rules = () => new RuleChecks(core.database.sqlite);

/** Rows given before a case go straight in, as the server's rows land on a device. */
function give(c: RuleCase): void {
  for (const { table, row } of c.given)
    core.database.db
      .insert(SYNCED_TABLES[table])
      .values(row as never)
      .run();
}

function attempt(c: RuleCase): { ok: true } | { ok: false; code: string; fields: Record<string, string> } {
  const actor = { id: world.people[c.as], role: PEOPLE[c.as].role };
  try {
    commitChange(
      core.database.sqlite,
      core.database.db,
      core.deviceId,
      actor,
      'rule-case',
      new Date().toISOString(),
      (w) => {
        const { write } = c;
        if (write.op === 'insert') {
          const { createdAt: _c, updatedAt: _u, ...row } = write.row;
          w.insert(write.table, row as never);
        } else if (write.op === 'update') w.update(write.table, write.id, write.changes as never);
        else w.delete(write.table, write.id);
      },
      { rules: rules() },
    );
    return { ok: true };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, code: error.code, fields: error.fields ?? {} };
  }
}

describe('the rulebook on the desktop', () => {
  it('allows and refuses every case of the table, naming the field', () => {
    const outcomes: string[] = [];
    for (const c of ruleCases(world)) {
      give(c);
      const result = attempt(c);
      const got = result.ok ? 'allowed' : `${result.code} ${Object.keys(result.fields).join(',')}`;
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
