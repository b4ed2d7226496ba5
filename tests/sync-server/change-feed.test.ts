// The change feed every shape reads: entries in the order they were written, whatever their
// numbers, and a database that goes back in time noticed at the next read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/domain/ids.js';
import { appendToChangeLog, ChangeFeed } from '../../sync-server/changes/change-log.js';
import { freshCentralDatabase, type TestCentralDatabase } from '../harness/databases.js';

let central: TestCentralDatabase;

beforeAll(async () => {
  central = await freshCentralDatabase();
});
afterAll(() => central?.dispose());

const write = (n: number) =>
  central.transaction((query) =>
    appendToChangeLog(
      query,
      null,
      Array.from({ length: n }, () => ({
        table: 'locations' as const,
        op: 'update' as const,
        rowId: newId(),
        values: {},
      })),
    ),
  );

describe('the change feed', () => {
  it('reads entries in the order they were written, across 9 → 10 and 99 → 100', async () => {
    const feed = await ChangeFeed.open(central.query);
    const start = feed.head;
    await write(7);
    await write(120);
    await feed.refresh();
    const seqs = feed.entriesAfter(start)!.map((e) => e.seq);
    expect(seqs).toHaveLength(127);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(feed.head).toBe(Math.max(...seqs));
    feed.close();
  });

  it('notices a log that went back in time, and starts again at its real head', async () => {
    const feed = await ChangeFeed.open(central.query);
    await write(3);
    await feed.refresh();
    const ahead = feed.head;
    let resets = 0;
    feed.on('reset', () => resets++);
    // Lost: the newest entries, and their positions are handed out again.
    await central.query(`DELETE FROM change_log WHERE seq > $1`, [ahead - 2]);
    await central.query(`SELECT setval(pg_get_serial_sequence('change_log', 'seq'), $1, false)`, [ahead - 1]);
    await write(5);
    await feed.refresh();
    expect(resets).toBe(1);
    expect(feed.head).toBe(ahead + 3);
    await write(1);
    await feed.refresh();
    expect(resets).toBe(1);
    expect(feed.entriesAfter(ahead + 3)!.map((e) => e.seq)).toEqual([ahead + 4]);
    feed.close();
  });
});
