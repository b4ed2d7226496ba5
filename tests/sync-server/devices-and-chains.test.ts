// A device belongs to the one person who first signed in from it, and the server checks every
// audit row it is sent against that device's trail: the next entry, following the last one held,
// sealed with the key the server issued the device (or, before its first keyed entry, by the rule
// before keys). The server keeps each device's newest entry, and tells the device what it is.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, legacyAuditHash, serverIssuedChainKey } from '../../db/audit/chain-hash.js';
import { openCentralDatabase } from '../../db/central-database.js';
import { POSTGRES_MIGRATIONS } from '../../db/migrate/history.js';
import { ENDPOINTS } from '../../db/sync/protocol.js';
import { createSyncServer } from '../../sync-server/server.js';
import { locationRow, userRow } from '../db/fixtures.js';
import { emptyCentralTarget, tempDir } from '../harness/databases.js';
import {
  addUser,
  ApiClient,
  AuditTrail,
  changeset,
  columnValues,
  insert,
  newId,
  PASSWORD,
  startSyncServer,
  TEST_SETTINGS,
  type AuditEntry,
  type TestSyncServer,
  writeRows,
} from './sync-harness.js';

type Person = { id: string; email: string; role: string };

let env: TestSyncServer;
let manager: Person;
let otherManager: Person;
let cleaner: Person;

beforeAll(async () => {
  env = await startSyncServer();
  manager = await addUser(env.central, 'MANAGER');
  otherManager = await addUser(env.central, 'MANAGER');
  cleaner = await addUser(env.central, 'CLEANER');
});

afterAll(async () => {
  await env?.close();
});

const anonymous = () => new ApiClient(env.url);
const NOT_CONTINUING = /^This device's audit trail does not continue from what the server holds: /;

const count = async (table: string, where: string, params: unknown[]) =>
  Number(
    (await env.central.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`, params))[0]!.n,
  );
const auditRowsOf = (deviceId: string) => count('audit_log', 'device_id = $1', [deviceId]);

/** A manager's new device and its trail. */
async function managerDevice(): Promise<{ client: ApiClient; trail: AuditTrail }> {
  const client = await ApiClient.signIn(env.url, manager.email);
  return { client, trail: AuditTrail.of(client, manager) };
}

/** Sends the entries in one changeset with a new location; the trail moves on if it was applied. */
async function send(client: ApiClient, trail: AuditTrail, ...entries: AuditEntry[]) {
  const [result] = await client.push(changeset([insert('locations', locationRow()), ...entries.map((e) => e.op)]));
  if (result.status === 'applied') trail.kept(...entries);
  return result;
}

const anchorOf = async (client: ApiClient) => client.request('GET', ENDPOINTS.deviceAnchor);

describe('a device belongs to one person', () => {
  it('a sign-in names its device: without one it is refused, naming the field, and no session begins', async () => {
    const before = await count('refresh_tokens', 'user_id = $1', [manager.id]);
    const response = await anonymous().request('POST', ENDPOINTS.signIn, { email: manager.email, password: PASSWORD });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual({ deviceId: 'is required' });
    expect(response.body).not.toHaveProperty('accessToken');
    expect(await count('refresh_tokens', 'user_id = $1', [manager.id])).toBe(before);
  });

  it('a device already bound to someone else is refused at sign-in, and stays its owner’s', async () => {
    const deviceId = newId();
    await ApiClient.signIn(env.url, manager.email, PASSWORD, deviceId);
    const taken = await anonymous().request('POST', ENDPOINTS.signIn, {
      email: cleaner.email,
      password: PASSWORD,
      deviceId,
    });
    expect(taken.status).toBe(403);
    expect(taken.body.error.code).toBe('forbidden');
    expect(taken.body.error.message).toBe(
      `Device ${deviceId} is registered on the sync server to another person: each device signs in for one person only. Sign in from a device of your own.`,
    );
    expect(taken.body).not.toHaveProperty('accessToken');
    expect(await count('refresh_tokens', 'user_id = $1 AND device_id = $2', [cleaner.id, deviceId])).toBe(0);
    await expect(ApiClient.signIn(env.url, manager.email, PASSWORD, deviceId)).resolves.toBeInstanceOf(ApiClient);
  });

  it('the sign-in answer carries the key that seals the device’s audit trail, the same at every sign-in', async () => {
    const deviceId = newId();
    const first = await ApiClient.signIn(env.url, manager.email, PASSWORD, deviceId);
    const again = await ApiClient.signIn(env.url, manager.email, PASSWORD, deviceId);
    const elsewhere = await ApiClient.signIn(env.url, manager.email);
    expect(first.chainKey).toBe(serverIssuedChainKey(TEST_SETTINGS.tokenSecret, deviceId).toString('base64'));
    expect(again.chainKey).toBe(first.chainKey);
    expect(elsewhere.chainKey).not.toBe(first.chainKey);
  });

  it('a changeset naming another device than the session’s is refused and writes nothing', async () => {
    const victim = await ApiClient.signIn(env.url, manager.email);
    const thief = await ApiClient.signIn(env.url, otherManager.email);
    const location = locationRow();
    const set = changeset([insert('locations', location)], victim.deviceId);
    const [result] = await thief.push(set);
    expect(result).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(result.message).toBe(
      `This changeset names device ${victim.deviceId}, but this session signed in from device ${thief.deviceId}.`,
    );
    expect(await count('locations', 'id = $1', [location.id])).toBe(0);
    expect(await count('applied_changesets', 'id = $1', [set.id])).toBe(0);
    // Its own device may still send it.
    expect(await victim.push(set)).toMatchObject([{ status: 'applied' }]);
  });

  it('no one writes into another device’s audit trail: its own next changes still go through', async () => {
    const victim = await managerDevice();
    // The entry the victim's device will write next, made by someone who knows its id (and not its key).
    const forged = victim.trail.next({ actorId: null, actorRole: null }, legacyAuditHash);

    // Signing in without naming a device used to give a session that could name any device.
    const bare = await anonymous().request('POST', ENDPOINTS.signIn, { email: cleaner.email, password: PASSWORD });
    if (bare.status === 200) {
      const intruder = new ApiClient(env.url);
      intruder.accessToken = bare.body.accessToken;
      await intruder.push(changeset([forged.op], victim.client.deviceId));
    }
    const cleanerDevice = await ApiClient.signIn(env.url, cleaner.email);
    const [asItself] = await cleanerDevice.push(changeset([forged.op]));
    const [asTheVictim] = await cleanerDevice.push(changeset([forged.op], victim.client.deviceId));
    expect(asItself).toMatchObject({ status: 'rejected', code: 'validation' });
    expect(asTheVictim).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(await auditRowsOf(victim.client.deviceId)).toBe(0);

    expect(await send(victim.client, victim.trail, victim.trail.next())).toMatchObject({ status: 'applied' });
    expect(await auditRowsOf(victim.client.deviceId)).toBe(1);
  });

  it('a session begun before devices were bound to people must sign in again', async () => {
    const client = await ApiClient.signIn(env.url, manager.email);
    await env.central.query(`UPDATE refresh_tokens SET device_id = NULL WHERE device_id = $1`, [client.deviceId]);
    const me = await client.request('GET', ENDPOINTS.me);
    expect(me.status).toBe(401);
    expect(me.body.error.message).toMatch(/sign in again/);
    const refreshed = await anonymous().request('POST', ENDPOINTS.refresh, { refreshToken: client.refreshToken });
    expect(refreshed.status).toBe(401);
  });
});

describe('every audit row is checked as it arrives', () => {
  it('entries that continue the device’s trail are kept, and the server keeps its newest', async () => {
    const { client, trail } = await managerDevice();
    const first = trail.next();
    const second = trail.next({ seq: 2, prevHash: first.row.hash });
    expect(await send(client, trail, first, second)).toMatchObject({ status: 'applied' });
    const third = trail.next();
    expect(await send(client, trail, third)).toMatchObject({ status: 'applied' });
    expect(await auditRowsOf(client.deviceId)).toBe(3);
    const anchor = await anchorOf(client);
    expect(anchor.status).toBe(200);
    expect(anchor.body).toEqual({ seq: 3, hash: third.row.hash });
  });

  it('an entry out of sequence, not following the last one, or sealed wrongly is refused, and the trail goes on', async () => {
    const { client, trail } = await managerDevice();
    const first = trail.next();
    expect(await send(client, trail, first)).toMatchObject({ status: 'applied' });
    const otherKey = serverIssuedChainKey('the secret of another server', client.deviceId);
    const refusals: Array<[string, AuditEntry, string]> = [
      [
        'an entry it already holds, with other content',
        trail.next({ seq: 1, prevHash: first.row.prevHash }),
        'conflict',
      ],
      ['a wrong previous hash', trail.next({ prevHash: 'f'.repeat(64) }), 'conflict'],
      ['a hash that is not its seal', trail.next({}, () => 'a'.repeat(64)), 'validation'],
      ['sealed with another key', trail.next({}, (row) => auditHash(row, otherKey)), 'validation'],
      ['changed after it was sealed', edited(trail.next(), { action: 'ledger/record' }), 'validation'],
    ];
    for (const [what, entry, code] of refusals) {
      const result = await send(client, trail, entry);
      expect(result, what).toMatchObject({ status: 'rejected', code });
      expect(result.message, what).toMatch(NOT_CONTINUING);
    }
    // A changeset refused for one of its entries keeps none of them.
    const good = trail.next();
    const bad = trail.next({ seq: 3, prevHash: 'e'.repeat(64) });
    expect(await send(client, trail, good, bad)).toMatchObject({ status: 'rejected', code: 'conflict' });
    expect(await auditRowsOf(client.deviceId)).toBe(1);
    expect((await anchorOf(client)).body).toEqual({ seq: 1, hash: first.row.hash });

    expect(await send(client, trail, trail.next())).toMatchObject({ status: 'applied' });
    expect(await auditRowsOf(client.deviceId)).toBe(2);
  });

  it('a gap is refused, naming what the server holds', async () => {
    const { client, trail } = await managerDevice();
    expect(await send(client, trail, trail.next())).toMatchObject({ status: 'applied' });
    const second = trail.next();
    const third = trail.next({ seq: 3, prevHash: second.row.hash });
    const gap = await send(client, trail, third);
    expect(gap).toMatchObject({ status: 'rejected', code: 'conflict' });
    expect(gap.message).toBe(
      "This device's audit trail does not continue from what the server holds: entry 3 would follow entry 2, but the server holds this device's entries up to 1.",
    );
    expect(await send(client, trail, second, third)).toMatchObject({ status: 'applied' });
    expect(await auditRowsOf(client.deviceId)).toBe(3);
  });

  it('entries sealed by the rule before keys are taken until the device’s first keyed entry, never after', async () => {
    const { client, trail } = await managerDevice();
    const legacy = [trail.next({}, legacyAuditHash)];
    legacy.push(trail.next({ seq: 2, prevHash: legacy[0]!.row.hash }, legacyAuditHash));
    expect(await send(client, trail, ...legacy)).toMatchObject({ status: 'applied' });
    expect(await send(client, trail, trail.next())).toMatchObject({ status: 'applied' });
    const late = await send(client, trail, trail.next({}, legacyAuditHash));
    expect(late).toMatchObject({ status: 'rejected', code: 'validation' });
    expect(late.message).toBe(
      "This device's audit trail does not continue from what the server holds: entry 4 is sealed by the rule before keys, but this device seals its entries with its key from entry 3 on.",
    );
    expect(await send(client, trail, trail.next())).toMatchObject({ status: 'applied' });
    expect(await auditRowsOf(client.deviceId)).toBe(4);
  });

  it('a refused changeset’s entries are kept all the same, so the trail stays whole; sent again, they are taken once', async () => {
    const { client, trail } = await managerDevice();
    const first = trail.next();
    const [refused] = await client.push(
      changeset([insert('locations', locationRow({ timeZone: 'Not/AZone' })), first.op]),
    );
    expect(refused).toMatchObject({ status: 'rejected', code: 'validation' });
    expect(await auditRowsOf(client.deviceId)).toBe(1);
    trail.kept(first);
    const second = trail.next();
    expect(await send(client, trail, second)).toMatchObject({ status: 'applied' });
    // The device sends the refused changeset's entries again, with one recording the refusal.
    const third = trail.next({ action: 'sync.change-refused' });
    expect(await client.push(changeset([first.op, third.op]))).toMatchObject([{ status: 'applied' }]);
    trail.kept(third);
    expect(await auditRowsOf(client.deviceId)).toBe(3);
    expect(await count('change_log', 'row_id = $1', [first.row.id])).toBe(1);
    expect((await anchorOf(client)).body).toEqual({ seq: 3, hash: third.row.hash });
  });

  it('entries the server lost (its database restored to an earlier point) are taken again only as they were', async () => {
    const { client, trail } = await managerDevice();
    const entries: AuditEntry[] = [];
    for (let i = 0; i < 3; i++) {
      entries.push(trail.next());
      expect(await send(client, trail, entries.at(-1)!)).toMatchObject({ status: 'applied' });
    }
    const [, second, third] = entries as [AuditEntry, AuditEntry, AuditEntry];
    // As a restore would: the append-only trigger stays out of it, and devices are left as they are.
    await env.central.transaction(async (query) => {
      await query('SET LOCAL session_replication_role = replica');
      await query(`DELETE FROM audit_log WHERE id = ANY($1)`, [[second.row.id, third.row.id]]);
    });
    // Work goes on from the newest entry the server had held...
    const fourth = trail.next();
    expect(await send(client, trail, fourth)).toMatchObject({ status: 'applied' });
    // ...and what it lost comes back in order, each as it was.
    const outOfOrder = await client.push(changeset([third.op]));
    expect(outOfOrder).toMatchObject([{ status: 'rejected', code: 'conflict' }]);
    expect(await client.push(changeset([second.op]))).toMatchObject([{ status: 'applied' }]);
    const rewritten = new AuditTrail(client.deviceId, manager, trail.seal);
    rewritten.kept(second);
    const [other] = await client.push(changeset([rewritten.next({ action: 'ledger/record' }).op]));
    expect(other).toMatchObject({ status: 'rejected', code: 'conflict' });
    expect(other.message).toMatch(NOT_CONTINUING);
    expect(await client.push(changeset([third.op]))).toMatchObject([{ status: 'applied' }]);
    expect(await auditRowsOf(client.deviceId)).toBe(4);
    expect((await anchorOf(client)).body).toEqual({ seq: 4, hash: fourth.row.hash });
  });

  it('the anchor is the newest entry the server holds from the session’s own device', async () => {
    const { client, trail } = await managerDevice();
    const none = await anchorOf(client);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
    const first = trail.next();
    expect(await send(client, trail, first)).toMatchObject({ status: 'applied' });
    expect((await anchorOf(client)).body).toEqual({ seq: 1, hash: first.row.hash });
    const someoneElse = await ApiClient.signIn(env.url, otherManager.email);
    expect((await anchorOf(someoneElse)).status).toBe(404);
    expect((await anonymous().request('GET', ENDPOINTS.deviceAnchor)).status).toBe(401);
  });
});

describe('a server upgraded while devices were already syncing', () => {
  it('binds each device to the person who first sent from it, and its trail goes on from what it holds', async () => {
    const target = await emptyCentralTarget();
    if (!target.url) return; // an in-memory PGlite does not survive closing
    const dir = tempDir();
    try {
      // The database as the version before devices left it.
      const before = await openCentralDatabase({ url: target.url }, { migrationsFolder: migrationsUpTo(dir.path, 6) });
      const owner = userRow({ role: 'MANAGER' });
      const other = userRow({ role: 'MANAGER' });
      const hash = await passwordHashOf(manager);
      await writeRows(
        before,
        [owner, other].map((person) => ({
          table: 'users' as const,
          values: { ...before6(columnValues('users', person)), password_hash: hash },
        })),
      );
      const deviceId = newId();
      const key = serverIssuedChainKey(TEST_SETTINGS.tokenSecret, deviceId);
      const trail = new AuditTrail(deviceId, { id: owner.id, role: 'MANAGER' }, (row) => auditHash(row, key));
      const written = [trail.next()];
      trail.kept(written[0]!);
      written.push(trail.next());
      trail.kept(written[1]!);
      for (const { row } of written) {
        await before.query(
          `INSERT INTO audit_log (id, device_id, seq, actor_id, actor_role, action, at, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [row.id, deviceId, row.seq, row.actorId, row.actorRole, row.action, row.at, row.prevHash, row.hash],
        );
      }
      // Its owner sent from it first; someone else, later, when any session could name any device.
      for (const [userId, at] of [
        [owner.id, '2026-11-01T10:00:00Z'],
        [other.id, '2026-11-02T10:00:00Z'],
      ] as const) {
        await before.query(
          `INSERT INTO applied_changesets (id, device_id, user_id, outcome, code, message, created_at)
           VALUES ($1, $2, $3, 'rejected', 'validation', 'x', $4)`,
          [newId(), deviceId, userId, at],
        );
      }
      await before.close();

      const upgraded = await openCentralDatabase({ url: target.url });
      const server = await createSyncServer(upgraded, TEST_SETTINGS);
      const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const taken = await new ApiClient(url).request('POST', ENDPOINTS.signIn, {
          email: other.email,
          password: PASSWORD,
          deviceId,
        });
        expect(taken.status).toBe(403);
        const client = await ApiClient.signIn(url, owner.email, PASSWORD, deviceId);
        expect((await client.request('GET', ENDPOINTS.deviceAnchor)).body).toEqual({
          seq: 2,
          hash: written[1]!.row.hash,
        });
        const [result] = await client.push(changeset([trail.next().op]));
        expect(result).toMatchObject({ status: 'applied' });
      } finally {
        await server.close();
        await upgraded.close();
      }
    } finally {
      dir.remove();
      await target.drop();
    }
  });
});

/** A user's columns as the schema had them before guests gained notes, tags and "do not rent". */
function before6(values: Record<string, unknown>): Record<string, unknown> {
  const { notes: _n, tags: _t, do_not_rent: _d, do_not_rent_reason: _r, ...rest } = values;
  return rest;
}

/** A copy of the central migrations folder that knows only the first `count`. */
function migrationsUpTo(dir: string, count: number): string {
  const folder = join(dir, 'migrations');
  cpSync(POSTGRES_MIGRATIONS, folder, { recursive: true });
  const journal = join(folder, 'meta', '_journal.json');
  const parsed = JSON.parse(readFileSync(journal, 'utf8')) as { entries: unknown[] };
  writeFileSync(journal, JSON.stringify({ ...parsed, entries: parsed.entries.slice(0, count) }));
  return folder;
}

/** The password hash a user made by addUser has (PASSWORD's). */
async function passwordHashOf(person: Person): Promise<string> {
  const [row] = await env.central.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [
    person.id,
  ]);
  return row!.password_hash;
}

/** An entry whose row was changed after it was sealed. */
function edited(entry: AuditEntry, change: Record<string, unknown>): AuditEntry {
  return { row: entry.row, op: { ...entry.op, values: { ...entry.op.values, ...change } } };
}
