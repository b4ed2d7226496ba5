// A large snapshot goes out in chunks: each answer holds some rows and the offset of the next,
// the last one is up-to-date; the official client follows them, and changes made meanwhile come after.
import { Shape, ShapeStream, type Row } from '@electric-sql/client';
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
    // A chunk can be read again (the client prefetches the next one, then asks for it itself).
    const lastChunk = `/v1/shape?table=locations&offset=0_4294967305&handle=${handle}`;
    const [once, twice] = [await admin.request('GET', lastChunk), await admin.request('GET', lastChunk)];
    expect(twice.status).toBe(200);
    expect(twice.body).toEqual(once.body);
    // A chunk that is no longer kept sends the reader back to the start, under a new handle:
    // the one it sent has expired, and a client told so would take it again for a stale answer.
    const gone = await admin.request('GET', `/v1/shape?table=locations&offset=0_${2 ** 32 * 99 + 3}&handle=${handle}`);
    expect(gone.status).toBe(409);
    expect(gone.headers.get('electric-handle')).not.toBe(handle);
    const after = await admin.request('GET', `/v1/shape?table=locations&offset=${offset}&handle=${handle}`);
    expect(after.status).toBe(409);
    expect(after.headers.get('electric-handle')).toBe(gone.headers.get('electric-handle'));
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
  it('after a log reset the Electric client reads one new snapshot, never a stale handle again', async () => {
    const snapshots: string[] = [];
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      const stream = new ShapeStream<Row>({
        url: `${admin.url}/v1/shape`,
        params: { table: 'locations' },
        headers: { authorization: () => `Bearer ${admin.accessToken}` },
        fetchClient: (input, init) => {
          const url = new URL(String(input instanceof Request ? input.url : input));
          if (url.searchParams.get('offset') === '-1') snapshots.push(url.search);
          return fetch(input, init);
        },
      });
      const shape = new Shape(stream);
      await shape.rows;
      expect(snapshots).toHaveLength(1);
      env.server.shapes.resetAll();
      const marker = locationRow({ name: 'After the reset' });
      await admin.push(changeset([insert('locations', marker)]));
      await until(shape, (rows) => rows.has(marker.id));
      expect(snapshots).toHaveLength(2);
      expect(warnings.filter((w) => /stale/i.test(w))).toEqual([]);
      stream.unsubscribeAll();
    } finally {
      console.warn = warn;
    }
  });
});
