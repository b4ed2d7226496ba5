// A large snapshot goes out in chunks: each answer holds some rows and the offset of the next,
// the last one is up-to-date; the official client follows them, and changes made meanwhile come after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationRow } from '../db/fixtures.js';
import {
  addUser,
  ApiClient,
  changeset,
  insert,
  rowsById,
  startSyncServer,
  until,
  update,
  type TestSyncServer,
} from './sync-harness.js';

let env: TestSyncServer;
let admin: ApiClient;
const CITIES = Array.from({ length: 10 }, (_, i) => `City ${String(i).padStart(2, '0')}`);

beforeAll(async () => {
  env = await startSyncServer({ longPollMs: 800, snapshotChunkRows: 3 });
  admin = await ApiClient.signIn(env.url, (await addUser(env.central, 'ADMIN')).email);
  await admin.push(changeset(CITIES.map((name) => insert('locations', locationRow({ name })))));
});
afterAll(() => env?.close());

describe('chunked snapshots', () => {
  it('come in chunks of the configured size, each pointing at the next, the last up-to-date', async () => {
    const first = await admin.request('GET', '/v1/shape?table=locations&offset=-1');
    const handle = first.headers.get('electric-handle')!;
    expect(first.body).toHaveLength(3);
    expect(first.headers.get('electric-up-to-date')).toBeNull();
    expect(first.headers.get('electric-offset')).toMatch(/^0_\d+$/);
    const names = first.body.map((m: { value: { name: string } }) => m.value.name);
    let offset = first.headers.get('electric-offset')!;
    let answers = 1;
    for (;;) {
      const next = await admin.request('GET', `/v1/shape?table=locations&offset=${offset}&handle=${handle}`);
      answers++;
      expect(next.status).toBe(200);
      const rows = next.body.filter((m: { key?: string }) => m.key);
      names.push(...rows.map((m: { value: { name: string } }) => m.value.name));
      offset = next.headers.get('electric-offset')!;
      if (next.headers.get('electric-up-to-date') !== null) {
        expect(next.body.at(-1).headers.control).toBe('up-to-date');
        break;
      }
    }
    expect(answers).toBe(4);
    expect(names.sort()).toEqual([...CITIES].sort());
    // After the last chunk, the offset is the log's: a live request from it waits for changes.
    expect(offset).not.toMatch(/^0_/);
    // A chunk that is no longer kept sends the reader back to the start.
    const gone = await admin.request('GET', `/v1/shape?table=locations&offset=0_4294967299&handle=${handle}`);
    expect(gone.status).toBe(409);
  });

  it('the Electric client follows the chunks, and a change made meanwhile arrives after them', async () => {
    const { shape, stream } = admin.shape('locations');
    const rows = await shape.rows;
    expect(rows.map((r) => r.name).sort()).toEqual([...CITIES].sort());
    const porto = rows.find((r) => r.name === CITIES[0])!;
    await admin.push(
      changeset([update('locations', String(porto.id), { name: 'Porto', updated_at: new Date().toISOString() })]),
    );
    await until(shape, (byId) => byId.get(String(porto.id))?.name === 'Porto');
    expect(rowsById(shape).size).toBe(CITIES.length);
    stream.unsubscribeAll();
  });
});
