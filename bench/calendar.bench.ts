// Benchmark of the booking calendar on the scale dataset (1,000 properties, 100,000 stays), in
// Chromium through the browser host, as a person opens it: from another screen, with nothing
// cached (the page is reloaded before each run), click Calendar. The screen measures, with
// performance marks, the time from its opening to the frame that first shows rows of the month
// ('roomy:calendar-first-rows'). The baseline is the calendar's own data fetched raw from the same
// page (the call, the transfer and the JSON, nothing drawn): the ratio is what drawing adds. Then
// the grid is scrolled from top to bottom and the frame times are printed.
//   npx tsx bench/calendar.bench.ts [--data-dir DIR --email EMAIL] [--runs N] [--no-build]
// With --data-dir, ROOMY_ADMIN_PASSWORD is the password of EMAIL (an administrator); without it a
// scale dataset is generated into a temporary folder first (about a minute and 400 MB).
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localDatabaseFile } from '../main/app-paths.js';
import { createSampleDatabase } from '../scripts/sample-data.js';
import { startBrowserHost } from '../tests/harness/browser-host.js';

const TARGET_MS = 300;
const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    email: { type: 'string', default: 'bench-calendar@example.com' },
    runs: { type: 'string', default: '15' },
    'no-build': { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);

let dataDir = args['data-dir'];
let password = process.env.ROOMY_ADMIN_PASSWORD ?? '';
let madeDir: string | null = null;
if (!dataDir) {
  madeDir = dataDir = mkdtempSync(join(tmpdir(), 'roomy-bench-calendar-'));
  password = 'bench-harbour-tram-58';
  console.log(`Generating the scale dataset into ${dataDir} …`);
  await createSampleDatabase({
    file: localDatabaseFile(dataDir),
    size: 'scale',
    seed: 'roomy',
    today: new Date().toISOString().slice(0, 10),
    admin: { email: args.email, firstName: 'Bench', lastName: 'Admin', password },
  });
} else if (!password) {
  throw new Error('Set ROOMY_ADMIN_PASSWORD to the password of --email in --data-dir.');
}

const host = await startBrowserHost({ dataDir, build: !args['no-build'], startTimeoutMs: 120_000 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  await page.goto(host.url);
  await page.getByRole('textbox', { name: /^Email/ }).fill(args.email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();

  const firstRows: number[] = [];
  const fromClick: number[] = [];
  const dataOnly: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs + 2; i++) {
    const run = await openCalendarCold(page);
    const raw = await fetchCalendarRaw(page);
    rows = run.rows;
    // The first two runs warm the host's and the browser's caches of code, not of data.
    if (i < 2) continue;
    firstRows.push(run.firstRows);
    fromClick.push(run.fromClick);
    dataOnly.push(raw);
  }
  const scrolled = await scrollThrough(page);
  const frames = stats(scrolled.intervals);
  const scroll = {
    ...frames,
    frames: scrolled.intervals.length,
    longest: Math.max(...scrolled.intervals),
    inPage: scrolled.inPage,
  };

  const first = stats(firstRows);
  const click = stats(fromClick);
  const data = stats(dataOnly);
  console.log(`\nRoomy calendar benchmark — ${localDatabaseFile(dataDir)}\n${runs} runs, 1440×900; times in ms\n`);
  console.log('measure'.padEnd(54), '   med', '   p95');
  const line = (name: string, s: { median: number; p95: number }) =>
    console.log(name.padEnd(54), s.median.toFixed(0).padStart(6), s.p95.toFixed(0).padStart(6));
  line('calendar opened → first rows painted (first paint)', first);
  line('click on Calendar → first rows painted', click);
  line('raw baseline: the same data fetched and parsed', data);
  console.log(`\nratio first paint / raw data: ${(first.median / data.median).toFixed(2)}x`);
  console.log(
    `first paint target ≤ ${TARGET_MS} ms: ${first.median <= TARGET_MS ? 'met' : 'MISSED'} (median ${first.median.toFixed(0)} ms)`,
  );
  console.log(`rows in the grid: ${rows} (in the page at once: ${scroll.inPage})`);
  console.log(
    `scrolling all ${rows} rows: ${scroll.frames} frames, median ${scroll.median.toFixed(1)} ms, ` +
      `p95 ${scroll.p95.toFixed(1)} ms, longest ${scroll.longest.toFixed(1)} ms`,
  );
} finally {
  await browser.close();
  await host.stop();
  if (madeDir) rmSync(madeDir, { recursive: true, force: true });
}

/** From another screen with an empty cache, to the calendar: the screen's own measure and the time from the click. */
async function openCalendarCold(page: Page): Promise<{ firstRows: number; fromClick: number; rows: number }> {
  await page.evaluate(() => (window.location.hash = '#/account'));
  await page.reload();
  const link = page.getByRole('link', { name: 'Calendar' });
  await link.waitFor();
  await page.evaluate(() => performance.clearMeasures());
  const clickedAt = await page.evaluate(() => performance.now());
  await link.click();
  const measure = await page.waitForFunction(() => {
    const entry = performance.getEntriesByName('roomy:calendar-first-rows')[0];
    return entry ? { duration: entry.duration, end: entry.startTime + entry.duration } : null;
  });
  const { duration, end } = (await measure.jsonValue())!;
  const rows = Number(await page.getByRole('grid').getAttribute('aria-rowcount')) - 1;
  return { firstRows: duration, fromClick: end - clickedAt, rows };
}

/** The calendar's data for the same month, fetched from the page with its own session: no drawing. */
async function fetchCalendarRaw(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const now = new Date();
    const from = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-01`;
    const next = new Date(Date.UTC(now.getFullYear(), now.getMonth() + 1, 1)).toISOString().slice(0, 10);
    const started = performance.now();
    const response = await fetch('/api/call', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sessionStorage.getItem('roomy.token')}`,
        'X-Roomy-Connection': sessionStorage.getItem('roomy.connection') ?? '',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ name: 'availability/calendar', input: { from, to: next } }),
    });
    const result = (await response.json()) as { ok: boolean };
    if (!result.ok) throw new Error('availability/calendar failed');
    return performance.now() - started;
  });
}

/**
 * Scrolls the grid from top to bottom a screenful per frame: the time between frames, and the most
 * rows the page held at once. (No named functions inside: the page cannot see tsx's helpers.)
 */
async function scrollThrough(page: Page): Promise<{ intervals: number[]; inPage: number }> {
  return page.evaluate(async () => {
    const grid = document.querySelector<HTMLElement>('[role="grid"]')!;
    const intervals: number[] = [];
    let inPage = 0;
    let last = performance.now();
    while (grid.scrollTop + grid.clientHeight < grid.scrollHeight - 1) {
      grid.scrollTop += grid.clientHeight;
      await new Promise((done) => requestAnimationFrame(done));
      const now = performance.now();
      intervals.push(now - last);
      last = now;
      inPage = Math.max(inPage, grid.querySelectorAll('[role="row"]').length - 1);
    }
    return { intervals, inPage };
  });
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}
