// `npm run soak:sync -- --runs N [--seed S] [--keep-going] [--steps K] [--chaos-ms T] [--without kind,...]`: chaos
// runs of the sync (tests/sync/chaos) on consecutive seeds, one at a time, each on a fresh central
// database. Stops at the first failure unless --keep-going; each run's log and report are in
// test-results/chaos/. --without leaves operation kinds out, to tell one failure from another.
import { parseArgs } from 'node:util';
import { runChaos, describeReport, type ChaosReport } from '../tests/sync/chaos/chaos-run.js';
import { postgresForRuns } from '../tests/sync/chaos/central.js';
import { OPERATION_WEIGHTS, type OperationKind } from '../tests/sync/chaos/operations.js';
import { randomSeed } from '../tests/sync/chaos/prng.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    seed: { type: 'string' },
    steps: { type: 'string' },
    'chaos-ms': { type: 'string' },
    'keep-going': { type: 'boolean', default: false },
    without: { type: 'string' },
  },
});
const whole = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    console.error(`--${name}: must be a whole number, not ${text}`);
    process.exit(2);
  }
  return Number(text);
};
const runs = whole('runs', values.runs)!;
const firstSeed = whole('seed', values.seed) ?? randomSeed();
const steps = whole('steps', values.steps);
const chaosMs = whole('chaos-ms', values['chaos-ms']);
const without = (values.without?.split(',').filter(Boolean) ?? []) as OperationKind[];
for (const kind of without) {
  if (!(kind in OPERATION_WEIGHTS)) {
    console.error(`--without: ${kind} is not an operation; they are ${Object.keys(OPERATION_WEIGHTS).join(', ')}`);
    process.exit(2);
  }
}

const postgres = await postgresForRuns();
// Stopped (Ctrl+C, or a timeout's SIGTERM): the run's processes are killed, the cluster removed.
const stopping = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping (the current run is lost).`);
    stopping.abort();
    setTimeout(() => {
      postgres.stop();
      process.exit(130);
    }, 500);
  });
}
const started = Date.now();
const reports: ChaosReport[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const seed = firstSeed + i;
    const central = await postgres.fresh();
    let report: ChaosReport;
    try {
      report = await runChaos({
        seed,
        central,
        without,
        signal: stopping.signal,
        ...(steps ? { steps } : {}),
        ...(chaosMs ? { chaosMs } : {}),
      });
    } finally {
      await central.dispose();
    }
    reports.push(report);
    const time = `${(report.durationMs / 1000).toFixed(1)} s`;
    if (report.ok) {
      console.log(`seed ${seed}: passed in ${time} ${JSON.stringify(report.counts)}`);
      continue;
    }
    console.log(
      `seed ${seed}: FAILED in ${time}: ${report.failures.length} failures, ${report.mismatchedRows} rows differ (${report.dir})`,
    );
    console.log(indent(describeReport(report).split('\n').slice(0, 60).join('\n')));
    if (!values['keep-going']) break;
  }
} finally {
  postgres.stop();
}

const failed = reports.filter((r) => !r.ok);
console.log(
  `\n${reports.length} runs, ${failed.length} failed, ${reports.reduce((n, r) => n + r.mismatchedRows, 0)} rows differed, ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s in all.`,
);
for (const report of failed) {
  const kinds = [...new Set(report.failures.map((f) => `${f.kind}${f.device ? ` (${f.device})` : ''}`))];
  console.log(`  seed ${report.seed}: ${kinds.join('; ')}`);
}
process.exit(failed.length > 0 ? 1 : 0);

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
