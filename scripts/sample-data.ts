// `npm run sample-data -- --size demo|scale (--data-dir DIR | --out FILE) [--admin-email EMAIL]`
//   [--admin-first-name NAME] [--admin-last-name NAME] [--replace] [--seed TEXT] [--today YYYY-MM-DD]
// Generates the deterministic sample dataset into a new database. With --admin-email it first
// creates the administrator the way the first-run screen does, so the app can open the result:
// the password comes from ROOMY_ADMIN_PASSWORD, or a strong one is generated and printed once.
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { passwordWeakness } from '../db/auth/passwords.js';
import { describeFieldErrors, fieldErrors, type FieldErrors } from '../db/contracts/errors.js';
import { generateSampleData, SAMPLE_SIZES, type SampleSize } from '../db/sample/generate.js';
import { loadSampleData, type SampleCounts } from '../db/sample/load.js';
import { localDatabaseFile } from '../main/app-paths.js';
import { commitChange } from '../main/core/changes.js';
import { createCore } from '../main/core/core.js';
import { setupInput } from '../main/operations/auth.js';

export interface SampleDatabaseRequest {
  file: string;
  size: SampleSize;
  seed: string;
  today: string;
  /** Overwrite a database already at `file`; without it, one there is refused. */
  replace?: boolean;
  /** The first administrator; the password is generated when none is given. */
  admin?: { email: string; firstName: string; lastName: string; password?: string };
}

export interface SampleDatabaseReport {
  file: string;
  counts: SampleCounts;
  generateMs: number;
  loadMs: number;
  admin?: { email: string; password: string; generated: boolean };
  /** Where the key that seals the database's audit trail was written: keys.json beside it. */
  keysFile: string;
}

/** A refusal meant for the person at the terminal: printed as it is, never as a stack trace. */
export class SampleDataRefusal extends Error {}

/** Where each setup field comes from on the command line, so errors name what to fix. */
const ADMIN_OPTIONS: Record<string, string> = {
  email: '--admin-email',
  firstName: '--admin-first-name',
  lastName: '--admin-last-name',
  password: 'ROOMY_ADMIN_PASSWORD',
};

const inOptionWords = (fields: FieldErrors) =>
  describeFieldErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [ADMIN_OPTIONS[k] ?? k, v])));

// No look-alike characters (0/o, 1/l/i), so the printed password can be typed from a screen.
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Twenty random characters (about 99 bits) in groups of four: "k7mq-x2pd-9wzr-h4tn-c8fb". */
export function generatePassword(): string {
  const group = () => Array.from({ length: 4 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');
  return Array.from({ length: 5 }, group).join('-');
}

/** A generated password the strength rules accept (a random one this long always is). */
function strongPasswordFor(person: { email: string; firstName: string; lastName: string }): string {
  for (let tries = 0; tries < 10; tries++) {
    const candidate = generatePassword();
    if (!passwordWeakness(candidate, person)) return candidate;
  }
  throw new Error('No generated password passed the strength rules: set ROOMY_ADMIN_PASSWORD instead.');
}

/** The administrator as the first-run setup takes it, checked before anything is written. */
function checkedAdmin(admin: NonNullable<SampleDatabaseRequest['admin']>) {
  const generated = admin.password === undefined;
  const parsed = setupInput.safeParse({ ...admin, password: admin.password ?? strongPasswordFor(admin) });
  if (!parsed.success) throw new SampleDataRefusal(inOptionWords(fieldErrors(parsed.error)));
  const weakness = passwordWeakness(parsed.data.password, parsed.data);
  if (weakness) throw new SampleDataRefusal(inOptionWords({ password: weakness }));
  return { ...parsed.data, generated };
}

const databaseFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

/**
 * Writes a new database at `request.file`: the administrator first, through the same `auth/setup`
 * call the first-run screen makes (argon2 verifier, audit rows in the device's chain), then the
 * sample data with its audit row, as "Load sample data" does. Nothing is left behind on a refusal.
 */
export async function createSampleDatabase(request: SampleDatabaseRequest): Promise<SampleDatabaseReport> {
  const admin = request.admin && checkedAdmin(request.admin);
  if (existsSync(request.file) && !request.replace) {
    throw new SampleDataRefusal(
      `${request.file} already exists: choose another place, or add --replace to overwrite that database.`,
    );
  }

  let started = performance.now();
  const data = generateSampleData({ size: request.size, seed: request.seed, today: request.today });
  const generateMs = performance.now() - started;
  if (admin && data.users.some((user) => user.email === admin.email)) {
    throw new SampleDataRefusal(
      `--admin-email: ${admin.email} belongs to a person in the sample data; choose another address.`,
    );
  }

  for (const file of databaseFiles(request.file)) rmSync(file, { force: true });
  mkdirSync(dirname(request.file), { recursive: true });
  const core = createCore({ databaseFile: request.file });
  try {
    if (admin) {
      const setup = await core.call('sample-data', 'auth/setup', {
        email: admin.email,
        firstName: admin.firstName,
        lastName: admin.lastName,
        password: admin.password,
      });
      if (!setup.ok) {
        throw new SampleDataRefusal(setup.error.fields ? inOptionWords(setup.error.fields) : setup.error.message);
      }
    }
    started = performance.now();
    // The load and its audit row commit together (the loader's transaction nests as a savepoint).
    const { value: counts } = commitChange(
      core.database.sqlite,
      core.database.db,
      core.deviceId,
      { id: null, role: null },
      'sample-data/load',
      new Date().toISOString(),
      (w) => {
        const loaded = loadSampleData(core.database.sqlite, data);
        w.audit({ action: 'sample-data.load', after: { ...loaded } });
        return loaded;
      },
    );
    const loadMs = performance.now() - started;
    core.close();
    return {
      file: request.file,
      keysFile: keysFileOf(request.file),
      counts,
      generateMs,
      loadMs,
      ...(admin ? { admin: { email: admin.email, password: admin.password, generated: admin.generated } } : {}),
    };
  } catch (error) {
    core.close();
    for (const file of databaseFiles(request.file)) rmSync(file, { force: true });
    throw error;
  }
}

/** The core keeps a database's chain key in keys.json beside it (main/core/core.ts), as the app in its data folder. */
const keysFileOf = (file: string) => join(resolve(dirname(file)), 'keys.json');

/**
 * Where the audit trail's key went and how the app finds it: without that file beside the
 * database, the app can no longer rule out edits to its audit trail.
 */
export function whereTheKeyIs(keysFile: string): string {
  return [
    `The key that seals its audit trail is in ${keysFile}.`,
    'Keep that file beside the database: the app reads keys.json from its data folder (and the desktop',
    'app, where the system has a keychain, then keeps the key there). A database moved without it opens,',
    'but Roomy can no longer rule out edits to its audit trail, and records nothing more in it.',
  ].join('\n');
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const powerShellQuote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The command that opens `file` in the app, which opens roomy.db in its data folder. It names the
 * folder even when it is the default one: a ROOMY_DATA_DIR set in the shell would win otherwise.
 */
export function howToOpen(file: string, platform: NodeJS.Platform = process.platform): string {
  if (basename(file) !== 'roomy.db') {
    return 'The app opens a file named roomy.db in its data folder: write one with --data-dir DIR instead of --out.';
  }
  const dataDir = resolve(dirname(file));
  return platform === 'win32'
    ? `Open it with (PowerShell): $env:ROOMY_DATA_DIR = ${powerShellQuote(dataDir)}; npm start`
    : `Open it with: ROOMY_DATA_DIR=${shellQuote(dataDir)} npm start`;
}

const USAGE = `usage: npm run sample-data -- --size demo|scale (--data-dir DIR | --out FILE)
         [--admin-email EMAIL [--admin-first-name NAME] [--admin-last-name NAME]]
         [--replace] [--seed TEXT] [--today YYYY-MM-DD]
  --data-dir DIR     writes DIR/roomy.db, the file the app opens with ROOMY_DATA_DIR=DIR
  --admin-email      creates an administrator to sign in with; the password is ROOMY_ADMIN_PASSWORD
                     if set, else a generated one printed once
  --replace          overwrites a database already there`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'demo' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string', default: 'roomy' },
      today: { type: 'string', default: new Date().toISOString().slice(0, 10) },
      'admin-email': { type: 'string' },
      'admin-first-name': { type: 'string', default: 'Office' },
      'admin-last-name': { type: 'string', default: 'Administrator' },
      replace: { type: 'boolean', default: false },
    },
  });
  if (!(values.size in SAMPLE_SIZES) || Boolean(values.out) === Boolean(values['data-dir'])) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const file = values.out ?? localDatabaseFile(values['data-dir']!);
  const report = await createSampleDatabase({
    file,
    size: values.size as SampleSize,
    seed: values.seed,
    today: values.today,
    replace: values.replace,
    admin: values['admin-email']
      ? {
          email: values['admin-email'],
          firstName: values['admin-first-name'],
          lastName: values['admin-last-name'],
          password: process.env.ROOMY_ADMIN_PASSWORD || undefined,
        }
      : undefined,
  });

  const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
  console.log(`Sample data (${values.size}, seed "${values.seed}", today ${values.today}) in ${file}`);
  for (const [table, count] of [...Object.entries(report.counts), ['total', total] as const]) {
    console.log(`  ${table.padEnd(14)} ${count.toLocaleString('en')}`);
  }
  console.log(`Generated in ${Math.round(report.generateMs)} ms, loaded in ${Math.round(report.loadMs)} ms`);
  console.log(`\n${whereTheKeyIs(report.keysFile)}`);
  if (report.admin) {
    console.log(`\nSign in as ${report.admin.email}`);
    if (report.admin.generated) {
      console.log(`  with the password ${report.admin.password}`);
      console.log('  (shown only this once: keep it somewhere safe, or change it once signed in)');
    } else {
      console.log('  with the password in ROOMY_ADMIN_PASSWORD');
    }
    console.log(howToOpen(file));
  } else {
    console.log('\nNobody can sign in to it: add --admin-email EMAIL to create an administrator.');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (error) {
    // Refusals (a database already there, a weak password) are for people, not stack traces.
    console.error(error instanceof SampleDataRefusal ? error.message : error);
    process.exitCode = 1;
  }
}
