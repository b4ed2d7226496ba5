// Benchmark of finding free nights and of the booking calendar on the scale dataset (1,000
// properties, 100,000 stays): each call through the router (identity, policy, validation,
// drizzle) against the very same SQL run raw on better-sqlite3 with prepared statements. Prints
// median and p95 in ms, the router/raw ratio, and whether the search answers within its 100 ms.
//   npx tsx bench/availability.bench.ts [--db /path/scale.db]   (the dataset is generated when the file is absent)
import { parseArgs } from 'node:util';
import { addDays } from '../db/domain/dates.js';
import type { OperationName } from '../main/operations/index.js';
import { openScaleBench } from './router-vs-raw.js';

const RUNS = 100;
const WARM_UP = 10;
const TARGET_MS = 100;

const { values: args } = parseArgs({ options: { db: { type: 'string' } } });
const bench = await openScaleBench({
  db: args.db,
  generatedToday: '2026-11-24',
  benchAdmin: 'bench-availability@example.com',
  // The dataset's own today: the latest arrival of a stay that is checked in now.
  todayOf: (raw) =>
    raw.prepare(`SELECT max(check_in) FROM reservations WHERE status = 'CHECKED_IN'`).pluck().get() as string,
});
const { raw, today, file } = bench;
const location = raw.prepare(`SELECT id FROM locations ORDER BY name LIMIT 1`).pluck().get() as string;

const nextWeek = { checkIn: addDays(today, 7), checkOut: addDays(today, 10), guests: 4 };
const spring = { checkIn: addDays(today, 100), checkOut: addDays(today, 103), guests: 4 };
const month = { from: `${today.slice(0, 7)}-01`, to: addDays(`${today.slice(0, 7)}-01`, 31) };

interface Case {
  name: string;
  caller: 'admin' | 'agent';
  op: OperationName;
  input: unknown;
  /** The search's answer time is promised; the others are shown for comparison. */
  target?: number;
}

const cases: Case[] = [
  {
    name: 'free next week for 4, whole agency',
    caller: 'admin',
    op: 'availability/search',
    input: nextWeek,
    target: TARGET_MS,
  },
  {
    name: 'free in 100 days for 4, whole agency',
    caller: 'admin',
    op: 'availability/search',
    input: spring,
    target: TARGET_MS,
  },
  {
    name: 'free next week, one location, 2+ bedrooms',
    caller: 'admin',
    op: 'availability/search',
    input: { ...nextWeek, locationId: location, minBedrooms: 2 },
    target: TARGET_MS,
  },
  {
    name: 'free next week, agent scope',
    caller: 'agent',
    op: 'availability/search',
    input: nextWeek,
    target: TARGET_MS,
  },
  { name: 'calendar month, all properties and stays', caller: 'admin', op: 'availability/calendar', input: month },
  { name: 'search everything for "silva"', caller: 'admin', op: 'search/everything', input: { query: 'silva' } },
  { name: 'search everything for "silva", agent', caller: 'agent', op: 'search/everything', input: { query: 'silva' } },
];

console.log(`\nRoomy availability benchmark — ${file} (today ${today})\n${RUNS} runs each; times in ms\n`);
console.log('case'.padEnd(46), 'router med', '  p95', '   raw med', '  p95', '  ratio', '  target');
for (const c of cases) {
  const { routed: r, direct: d, answers } = await bench.measure([[c.caller, c.op, c.input]], RUNS, WARM_UP);
  const answer = answers[0];
  const verdict = c.target === undefined ? '' : r.p95 <= c.target ? `≤ ${c.target} ok` : `> ${c.target} MISSED`;
  console.log(
    c.name.padEnd(46),
    r.median.toFixed(2).padStart(10),
    r.p95.toFixed(2).padStart(6),
    d.median.toFixed(2).padStart(10),
    d.p95.toFixed(2).padStart(6),
    `${(r.median / d.median).toFixed(2)}x`.padStart(7),
    verdict.padStart(14),
    `  (${describe(c.op, answer)})`,
  );
}
bench.close();

/** What a call found, so a fast answer is seen not to be an empty one. */
function describe(op: OperationName, answer: unknown): string {
  const value = answer as Record<string, unknown[] | null>;
  if (op === 'availability/search') return `${value.items!.length} free`;
  if (op === 'availability/calendar') {
    const rows = value.properties as { stays: unknown[] }[];
    return `${rows.length} properties, ${rows.reduce((n, p) => n + p.stays.length, 0)} stays`;
  }
  return Object.entries(value)
    .map(([kind, hits]) => `${hits?.length ?? '-'} ${kind}`)
    .join(', ');
}
