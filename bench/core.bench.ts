// Benchmark of the core on the scale dataset: each office query through the router (identity,
// policy, validation, drizzle) against the very same SQL run raw on better-sqlite3 with prepared
// statements. Prints median and p95 in ms and the router/raw ratio.
//   npm run bench:core [-- --db /path/scale.db]   (the dataset is generated when the file is absent)
import { parseArgs } from 'node:util';
import { openScaleBench, type Call } from './router-vs-raw.js';

const RUNS = 200;
const WARM_UP = 20;

const { values: args } = parseArgs({ options: { db: { type: 'string' } } });
// The sample data has no admin and no passwords: the bench signs in as an admin it adds itself.
const bench = await openScaleBench({
  db: args.db,
  generatedToday: '2026-11-24',
  benchAdmin: 'bench-admin@example.com',
});
const { raw, file } = bench;

const location = raw.prepare(`SELECT id FROM locations ORDER BY name LIMIT 1`).pluck().get() as string;
const busiest = raw
  .prepare(`SELECT property_id FROM reservations GROUP BY property_id ORDER BY count(*) DESC LIMIT 1`)
  .pluck()
  .get() as string;
const year = { from: '2025-11-24', to: '2026-11-24' };

interface Case {
  name: string;
  calls: Call[];
}

const cases: Case[] = [
  {
    name: 'property list page, filtered and sorted',
    calls: [
      [
        'admin',
        'properties/list',
        { locationId: location, status: ['ACTIVE'], minBedrooms: 1, sort: 'price', order: 'desc', limit: 50 },
      ],
    ],
  },
  { name: 'property search', calls: [['admin', 'properties/list', { search: 'garden', limit: 50 }]] },
  { name: 'property list, agent scope', calls: [['agent', 'properties/list', { limit: 50 }]] },
  {
    name: 'reservation search (dates, status)',
    calls: [
      [
        'admin',
        'reservations/list',
        { from: '2026-12-01', to: '2026-12-15', status: ['CONFIRMED', 'PENDING'], limit: 50 },
      ],
    ],
  },
  { name: 'reservation search by guest name', calls: [['admin', 'reservations/list', { search: 'silva', limit: 50 }]] },
  { name: 'property overview', calls: [['admin', 'properties/overview', { id: busiest }]] },
  {
    name: 'finance summary + KPIs, one year, whole agency',
    calls: [
      ['admin', 'finance/summary', year],
      ['admin', 'finance/kpis', { ...year, groupBy: 'all' }],
    ],
  },
  {
    name: 'finance summary + KPIs, one year, by property',
    calls: [
      ['admin', 'finance/summary', year],
      ['admin', 'finance/kpis', { ...year, groupBy: 'property' }],
    ],
  },
];

console.log(`\nRoomy core benchmark — ${file}\n${RUNS} runs each; times in ms\n`);
console.log('case'.padEnd(50), 'router med', '  p95', '   raw med', '  p95', '  ratio');
for (const c of cases) {
  const { routed: r, direct: d } = await bench.measure(c.calls, RUNS, WARM_UP);
  console.log(
    c.name.padEnd(50),
    r.median.toFixed(2).padStart(10),
    r.p95.toFixed(2).padStart(6),
    d.median.toFixed(2).padStart(10),
    d.p95.toFixed(2).padStart(6),
    `${(r.median / d.median).toFixed(2)}x`.padStart(7),
  );
}
bench.close();
