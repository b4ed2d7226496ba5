// Generates the scale dataset, loads it into a fresh migrated SQLite file, and compares the load
// with a raw baseline: SQLite copying the same rows (INSERT ... SELECT) into a second fresh file
// with the same schema, which pays for the same indexes, checks, triggers and foreign keys but
// for no JavaScript at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase } from '../db/local-database.js';
import { generateSampleData } from '../db/sample/generate.js';
import { loadSampleData } from '../db/sample/load.js';

const TABLES = ['users', 'locations', 'properties', 'reservations', 'tasks', 'ledger_entries'];
const CACHE_KIB = 128 * 1024; // as the loader uses, so both sides get the same page cache

const dir = mkdtempSync(join(tmpdir(), 'roomy-bench-'));
try {
  const loadedFile = join(dir, 'loaded.db');
  const loaded = openLocalDatabase(loadedFile);
  const generate = time(() => generateSampleData({ size: 'scale', today: '2026-06-15' }));
  const rows = Object.values(generate.result).reduce((n, table: unknown[]) => n + table.length, 0);
  const load = time(() => loadSampleData(loaded.sqlite, generate.result));
  loaded.close();

  const copy = openLocalDatabase(join(dir, 'copy.db'));
  copy.sqlite.pragma(`cache_size = -${CACHE_KIB}`);
  copy.sqlite.prepare('ATTACH DATABASE ? AS source').run(loadedFile);
  const raw = time(() =>
    copy.sqlite.transaction(() => {
      for (const table of TABLES) copy.sqlite.exec(`INSERT INTO main."${table}" SELECT * FROM source."${table}"`);
    })(),
  );
  copy.sqlite.exec('DETACH DATABASE source');
  copy.close();

  console.log(`sample data, scale size: ${rows.toLocaleString('en')} rows`);
  for (const [table, count] of Object.entries(load.result))
    console.log(`  ${table.padEnd(14)} ${count.toLocaleString('en')}`);
  report('generate', generate.ms, rows);
  report('load', load.ms, rows);
  report('raw copy', raw.ms, rows);
  console.log(`load / raw copy: ${(load.ms / raw.ms).toFixed(2)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function time<T>(work: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
}

function report(label: string, ms: number, rows: number): void {
  const perSecond = Math.round((rows / ms) * 1000).toLocaleString('en');
  console.log(
    `${label.padEnd(9)} ${Math.round(ms).toLocaleString('en').padStart(7)} ms  ${perSecond.padStart(9)} rows/s`,
  );
}
