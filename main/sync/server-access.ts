// The sync server as a synced user's operations reach it (the `server` capability of their
// context): passwords are the server's, so an operation sets one there before the device keeps its
// verifier; a person added here goes up before their password is set there. And what an online
// sign-in keeps on the device.
import type Database from 'better-sqlite3';
import { hashPassword } from '../../db/auth/passwords.js';
import { ENDPOINTS, errorAnswer } from '../../db/sync/protocol.js';
import type { Core } from '../core/core.js';
import { AppError, ERROR_CODES, type ErrorCode } from '../core/errors.js';
import type { ServerAccess } from '../core/operation.js';
import { fetchAnchor } from './anchor.js';
import { ServerUnreachable, type ServerUser } from './server-connection.js';
import type { SyncEngine } from './sync-engine.js';

export function serverAccess(engine: SyncEngine): ServerAccess {
  return {
    changeOwnPassword: (currentPassword, newPassword) =>
      ask(engine, ENDPOINTS.ownPassword, { currentPassword, newPassword }, {}),
    async setPassword(userId, newPassword) {
      // A person made here reaches the server first.
      await engine.upload();
      await ask(engine, ENDPOINTS.userPassword(userId), { newPassword }, { newPassword: 'password' });
    },
    async deliver(table, id) {
      await engine.upload();
      const refused = engine.conflicts().find((c) => c.attempted.some((op) => op.table === table && op.id === id));
      return refused?.message ?? null;
    },
    deviceAnchor: () => fetchAnchor(engine.connection),
  };
}

/** Resolves when the server took it; otherwise throws its refusal, with its fields named as the operation names them. */
async function ask(engine: SyncEngine, path: string, body: object, fieldNames: Record<string, string>): Promise<void> {
  let response: Response;
  try {
    response = await engine.connection.request('POST', path, body);
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    throw new AppError(
      'conflict',
      `${error.message} Passwords are kept on the sync server, so this needs it: try again once it can be reached.`,
    );
  }
  if (response.ok) return void (await response.body?.cancel());
  if (response.status === 401) {
    throw new AppError('unauthenticated', 'The sync server asks you to sign in again before this.');
  }
  const parsed = errorAnswer.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new AppError('forbidden', `The sync server answered ${response.status}.`);
  const { code, message, fields } = parsed.data.error;
  const rename = (field: string) => fieldNames[field] ?? field;
  throw new AppError(
    (ERROR_CODES as readonly string[]).includes(code) && code !== 'internal' ? (code as ErrorCode) : 'forbidden',
    message.replace(/^(\w+):/, (_, field: string) => `${rename(field)}:`),
    fields ? Object.fromEntries(Object.entries(fields).map(([field, text]) => [rename(field), text])) : undefined,
  );
}

/**
 * After an online sign-in: the user's row as the server gave it (their shape brings the rest), and
 * a local verifier of the password that just worked, so they can sign in here offline later.
 */
export async function keepVerifier(core: Core, user: ServerUser, password: string, at: string): Promise<void> {
  const verifier = await hashPassword(password);
  const { sqlite } = core.database;
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `INSERT INTO users (id, email, first_name, last_name, role, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?)
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name,
           last_name = excluded.last_name, role = excluded.role, status = 'ACTIVE'`,
      )
      .run(user.id, user.email, user.firstName, user.lastName, user.role, at, at);
    storeVerifier(sqlite, user.id, verifier, at);
  })();
}

function storeVerifier(sqlite: Database.Database, userId: string, verifier: string, at: string): void {
  sqlite
    .prepare(
      `INSERT INTO local_credentials (user_id, verifier, failed_attempts, locked_until, updated_at)
       VALUES (?, ?, 0, NULL, ?)
       ON CONFLICT (user_id) DO UPDATE SET verifier = excluded.verifier, failed_attempts = 0,
         locked_until = NULL, updated_at = excluded.updated_at`,
    )
    .run(userId, verifier, at);
}
