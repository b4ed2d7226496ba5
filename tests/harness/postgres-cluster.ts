// A throwaway PostgreSQL cluster for the test run: initdb into a temp folder, start on a free
// loopback port, remove everything at the end. As root, the server runs as the `postgres` user,
// because Postgres refuses to run as root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian and Ubuntu install the server: one folder per major version, each with a bin/. */
export const POSTGRES_LIB_ROOT = '/usr/lib/postgresql';

export interface PostgresCluster {
  url: string;
  stop(): void;
}

const hasServerBinaries = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));

/** "9.6" → [9, 6]; anything that is not a version number → null. */
function versionOf(name: string): number[] | null {
  return /^\d+(\.\d+)?$/.test(name) ? name.split('.').map(Number) : null;
}

function newerFirst(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (b[i] ?? 0) - (a[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Every `<root>/<version>/bin` holding initdb and pg_ctl, the newest version first. */
export function postgresBinDirsUnder(root: string): string[] {
  const names = existsSync(root) ? readdirSync(root) : [];
  return names
    .map((name) => ({ name, version: versionOf(name) }))
    .filter((entry): entry is { name: string; version: number[] } => entry.version !== null)
    .sort((a, b) => newerFirst(a.version, b.version))
    .map(({ name }) => join(root, name, 'bin'))
    .filter(hasServerBinaries);
}

/**
 * POSTGRES_BIN_DIR when set (and only it: a wrong override is not silently replaced by another
 * version), else the newest installed server version.
 */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env, root = POSTGRES_LIB_ROOT): string | null {
  const fromEnv = env.POSTGRES_BIN_DIR;
  if (fromEnv) return hasServerBinaries(fromEnv) ? fromEnv : null;
  return postgresBinDirsUnder(root)[0] ?? null;
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
