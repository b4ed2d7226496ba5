// The Electric protocol's finer points, on raw HTTP and through the official client: headers,
// offsets, long-polls, log resets, and a clean shutdown that answers held requests.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationRow } from '../db/fixtures.js';
import { addUser, ApiClient, changeset, insert, startSyncServer, until, type TestSyncServer } from './sync-harness.js';

let env: TestSyncServer;
let admin: ApiClient;

beforeAll(async () => {
  env = await startSyncServer({ longPollMs: 800 });
  admin = await ApiClient.signIn(env.url, (await addUser(env.central, 'ADMIN')).email);
  await admin.push(changeset([insert('locations', locationRow({ name: 'Porto' }))]));
});

afterAll(async () => {
  await env?.close();
});

describe('the shape protocol', () => {
  it('a snapshot carries handle, offset, schema and up-to-date; values are Postgres text', async () => {
    const response = await admin.request('GET', '/v1/shape?table=locations&offset=-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('electric-handle')).toBeTruthy();
    expect(response.headers.get('electric-offset')).toMatch(/^\d+_\d+$/);
    expect(response.headers.get('electric-up-to-date')).toBe('');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const schema = JSON.parse(response.headers.get('electric-schema')!);
    expect(schema.id).toEqual({ type: 'text', not_null: true, pk_index: 0 });
    expect(schema.coordinates.type).toBe('jsonb');
    expect(schema.is_active.type).toBe('bool');
    const [row, control] = response.body;
    expect(row.headers.operation).toBe('insert');
    expect(row.key).toBe(`"public"."locations"/"${row.value.id}"`);
    expect(row.value.is_active).toBe('true');
    expect(JSON.parse(row.value.coordinates)).toEqual({ lat: 38.72, lng: -9.14 });
    expect(control.headers).toMatchObject({ control: 'up-to-date' });
  });

  it('offset=now answers up-to-date at the head; GETs are idempotent', async () => {
    const now = await admin.request('GET', '/v1/shape?table=locations&offset=now');
    expect(now.body).toHaveLength(1);
    const handle = now.headers.get('electric-handle')!;
    const offset = now.headers.get('electric-offset')!;
    await admin.push(changeset([insert('locations', locationRow())]));
    const path = `/v1/shape?table=locations&offset=${offset}&handle=${handle}`;
    const [a, b] = [await admin.request('GET', path), await admin.request('GET', path)];
    expect(a.body).toEqual(b.body);
    expect(a.body[0].headers.operation).toBe('insert');
    expect(a.body[0].headers.txids).toEqual([expect.any(Number)]);
  });

  it('a held long-poll times out into up-to-date with the same offset and a fresh cursor', async () => {
    const start = await admin.request('GET', '/v1/shape?table=locations&offset=now');
    const handle = start.headers.get('electric-handle')!;
    const offset = start.headers.get('electric-offset')!;
    const began = Date.now();
    const live = await admin.request(
      'GET',
      `/v1/shape?table=locations&offset=${offset}&handle=${handle}&live=true&cursor=`,
    );
    expect(Date.now() - began).toBeGreaterThanOrEqual(700);
    expect(live.status).toBe(200);
    expect(live.body).toEqual([{ headers: { control: 'up-to-date', global_last_seen_lsn: expect.any(String) } }]);
    expect(live.headers.get('electric-offset')).toBe(offset);
    const cursor = live.headers.get('electric-cursor')!;
    expect(cursor).toBeTruthy();
    const again = await admin.request(
      'GET',
      `/v1/shape?table=locations&offset=${offset}&handle=${handle}&live=true&cursor=${cursor}`,
    );
    expect(again.headers.get('electric-cursor')).not.toBe(cursor);
  });

  it('a long-poll answers at once when a change arrives', async () => {
    const start = await admin.request('GET', '/v1/shape?table=locations&offset=now');
    const url = `/v1/shape?table=locations&offset=${start.headers.get('electric-offset')}&handle=${start.headers.get('electric-handle')}&live=true&cursor=`;
    const held = admin.request('GET', url);
    await new Promise((r) => setTimeout(r, 100));
    const location = locationRow();
    await admin.push(changeset([insert('locations', location)]));
    const answer = await held;
    expect(answer.body[0].value.id).toBe(location.id);
  });

  it('an unknown handle is 409 must-refetch with the current handle', async () => {
    const response = await admin.request('GET', '/v1/shape?table=locations&offset=5_0&handle=gone');
    expect(response.status).toBe(409);
    expect(response.body).toEqual([{ headers: { control: 'must-refetch' } }]);
    expect(response.headers.get('electric-handle')).not.toBe('gone');
  });

  it('ShapeStream survives a forced log reset (409) and keeps following changes', async () => {
    const { shape, stream } = admin.shape('locations');
    const before = (await shape.rows).length;
    const handle = stream.shapeHandle;
    env.server.shapes.resetAll();
    const after = locationRow({ name: 'After the reset' });
    await admin.push(changeset([insert('locations', after)]));
    await until(shape, (rows) => rows.has(after.id));
    expect(shape.currentRows.length).toBe(before + 1);
    expect(stream.shapeHandle).not.toBe(handle);
    stream.unsubscribeAll();
  });

  it('narrowing: columns and where only narrow; a hidden column cannot be asked for', async () => {
    const narrow = await admin.request(
      'GET',
      `/v1/shape?table=locations&offset=-1&columns=name,city&where=${encodeURIComponent("name = 'Porto'")}`,
    );
    expect(narrow.body.slice(0, -1).map((m: { value: object }) => m.value)).toEqual([
      { id: expect.any(String), name: 'Porto', city: 'Lisbon' },
    ]);
    const owner = await ApiClient.signIn(env.url, (await addUser(env.central, 'OWNER')).email);
    const hidden = await owner.request('GET', '/v1/shape?table=reservations&offset=-1&columns=guest_email');
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.fields.columns).toMatch(/guest_email/);
  });
});

describe('shapes a client may make', () => {
  it('the same conditions in another order are one shape; a user keeps at most 32', async () => {
    const handleOf = async (where: string) =>
      (
        await admin.request('GET', `/v1/shape?table=locations&offset=-1&where=${encodeURIComponent(where)}`)
      ).headers.get('electric-handle');
    const one = await handleOf("name = 'Porto' AND city IS NOT NULL");
    const same = await handleOf("city IS NOT NULL AND name = 'Porto' AND name = 'Porto'");
    expect(same).toBe(one);
    for (let i = 0; i < 40; i++) await handleOf(`name = 'Town ${i}'`);
    expect(env.server.shapes.count).toBe(32);
  });
});

describe('shutdown', () => {
  it('releases held long-polls at once', async () => {
    const local = await startSyncServer({ longPollMs: 30_000 });
    const client = await ApiClient.signIn(local.url, (await addUser(local.central, 'ADMIN')).email);
    const start = await client.request('GET', '/v1/shape?table=users&offset=now');
    const held = client.request(
      'GET',
      `/v1/shape?table=users&offset=${start.headers.get('electric-offset')}&handle=${start.headers.get('electric-handle')}&live=true&cursor=`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const began = Date.now();
    await local.close();
    const answer = await held;
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(answer.status).toBe(200);
    expect(answer.body.at(-1).headers.control).toBe('up-to-date');
  });

  it('finishes the writes in flight before it stops', async () => {
    const local = await startSyncServer();
    const client = await ApiClient.signIn(local.url, (await addUser(local.central, 'ADMIN')).email);
    // Enough changesets to be caught mid-batch, few enough to finish within the server's grace
    // period on a machine busy with other work.
    const batch = Array.from({ length: 40 }, () => changeset([insert('locations', locationRow())], client.deviceId));
    const pushing = client.request('POST', '/v1/changesets', { changesets: batch });
    const central = local.central;
    const stored = async () =>
      Number((await central.query<{ n: string }>(`SELECT count(*)::text AS n FROM locations`))[0]!.n);
    // Stops once the server is applying the batch (each changeset commits on its own).
    while ((await stored()) === 0) await new Promise((r) => setTimeout(r, 2));
    const closing = local.server.close();
    const answer = await pushing;
    await closing;
    expect(answer.status).toBe(200);
    expect(answer.body.results.every((r: { status: string }) => r.status === 'applied')).toBe(true);
    expect(await stored()).toBe(40);
    await local.close();
  });

  it('is not held up by a connection that never sent a request', async () => {
    const local = await startSyncServer();
    const { port } = new URL(local.url);
    const idle = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    const began = Date.now();
    await local.close();
    expect(Date.now() - began).toBeLessThan(3_000);
    idle.destroy();
  });
});
