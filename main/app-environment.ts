// What the core knows about the installation it runs in: its version and runtime, where its
// files are, IT's fleet configuration and this user's settings file. The Electron shell and the
// browser host each describe themselves; tests take the defaults.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fleetConfigPath, readFleetConfig, type FleetConfigReading } from './fleet-config.js';
import { SQLITE_MIGRATIONS } from '../db/migrate/history.js';
import { backupsFolder } from './backups.js';
import { secretStorageFor } from './sync/secret-store.js';

export type TokenStorageFacts = Parameters<typeof secretStorageFor>[0];

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
  /** Where sync tokens are kept, in plain words for About (see describeTokenStorage). */
  tokenStorage: string;
}

/** Tokens that live only as long as the process: what the browser host, tests and tools do. */
export const TOKENS_IN_MEMORY = 'In memory only: each start of Roomy needs one online sign-in before it syncs.';

/**
 * Where the shell keeps sync tokens, in words for About: sealed by the operating system, or in
 * memory only and why (then each start needs one online sign-in before the computer syncs).
 */
export function describeTokenStorage(facts: TokenStorageFacts): string {
  const storage = secretStorageFor(facts);
  if (storage.kind === 'memory') {
    if (!facts.encryptionAvailable)
      return "In memory only: the operating system's encryption is not available, so each start of Roomy needs one online sign-in before it syncs.";
    return facts.linuxBackend === 'basic_text'
      ? 'In memory only: this computer has no keychain (such as GNOME Keyring or KWallet), so each start of Roomy needs one online sign-in before it syncs.'
      : 'In memory only: which keychain would seal them could not be told, so each start of Roomy needs one online sign-in before it syncs.';
  }
  switch (facts.platform) {
    case 'win32':
      return 'Sealed by Windows for your account (DPAPI).';
    case 'darwin':
      return 'Sealed by the macOS keychain.';
    case 'linux':
      return `Sealed by the operating system's keychain (${facts.linuxBackend === 'gnome_libsecret' ? 'libsecret' : 'KWallet'}).`;
    default:
      return "Sealed by the operating system's keychain.";
  }
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
    tokenStorage: TOKENS_IN_MEMORY,
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
