// The sync server as production runs it (`npm run sync-server`), in its own process, so a test
// can kill it outright and start it again on the same port and database. No vitest here: the
// benchmarks use it too.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { newTokenSecret } from '../../sync-server/auth/tokens.js';

const root = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  /** Stops it as a crash would (SIGKILL) or as an operator would (SIGTERM). */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again, same port and database. */
  restart(): Promise<void>;
  alive(): boolean;
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'roomy-sync-process-'));
  const secret = newTokenSecret();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    // ROOMY_SERVER_NODE_ARGS passes flags to the server's Node (--cpu-prof, to profile a benchmark).
    const nodeArgs = process.env.ROOMY_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const started = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, 'sync-server/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ROOMY_SYNC_TOKEN_SECRET: secret,
        ROOMY_SYNC_DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        ROOMY_SYNC_RATE_LIMIT: '1000000',
        ROOMY_SYNC_SIGN_IN_RATE_LIMIT: '10000',
        ROOMY_SYNC_LONG_POLL_MS: '1500',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = started;
    let errors = '';
    started.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`the sync server exited (${started.exitCode}): ${errors}`);
      const ready = await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`the sync server did not start in 30 s: ${errors}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const kill = async (signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL') => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill(signal);
    await exited;
  };

  await start();
  return {
    url,
    kill,
    restart: start,
    alive: () => child !== null && child.exitCode === null && child.signalCode === null,
    async dispose() {
      await kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
