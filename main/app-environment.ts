// What the core knows about the installation it runs in: its version and runtime, where its
// files are, IT's fleet configuration and this user's settings file. The Electron shell and the
// browser host each describe themselves; tests take the defaults.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fleetConfigPath, readFleetConfig, type FleetConfigReading } from './fleet-config.js';
import { SQLITE_MIGRATIONS } from '../db/migrate/history.js';
import { backupsFolder } from './backups.js';

export interface AppEnvironment {
  version: string;
  /** "Electron 39.8.10", "Browser host on Node 20.19.0". */
  runtime: string;
  dataDir: string;
  logsDir: string;
  backupsDir: string;
  exportsDir: string;
  diagnosticsDir: string;
  fleet: FleetConfigReading;
  settingsFile: string;
  /** The SQLite migrations this build carries (beside the bundle in the packaged app). */
  migrationsFolder: string;
  /** The compiled better-sqlite3 every connection opens with (the Electron build in a development window). */
  nativeBinding?: string;
  /** Shows a folder in the system's file manager; absent where there is none (the browser host). */
  openFolder?: (path: string) => Promise<void>;
}

export function defaultEnvironment(databaseFile: string, given: Partial<AppEnvironment> = {}): AppEnvironment {
  const dataDir = given.dataDir ?? dirname(databaseFile);
  return {
    version: packageVersion(),
    runtime: `Node ${process.versions.node}`,
    dataDir,
    logsDir: join(dataDir, 'logs'),
    backupsDir: backupsFolder(databaseFile),
    exportsDir: join(dataDir, 'exports'),
    diagnosticsDir: join(dataDir, 'diagnostics'),
    fleet: readFleetConfig(fleetConfigPath()),
    settingsFile: join(dataDir, 'settings.json'),
    migrationsFolder: SQLITE_MIGRATIONS,
    ...given,
  };
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}
