// `npm run sync-server:create-admin -- --email you@office.example --first-name Ana --last-name Silva`
// Creates the server's first administrator; there are no built-in accounts. The password comes
// from ROOMY_ADMIN_PASSWORD or is asked for on the terminal. Refused once an administrator exists.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword, passwordWeakness } from '../db/auth/passwords.js';
import { openCentralDatabase, type CentralDatabase } from '../db/central-database.js';
import { describeFieldErrors, fieldErrors } from '../db/contracts/errors.js';
import { email, text } from '../db/contracts/fields.js';
import { newId } from '../db/domain/ids.js';
import { appendToChangeLog } from './changes/change-log.js';
import { ConfigError, loadConfig } from './config.js';
import { embeddedServerPid } from './embedded.js';
import { loadCatalog, textRowSql } from './tables.js';

const adminInput = z.strictObject({ email: email(), firstName: text(100), lastName: text(100), password: z.string() });

export async function createFirstAdmin(central: CentralDatabase, input: z.input<typeof adminInput>): Promise<string> {
  const parsed = adminInput.safeParse(input);
  if (!parsed.success) throw new Error(describeFieldErrors(fieldErrors(parsed.error)));
  const admin = parsed.data;
  const weakness = passwordWeakness(admin.password, admin);
  if (weakness) throw new Error(`password: ${weakness}`);
  const passwordHash = await hashPassword(admin.password);
  const catalog = await loadCatalog(central.query);
  return central.transaction(async (query) => {
    // Two runs at once must not both find no administrator.
    await query(`SELECT pg_advisory_xact_lock(hashtext('roomy:first-admin'))`);
    const [existing] = await query(`SELECT 1 FROM users WHERE role = 'ADMIN'`);
    if (existing) throw new Error('This server already has an administrator; they can create other accounts.');
    const id = newId();
    const now = new Date().toISOString();
    const [row] = await query<{ row: Record<string, string | null> }>(
      `INSERT INTO users (id, email, first_name, last_name, role, status, password_hash, is_verified, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'ADMIN', 'ACTIVE', $5, true, $6, $6)
       RETURNING ${textRowSql(catalog.users.columns.map((c) => c.name))} AS row`,
      [id, admin.email, admin.firstName, admin.lastName, passwordHash, now],
    );
    await appendToChangeLog(query, null, [{ table: 'users', op: 'insert', rowId: id, values: row!.row }]);
    return id;
  });
}

async function askPassword(): Promise<string> {
  if (process.env.ROOMY_ADMIN_PASSWORD) return process.env.ROOMY_ADMIN_PASSWORD;
  if (!process.stdin.isTTY) throw new Error('Set ROOMY_ADMIN_PASSWORD, or run this in a terminal to be asked for it.');
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await terminal.question('Password for the new administrator (at least 12 characters): ');
  } finally {
    terminal.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, 'first-name': { type: 'string' }, 'last-name': { type: 'string' } },
  });
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const running = config.databaseUrl ? null : embeddedServerPid(config.dataDir);
  if (running) {
    throw new Error(
      `The sync server (process ${running}) is using the embedded database in ${config.dataDir}: stop it, run this again, then start it.`,
    );
  }
  const central = await openCentralDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { pgliteDataDir: join(config.dataDir, 'pglite') },
  );
  try {
    const id = await createFirstAdmin(central, {
      email: values.email ?? '',
      firstName: values['first-name'] ?? '',
      lastName: values['last-name'] ?? '',
      password: await askPassword(),
    });
    console.log(`Created the administrator ${values.email} (${id}). They can now sign in from the desktop app.`);
  } finally {
    await central.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
