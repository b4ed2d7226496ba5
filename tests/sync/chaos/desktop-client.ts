// The run's side of a desktop process (desktop-process.ts): starts it, asks it things, kills it
// with SIGKILL and starts it again on the same data folder. Its stderr (the engine's log) is kept
// in a file beside the run's report.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { SyncedTableName } from '../../../main/core/synced-tables.js';
import type { Result } from '../../../main/core/errors.js';
import type { OperationName } from '../../../main/operations/index.js';
import type { SyncConflict, SyncStatus } from '../../../main/sync/sync-engine.js';
import type { ColumnValues } from '../../../main/sync/replica.js';
import type { DesktopRequest } from './desktop-process.js';

const root = resolve(import.meta.dirname, '../../..');
const REQUEST_TIMEOUT_MS = 60_000;

export type DeviceStatus = (SyncStatus & { idle: boolean }) | { state: 'signed-out'; idle: false; waiting: number };
export interface ConflictRecord {
  changeset_id: string;
  code: string;
  message: string;
  resolved_at: string | null;
  resolution: string | null;
}
export interface AuditCount {
  deviceId: string;
  count: number;
  maxSeq: number | null;
  others: number;
}

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class DesktopProcess {
  #child: ChildProcess | null = null;
  #next = 0;
  readonly #waiting = new Map<number, Waiting>();
  #killing = false;
  /** Exits nobody asked for (a crash of the desktop itself). */
  readonly crashes: string[] = [];

  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly serverUrl: string,
    readonly logFile: string,
  ) {}

  get alive(): boolean {
    return this.#child !== null;
  }

  async start(): Promise<void> {
    if (this.#child) throw new Error(`${this.name} is already running`);
    appendFileSync(this.logFile, `${JSON.stringify({ at: new Date().toISOString(), harness: 'started' })}\n`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'tests/sync/chaos/desktop-process.ts'), this.dataDir, this.serverUrl],
      { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.#child = child;
    this.#killing = false;
    child.stderr!.on('data', (chunk: Buffer) => appendFileSync(this.logFile, chunk));
    // Writing to a desktop that has just died: its exit rejects what waits, the pipe's error says no more.
    child.stdin!.on('error', () => {});
    const ready = new Promise<void>((done, fail) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (text) => {
        let line: { id?: number; ready?: boolean; ok?: boolean; value?: unknown; error?: string };
        try {
          line = JSON.parse(text) as typeof line;
        } catch {
          appendFileSync(this.logFile, `stdout: ${text}\n`);
          return;
        }
        if (line.ready) return done();
        const waiting = line.id === undefined ? undefined : this.#waiting.get(line.id);
        if (!waiting) return;
        this.#waiting.delete(line.id!);
        clearTimeout(waiting.timer);
        if (line.ok) waiting.resolve(line.value);
        else waiting.reject(new Error(`${this.name}: ${line.error}`));
      });
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = null;
        const how = `exit ${code ?? signal}`;
        if (!this.#killing) this.crashes.push(`${this.name} exited by itself (${how})`);
        for (const [id, waiting] of this.#waiting) {
          clearTimeout(waiting.timer);
          waiting.reject(new DesktopGone(`${this.name} is gone (${how})`));
          this.#waiting.delete(id);
        }
        fail(new DesktopGone(`${this.name} exited before it was ready (${how})`));
      });
    });
    await ready;
  }

  /** kill -9, as a crash or a power cut would stop it; resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#killing = true;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
    appendFileSync(this.logFile, `${JSON.stringify({ at: new Date().toISOString(), harness: 'killed -9' })}\n`);
  }

  /** A polite end: closing stdin makes it close its databases and exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#killing = true;
    const exited = new Promise((done) => child.once('exit', done));
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  request<T>(request: DesktopRequest): Promise<T> {
    const child = this.#child;
    if (!child) return Promise.reject(new DesktopGone(`${this.name} is not running`));
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`${this.name} did not answer ${JSON.stringify(request)} within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      const fail = (error: Error) => {
        if (error instanceof DesktopGone) return reject(error);
        const message = `${error.message} (answering ${describe(request)})`;
        reject(request.cmd === 'call' ? new CallThrew(request.name, error.message, message) : new Error(message));
      };
      this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject: fail, timer });
      child.stdin!.write(`${JSON.stringify({ id, ...request })}\n`);
    });
  }

  call<T = unknown>(name: OperationName, input?: unknown): Promise<Result<T>> {
    return this.request<Result<T>>({ cmd: 'call', name, input });
  }

  rows(table: SyncedTableName): Promise<ColumnValues[]> {
    return this.request({ cmd: 'rows', table });
  }

  status(): Promise<DeviceStatus> {
    return this.request({ cmd: 'status' });
  }

  conflicts(): Promise<SyncConflict[]> {
    return this.request({ cmd: 'conflicts' });
  }

  conflictLog(): Promise<ConflictRecord[]> {
    return this.request({ cmd: 'conflictLog' });
  }

  audit(): Promise<AuditCount> {
    return this.request({ cmd: 'audit' });
  }

  diagnosis(): Promise<unknown> {
    return this.request({ cmd: 'diagnosis' });
  }
}

function describe(request: DesktopRequest): string {
  return request.cmd === 'call' ? `${request.name} ${JSON.stringify(request.input)}` : JSON.stringify(request);
}

/** The desktop threw out of call() instead of answering with a result: a finding, not the harness's trouble. */
export class CallThrew extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The process was killed (or died) while a request was out: not an answer about the app. */
export class DesktopGone extends Error {}
