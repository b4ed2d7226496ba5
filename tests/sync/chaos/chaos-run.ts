// One chaos run: a real sync server process on a real Postgres, three desktop processes (an
// admin, a manager and an agent), each behind a network link the run cuts and heals, and a
// seeded stream of office work interleaved with cuts, kill -9 of desktops and SIGKILL of the
// server. Then everything comes back and settles, and each device must hold exactly what its
// user reads from the server (checks.ts). The run logs everything under
// test-results/chaos/seed-<seed>/ (report.ts). No vitest here: the test and the soak share it.
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CentralDatabase } from '../../../db/central-database.js';
import { PASSWORD } from '../../sync-server/sync-client.js';
import { startServerProcess, type ServerProcess } from '../server-process.js';
import { compareTable, exactlyOnce, serverView, TABLES, type ChaosFailure, type RowDiff } from './checks.js';
import { CallThrew, DesktopGone, DesktopProcess } from './desktop-client.js';
import { NetworkLink } from './network-link.js';
import { makePeople, setUpOffice, type DeviceName } from './office-setup.js';
import { attemptFor, OPERATION_WEIGHTS, type OperationKind, type People, type Person } from './operations.js';
import { Random } from './prng.js';
import { codeDigest, outboxHint, writeReport, type ChaosReport } from './report.js';

export type { ChaosReport } from './report.js';
export { describeReport } from './report.js';

const root = resolve(import.meta.dirname, '../../..');
export const CHAOS_OUTPUT = join(root, 'test-results', 'chaos');

export interface ChaosOptions {
  seed: number;
  /** A fresh, migrated central database on a real Postgres (the server process needs its URL). */
  central: CentralDatabase & { url: string | null };
  /** Office operations and network or crash events, in all (at most). */
  steps?: number;
  /** How long the chaos may last: on a busy machine the steps stop here (the log says after how many). */
  chaosMs?: number;
  /** How long the office may take to settle once the chaos stops. */
  settleMs?: number;
  /** Operation kinds left out (to tell one failure from another). */
  without?: OperationKind[];
  outDir?: string;
  progress?: (line: string) => void;
  /** Aborted: the server and desktop processes are killed at once (a soak stopped with Ctrl+C). */
  signal?: AbortSignal;
}

interface Device {
  name: DeviceName;
  person: Person;
  desktop: DesktopProcess;
  link: NetworkLink;
  signedIn: boolean;
  restarting: Promise<void> | null;
  /** The step at which a killed desktop starts again. */
  restartAt: number | null;
  killPending: boolean;
}

const CHAOS_WEIGHTS = { cut: 4, heal: 5, flap: 4, snipe: 4, slow: 2, killDesktop: 0.8, killServer: 0.6 };
type ChaosEvent = keyof typeof CHAOS_WEIGHTS;
const DEFAULT_STEPS = 700;
const DEFAULT_CHAOS_MS = 40_000;
const DEFAULT_SETTLE_MS = 60_000;
const SETUP_SETTLE_MS = 45_000;
/** Once settled, how long rows may take to agree before a difference counts. */
const AGREE_MS = 20_000;
const CREATES: Record<string, string> = {
  'reservations/create': 'reservations',
  'tasks/create': 'tasks',
  'ledger/record': 'ledger_entries',
  'ledger/reverse': 'ledger_entries',
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  return new ChaosRun(options).run();
}

class ChaosRun {
  readonly #rnd: Random;
  readonly #weights: Record<OperationKind, number>;
  readonly #started = Date.now();
  readonly #dir: string;
  readonly #failures: ChaosFailure[] = [];
  readonly #notes: string[] = [];
  readonly #counts: Record<string, number> = {
    steps: 0,
    operations: 0,
    applied: 0,
    refusedByDesktop: 0,
    interrupted: 0,
    nothingToDo: 0,
    cuts: 0,
    desktopKills: 0,
    serverKills: 0,
    signIns: 0,
    callsThrew: 0,
    conflicts: 0,
  };
  readonly #statuses: Record<string, unknown> = {};
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #devices: Device[] = [];
  /** Ids made anywhere in the run, by table. */
  readonly #known = new Map<string, string[]>();
  #people: (People & Record<DeviceName, Person>) | null = null;
  #server: ServerProcess | null = null;
  #serverRestarting: Promise<void> | null = null;
  #serverRestartAt: number | null = null;

  constructor(private readonly options: ChaosOptions) {
    this.#rnd = new Random(options.seed);
    this.#weights = { ...OPERATION_WEIGHTS };
    for (const kind of options.without ?? []) this.#weights[kind] = 0;
    this.#dir = join(options.outDir ?? CHAOS_OUTPUT, `seed-${options.seed}`);
    rmSync(this.#dir, { recursive: true, force: true });
    mkdirSync(join(this.#dir, 'desktops'), { recursive: true });
    options.signal?.addEventListener('abort', this.#abort);
  }

  readonly #abort = (): void => {
    for (const d of this.#devices) void d.desktop.kill();
    void this.#server?.kill('SIGKILL');
  };

  async run(): Promise<ChaosReport> {
    const code = codeDigest();
    try {
      await this.#setUp();
      await this.#chaos();
      await this.#quiesce();
      await this.#check();
    } catch (error) {
      this.#harness(error);
    } finally {
      await this.#tearDown();
    }
    const report: ChaosReport = {
      seed: this.options.seed,
      code,
      steps: this.options.steps ?? DEFAULT_STEPS,
      chaosMs: this.options.chaosMs ?? DEFAULT_CHAOS_MS,
      without: this.options.without ?? [],
      ok: this.#failures.length === 0,
      durationMs: Date.now() - this.#started,
      failures: this.#failures,
      mismatchedRows: this.#failures.reduce((n, f) => n + (f.rows?.length ?? 0), 0),
      notes: this.#notes,
      counts: this.#counts,
      statuses: this.#statuses,
      dir: this.#dir,
    };
    await writeReport(report, this.options.central);
    // The devices' databases are kept only when they have something to show.
    if (report.ok) rmSync(join(this.#dir, 'desktops'), { recursive: true, force: true });
    return report;
  }

  // ---- the phases ----

  async #setUp(): Promise<void> {
    const { central } = this.options;
    if (!central.url) throw new Error('A chaos run kills the server process: it needs a real Postgres, not PGlite.');
    const people = (this.#people = await makePeople(central));
    this.#log(`people: ${JSON.stringify(people)}`);
    const server = (this.#server = await startServerProcess(central.url));
    this.#log(`server: ${server.url}`);
    for (const name of ['admin', 'manager', 'agent'] as const) {
      const link = await NetworkLink.open(name, Number(new URL(server.url).port), (how) => {
        this.#counts.cuts!++;
        this.#log(`net     ${name}: ${how}`);
      });
      const dataDir = join(this.#dir, 'desktops', name);
      mkdirSync(dataDir, { recursive: true });
      const desktop = new DesktopProcess(name, dataDir, link.url, join(this.#dir, `${name}.log`));
      this.#devices.push({
        name,
        person: people[name],
        desktop,
        link,
        signedIn: false,
        restarting: null,
        restartAt: null,
        killPending: false,
      });
    }
    this.#progress('setting up the office');
    await Promise.all(this.#devices.map((d) => d.desktop.start()));
    for (const d of this.#devices) {
      if (!(await this.#signIn(d, 'first sign-in'))) throw new Error(`${d.name} could not sign in`);
    }
    for (const when of ['after the first sign-ins', 'after setting up'] as const) {
      if (when === 'after setting up') {
        await setUpOffice(this.#devices[0]!.desktop, people, (t, id) => this.#remember(t, id), this.#log);
      }
      const unsettled = await this.#settle(SETUP_SETTLE_MS, false);
      if (!unsettled) continue;
      for (const [name, diagnosis] of Object.entries(unsettled)) {
        const message = `${name} did not become idle within ${SETUP_SETTLE_MS / 1000} s ${when}, before any chaos.`;
        this.#failures.push({ kind: 'never settled', device: name, message, details: diagnosis });
      }
      throw new Error(`the office did not settle ${when}`);
    }
  }

  async #chaos(): Promise<void> {
    const steps = this.options.steps ?? DEFAULT_STEPS;
    this.#progress(`up to ${steps} steps of office work and chaos`);
    const ends = Date.now() + (this.options.chaosMs ?? DEFAULT_CHAOS_MS);
    for (let step = 1; step <= steps; step++) {
      if (Date.now() > ends) return this.#log(`== the chaos ends at its time limit, after ${step - 1} steps`);
      if (this.options.signal?.aborted) throw new Error('The run was stopped.');
      this.#counts.steps = step;
      const tag = `#${String(step).padStart(3, '0')}`;
      this.#restartsDue(step, tag);
      if (step % 5 === 0) await this.#signInsAsked();
      const d = this.#rnd.pick(this.#devices)!;
      if (this.#rnd.chance(0.8)) await this.#operate(d, tag);
      else await this.#disturb(this.#rnd.weighted(CHAOS_WEIGHTS), d, step, tag);
      await sleep(this.#rnd.int(0, 100));
    }
  }

  /** Everything comes back: networks heal, the server and every desktop run, and they settle. */
  async #quiesce(): Promise<void> {
    this.#progress('quiescence: the networks heal, the server and every desktop come back');
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const d of this.#devices) {
      d.link.heal();
      d.link.setDelay(0);
    }
    await this.#serverRestarting;
    if (!this.#server!.alive()) {
      this.#log('server  restarts for quiescence');
      await this.#server!.restart();
    }
    await Promise.all(this.#devices.map((d) => d.restarting));
    for (const d of this.#devices) {
      if (d.killPending) await sleep(300);
      if (!d.desktop.alive) {
        this.#log(`${d.name.padEnd(7)} restarts for quiescence`);
        await d.desktop.start();
        await this.#signIn(d, 'after a restart');
      }
    }
    const settleMs = this.options.settleMs ?? DEFAULT_SETTLE_MS;
    for (const [name, diagnosis] of Object.entries((await this.#settle(settleMs, true)) ?? {})) {
      this.#failures.push({
        kind: 'never settled',
        device: name,
        message: `${name} did not become idle within ${settleMs / 1000} s of quiescence.${outboxHint(diagnosis)}`,
        details: diagnosis,
      });
    }
  }

  /** The promise, device by device: rows, uploads, conflicts, exactly once. */
  async #check(): Promise<void> {
    this.#progress('comparing every device with the server');
    const views = new Map(
      await Promise.all(
        this.#devices.map(async (d) => [d.name, await serverView(this.#server!.url, d.person)] as const),
      ),
    );
    const agreeBy = Date.now() + AGREE_MS;
    let differences: Map<DeviceName, RowDiff[]>;
    for (;;) {
      differences = new Map();
      for (const d of this.#devices) {
        const view = views.get(d.name)!;
        const diffs: RowDiff[] = [];
        for (const table of TABLES) diffs.push(...compareTable(table, await d.desktop.rows(table), await view(table)));
        if (diffs.length > 0) differences.set(d.name, diffs);
      }
      // A device may still be taking in the last changes of another: differences must last to count.
      if (differences.size === 0 || Date.now() > agreeBy) break;
      await sleep(1_000);
    }
    for (const [name, rows] of differences) {
      const tables = [...new Set(rows.map((r) => r.table))].join(', ');
      this.#failures.push({
        kind: 'rows differ',
        device: name,
        message: `${name} holds ${rows.length} rows unlike the server's (${tables}), still ${AGREE_MS / 1000} s after settling.`,
        rows,
      });
    }
    for (const d of this.#devices) {
      const status = await d.desktop.status();
      const audit = await d.desktop.audit();
      const conflicts = await d.desktop.conflictLog();
      this.#counts.conflicts! += conflicts.length;
      const state = { ...((await d.desktop.diagnosis()) as object), audit, conflicts: conflicts.length };
      this.#statuses[d.name] = state;
      if (status.waiting > 0) {
        this.#failures.push({
          kind: 'waiting to upload',
          device: d.name,
          message: `${d.name} still has ${status.waiting} changes waiting to upload after settling.${outboxHint(state)}`,
          details: state,
        });
      }
      const once = await exactlyOnce(this.options.central, d.name, audit, conflicts);
      this.#notes.push(...once.notes);
      for (const failure of once.failures) {
        // Audit rows still waiting are missing on the server for that reason alone.
        if (status.waiting > 0 && failure.kind === 'audit chain differs') {
          this.#notes.push(`${d.name}: audit chains not compared, ${status.waiting} changes still wait to upload`);
        } else this.#failures.push(failure);
      }
      if (audit.others > 0 && (await views.get(d.name)!('audit_log')) === null) {
        this.#failures.push({
          kind: 'rows differ',
          device: d.name,
          message: `${d.name} holds ${audit.others} audit rows of other devices, which its user may not read.`,
        });
      }
      for (const crash of d.desktop.crashes) {
        this.#failures.push({ kind: 'desktop crashed', device: d.name, message: crash });
      }
    }
  }

  async #tearDown(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.#abort);
    for (const timer of this.#timers) clearTimeout(timer);
    for (const d of this.#devices) {
      if (!this.#statuses[d.name] && d.desktop.alive) {
        this.#statuses[d.name] = await d.desktop.diagnosis().catch((e: unknown) => String(e));
      }
    }
    await Promise.all(this.#devices.map((d) => d.desktop.stop().catch(() => {})));
    await Promise.all(this.#devices.map((d) => d.link.close()));
    await this.#server?.dispose().catch(() => {});
  }

  // ---- a step ----

  /** One operation on one desktop, as its user would make it there. */
  async #operate(d: Device, tag: string): Promise<void> {
    const kind = this.#rnd.weighted(this.#weights);
    const who = `${tag} ${d.name.padEnd(7)}`;
    if (!this.#usable(d)) return this.#log(`${who} ${kind}: the desktop is down`);
    this.#counts.operations!++;
    try {
      const attempt = await attemptFor(kind, {
        rnd: this.#rnd,
        people: this.#people!,
        desktop: d.desktop,
        known: this.#known,
      });
      if (!attempt) {
        this.#counts.nothingToDo!++;
        return this.#log(`${who} ${kind}: nothing to do it on`);
      }
      const result = await d.desktop.call<{ id?: string }>(attempt.name, attempt.input);
      const what = `${who} ${attempt.name} ${JSON.stringify(attempt.input)}`;
      if (result.ok) {
        this.#counts.applied!++;
        const table = CREATES[attempt.name];
        if (table) this.#remember(table, result.value?.id);
        this.#log(`${what} → ok${result.value?.id ? ` ${result.value.id}` : ''}`);
      } else {
        this.#counts.refusedByDesktop!++;
        this.#log(`${what} → refused ${result.error.code}: ${result.error.message}`);
      }
    } catch (error) {
      if (error instanceof CallThrew) return this.#threw(d, error);
      if (!(error instanceof DesktopGone)) throw error;
      this.#counts.interrupted!++;
      this.#log(`${who} ${kind}: interrupted (${error.message})`);
    }
  }

  /** One event of the network, a desktop or the server. Its numbers are drawn whether it happens or not. */
  async #disturb(event: ChaosEvent, d: Device, step: number, tag: string): Promise<void> {
    const net = `${tag} net     ${d.name}:`;
    const healLater = (ms: number) =>
      this.#later(ms, () => {
        d.link.heal();
        this.#log(`net     ${d.name}: healed after ${ms} ms`);
      });
    switch (event) {
      case 'cut':
        if (!d.link.up) return;
        d.link.cut();
        this.#counts.cuts!++;
        return this.#log(`${net} cut`);
      case 'heal':
        if (d.link.up) return;
        d.link.heal();
        return this.#log(`${net} healed`);
      case 'flap': {
        const ms = this.#rnd.int(50, 1500);
        if (!d.link.up) return;
        d.link.cut();
        this.#counts.cuts!++;
        this.#log(`${net} cut for ${ms} ms`);
        return healLater(ms);
      }
      case 'snipe': {
        // A cut that falls mid-transfer, whatever is crossing then.
        const bytes = this.#rnd.int(1, 6000);
        const ms = this.#rnd.int(100, 1500);
        if (!d.link.up) return;
        d.link.armCut(bytes);
        this.#log(`${net} a cut armed after ${bytes} bytes, healing ${ms} ms after it falls`);
        const watch = (): void => this.#later(50, () => (d.link.up ? watch() : healLater(ms)));
        return watch();
      }
      case 'slow': {
        const ms = this.#rnd.pick([0, 0, 20, 80, 250])!;
        d.link.setDelay(ms);
        return this.#log(`${net} delay ${ms} ms per chunk`);
      }
      case 'killDesktop': {
        const ms = this.#rnd.int(0, 250);
        const after = this.#rnd.int(2, 10);
        if (!d.desktop.alive || d.restarting || d.killPending) return;
        d.killPending = true;
        d.restartAt = step + after;
        this.#log(`${tag} ${d.name.padEnd(7)} kill -9 in ${ms} ms, restart at step ${step + after}`);
        return this.#later(ms, () => {
          void d.desktop.kill().then(() => {
            this.#counts.desktopKills!++;
            d.signedIn = false;
            d.killPending = false;
            this.#log(`${d.name.padEnd(7)} killed -9`);
          });
        });
      }
      case 'killServer': {
        const after = this.#rnd.int(1, 6);
        if (!this.#serverUp()) return;
        await this.#server!.kill('SIGKILL');
        this.#counts.serverKills!++;
        this.#serverRestartAt = step + after;
        return this.#log(`${tag} server  SIGKILL, restart at step ${step + after}`);
      }
    }
  }

  /** Killed desktops and the killed server start again when their step comes, in the background. */
  #restartsDue(step: number, tag: string): void {
    for (const d of this.#devices) {
      if (d.restartAt === null || d.restartAt > step || d.desktop.alive || d.killPending || d.restarting) continue;
      d.restartAt = null;
      this.#log(`${tag} ${d.name.padEnd(7)} restarts on the same data folder`);
      d.restarting = (async () => {
        await d.desktop.start();
        await this.#signIn(d, 'after a restart');
      })()
        .catch((error: unknown) => this.#harness(error))
        .finally(() => (d.restarting = null));
    }
    const server = this.#server!;
    if (this.#serverRestartAt === null || this.#serverRestartAt > step || server.alive() || this.#serverRestarting)
      return;
    this.#serverRestartAt = null;
    this.#log(`${tag} server  restarts`);
    this.#serverRestarting = server
      .restart()
      .then(() => this.#log(`${tag} server  is back`))
      .catch((error: unknown) => this.#harness(error))
      .finally(() => (this.#serverRestarting = null));
  }

  /** As a user would when the status bar says "Sign in again to sync", or the window was signed out. */
  async #signInsAsked(): Promise<void> {
    if (!this.#serverUp()) return;
    for (const d of this.#devices) {
      if (!d.desktop.alive || d.restarting || d.killPending || !d.link.up) continue;
      try {
        if (!d.signedIn) await this.#signIn(d, 'signed out');
        else if ((await d.desktop.status()).state === 'needs-sign-in') await this.#signIn(d, 'the desktop asked');
      } catch (error) {
        if (!(error instanceof DesktopGone)) throw error;
      }
    }
  }

  // ---- helpers ----

  async #signIn(d: Device, why: string): Promise<boolean> {
    this.#counts.signIns!++;
    let result;
    try {
      result = await d.desktop.call('auth/sign-in', { email: d.person.email, password: PASSWORD });
    } catch (error) {
      if (!(error instanceof CallThrew)) throw error;
      // The window was signed out on the way: it signs in again later.
      d.signedIn = false;
      this.#threw(d, error);
      return false;
    }
    d.signedIn = result.ok;
    const outcome = result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`;
    this.#log(`${d.name.padEnd(7)} signs in (${why}) → ${outcome}`);
    return result.ok;
  }

  /**
   * Waits until every device is idle at once, signing in again (as its user would) any that asks.
   * Null when they are; else each unsettled device's status, outbox and stream positions.
   */
  async #settle(ms: number, signInAgain: boolean): Promise<Record<string, unknown> | null> {
    const deadline = Date.now() + ms;
    const asked = new Map<string, number>();
    for (;;) {
      const statuses = await Promise.all(this.#devices.map((d) => d.desktop.status()));
      if (statuses.every((s) => s.idle)) return null;
      for (const [i, status] of statuses.entries()) {
        const d = this.#devices[i]!;
        if (!signInAgain || !['needs-sign-in', 'stopped', 'signed-out'].includes(status.state)) continue;
        const times = (asked.get(d.name) ?? 0) + 1;
        asked.set(d.name, times);
        if (times <= 3) await this.#signIn(d, 'the desktop asked');
      }
      if (Date.now() > deadline) {
        const out: Record<string, unknown> = {};
        for (const [i, status] of statuses.entries()) {
          if (status.idle) continue;
          const d = this.#devices[i]!;
          out[d.name] = await d.desktop.diagnosis();
          this.#log(`${d.name.padEnd(7)} never settled: ${JSON.stringify(out[d.name])}`);
        }
        return out;
      }
      await sleep(250);
    }
  }

  /** A call that threw instead of answering: reported once per operation, and the run goes on. */
  #threw(d: Device, error: CallThrew): void {
    this.#counts.callsThrew!++;
    this.#log(`${d.name.padEnd(7)} the call threw: ${error.message}`);
    const message = `${error.operation} threw instead of answering: ${error.reason.replace(`${d.name}: `, '')}`;
    if (!this.#failures.some((f) => f.kind === 'call threw' && f.message === message))
      this.#failures.push({ kind: 'call threw', device: d.name, message, details: error.message });
  }

  #harness(error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.#log(`harness failure: ${message}`);
    this.#failures.push({ kind: 'harness', message });
  }

  #serverUp(): boolean {
    return this.#server !== null && this.#server.alive() && this.#serverRestarting === null;
  }

  #usable(d: Device): boolean {
    return d.desktop.alive && d.signedIn && d.restarting === null && !d.killPending;
  }

  #remember(table: string, id: unknown): void {
    if (typeof id === 'string') this.#known.set(table, [...(this.#known.get(table) ?? []), id]);
  }

  #later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      work();
    }, ms);
    this.#timers.add(timer);
  }

  readonly #log = (line: string): void => {
    const at = `${((Date.now() - this.#started) / 1000).toFixed(3).padStart(8)}s`;
    appendFileSync(join(this.#dir, 'ops.log'), `${at} ${line}\n`);
  };

  #progress(line: string): void {
    this.#log(`== ${line}`);
    this.options.progress?.(`seed ${this.options.seed}: ${line}`);
  }
}
