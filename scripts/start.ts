// `npm start`: prepares the local database in the app's data folder and reports what is there.
//   --sample-data   load the demo dataset into a new, empty database
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openLocalDatabase } from '../db/local-database.js';
import { loadSampleData } from '../db/sample/load.js';
import { generateSampleData } from '../db/sample/generate.js';
import { defaultDataDir, localDatabaseFile } from '../main/app-paths.js';
import { findElectronRuntime } from '../main/electron-runtime.js';

const { values } = parseArgs({ options: { 'sample-data': { type: 'boolean', default: false } } });

const dataDir = defaultDataDir();
mkdirSync(dataDir, { recursive: true });
const file = localDatabaseFile(dataDir);
const local = openLocalDatabase(file);
try {
  console.log(`Roomy CRM database: ${file}`);
  if (local.backupPath) console.log(`Backed up before upgrading it: ${local.backupPath}`);
  if (values['sample-data']) {
    const counts = loadSampleData(
      local.sqlite,
      generateSampleData({ size: 'demo', today: new Date().toISOString().slice(0, 10) }),
    );
    console.log(
      `Loaded sample data: ${Object.entries(counts)
        .map(([t, n]) => `${n} ${t}`)
        .join(', ')}`,
    );
  }
  for (const table of ['users', 'locations', 'properties', 'reservations', 'tasks', 'ledger_entries']) {
    const count = local.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    console.log(`  ${table.padEnd(16)} ${count}`);
  }
} catch (error) {
  console.error(`Roomy could not start: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  local.close();
}

const electron = findElectronRuntime();
console.log(
  electron.available
    ? `Electron runtime: ${electron.binary}`
    : `Electron runtime: not available on this machine — ${electron.reason}.`,
);
console.log('The desktop window is not part of this version yet; the database above is ready for it.');
