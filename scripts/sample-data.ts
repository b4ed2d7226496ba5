// `npm run sample-data -- --size scale --out /path/file.db [--seed x] [--today YYYY-MM-DD]`:
// creates (or migrates) the database file and fills it with generated sample data.
import { parseArgs } from 'node:util';
import { openLocalDatabase } from '../db/local-database.js';
import { generateSampleData, SAMPLE_SIZES, type SampleSize } from '../db/sample/generate.js';
import { loadSampleData } from '../db/sample/load.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'demo' },
    out: { type: 'string' },
    seed: { type: 'string', default: 'roomy' },
    today: { type: 'string', default: new Date().toISOString().slice(0, 10) },
  },
});

if (!values.out || !(values.size in SAMPLE_SIZES)) {
  console.error('usage: npm run sample-data -- --size demo|scale --out FILE [--seed TEXT] [--today YYYY-MM-DD]');
  process.exit(2);
}
const size = values.size as SampleSize;

const local = openLocalDatabase(values.out);
try {
  let started = performance.now();
  const data = generateSampleData({ size, seed: values.seed, today: values.today });
  const generateMs = performance.now() - started;

  started = performance.now();
  const counts = loadSampleData(local.sqlite, data);
  const loadMs = performance.now() - started;

  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`Sample data (${size}, seed "${values.seed}", today ${values.today}) in ${values.out}`);
  for (const [table, count] of [...Object.entries(counts), ['total', total] as const]) {
    console.log(`  ${table.padEnd(14)} ${count.toLocaleString('en')}`);
  }
  console.log(`Generated in ${Math.round(generateMs)} ms, loaded in ${Math.round(loadMs)} ms`);
} catch (error) {
  // The loader's refusals (a database that already has data) are for people, not stack traces.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  local.close();
}
