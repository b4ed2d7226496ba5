// Loads generated sample data into a migrated central (Postgres) database, for benchmarks and
// load tests of the sync server: batched INSERTs from JSON, parents before children, one transaction.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { CentralDatabase } from '../central-database.js';
import * as schema from '../schema/postgres.js';
import type { SampleData } from './generate.js';
import { LOAD_ORDER, type SampleCounts } from './load.js';

const CHUNK = 5_000;

export async function loadSampleDataCentral(central: CentralDatabase, data: SampleData): Promise<SampleCounts> {
  const counts = {} as SampleCounts;
  await central.transaction(async (query) => {
    for (const key of LOAD_ORDER) {
      const table: PgTable = schema[key];
      const fields = Object.entries(getTableColumns(table));
      const present = fields.filter(([field]) =>
        data[key].some((row) => (row as Record<string, unknown>)[field] !== undefined),
      );
      const names = present.map(([, column]) => `"${column.name}"`).join(', ');
      const name = getTableName(table);
      for (let start = 0; start < data[key].length; start += CHUNK) {
        const rows = data[key].slice(start, start + CHUNK).map((row) => {
          const record = row as Record<string, unknown>;
          return Object.fromEntries(present.map(([field, column]) => [column.name, record[field] ?? null]));
        });
        await query(
          `INSERT INTO "${name}" (${names}) SELECT ${names} FROM jsonb_populate_recordset(null::"${name}", $1::jsonb)`,
          [JSON.stringify(rows)],
        );
      }
      counts[key] = data[key].length;
    }
  });
  return counts;
}
