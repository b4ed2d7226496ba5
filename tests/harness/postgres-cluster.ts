// A throwaway PostgreSQL cluster for the test run: initdb into a temp folder, start on a free
// loopback port, remove everything at the end. As root, the server runs as the `postgres` user,
// because Postgres refuses to run as root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATE_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

export interface PostgresCluster {
  url: string;
  stop(): void;
}

export function findPostgresBinaries(): string | null {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  const dirs = fromEnv ? [fromEnv] : CANDIDATE_BIN_DIRS;
  return dirs.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

export async function startPostgresCluster(binDir: string): Promise<PostgresCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'roomy-pg-'));
  const dataDir = join(dir, 'data');
  const run = (command: string, args: string[]) => {
    const file = join(binDir, command);
    const [bin, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    const result = spawnSync(bin, argv, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${command} failed (exit ${result.status}): ${result.stderr || result.stdout}`);
    }
  };
  if (asRoot) {
    execFileSync('chown', ['postgres:postgres', dir]);
    chmodSync(dir, 0o700);
  }
  run('initdb', ['-D', dataDir, '-U', 'roomy', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    // Durability is not what these tests measure; speed is welcome.
    `-c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    `-c max_connections=200`,
  ].join(' ');
  run('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://roomy@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Left-over clusters from runs that were killed before their teardown. */
export function staleClusterDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('roomy-pg-'));
}
