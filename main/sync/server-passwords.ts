// With a sync server, passwords are the server's: people sign in there first on any computer, and
// a device keeps only a verifier for signing in offline. So a password is set on the server first
// (refused there, nothing is written here), then the device's operation keeps its copy and audit row.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { hashPassword } from '../../db/auth/passwords.js';
import { accessFor } from '../../db/policy/access.js';
import type { UserRole } from '../../db/domain/enums.js';
import { mayAdminister } from '../../db/policy/roles.js';
import { AppError, failure, type AppErrorData, type Result } from '../core/errors.js';
import type { Identity } from '../core/sessions.js';
import type { Core } from '../core/core.js';
import type { SyncEngine } from './sync-engine.js';
import { ServerUnreachable, type ServerUser } from './server-connection.js';

export const PASSWORD_OPERATIONS = new Set(['auth/change-password', 'users/set-password', 'users/create']);

const changeInput = z.object({ currentPassword: z.string(), newPassword: z.string() });
const setInput = z.object({ id: z.string(), password: z.string() });
const createInput = z.object({ password: z.string() });
const SERVER_CODES = ['validation', 'forbidden', 'not_found', 'conflict', 'locked', 'rate_limited'] as const;
const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

/**
 * Runs a password operation of a synced workspace: the caller's session and grant are checked
 * here, then the server is asked, then `core` runs it. Input the server cannot be asked about
 * (malformed, or a person made without a password) goes straight to the operation, which
 * describes it.
 */
export async function passwordThroughServer(
  core: Core,
  engine: SyncEngine,
  callerId: string,
  name: string,
  input: unknown,
): Promise<Result<unknown>> {
  const local = () => core.call(callerId, name as Parameters<Core['call']>[1], input);
  if (name === 'auth/change-password') {
    const parsed = changeInput.safeParse(input);
    if (!parsed.success) return local();
    const me = await core.call(callerId, 'auth/me', undefined);
    if (!me.ok) return me;
    const refused = await onServer(engine, '/v1/auth/password', parsed.data, {});
    if (refused) return { ok: false, error: refused };
    const changed = await local();
    if (changed.ok || !changed.error.fields?.currentPassword) return changed;
    // This device knew an older password than the server's: the server's word stands.
    const verifier = await hashPassword(parsed.data.newPassword);
    storeVerifier(core.database.sqlite, (me.value as Identity).userId, verifier, new Date().toISOString());
    return { ok: true, value: null };
  }
  if (name === 'users/set-password') {
    const parsed = setInput.safeParse(input);
    if (!parsed.success) return local();
    const denied = await mayAdministerHere(core, callerId, parsed.data.id);
    if (denied) return { ok: false, error: denied };
    // A person made here reaches the server first.
    await engine.upload();
    const refused = await onServer(
      engine,
      `/v1/users/${encodeURIComponent(parsed.data.id)}/password`,
      { newPassword: parsed.data.password },
      { newPassword: 'password' },
    );
    if (refused) return { ok: false, error: refused };
    return local();
  }
  // users/create: the person is made here (and checked here), then their password set there.
  const parsed = createInput.safeParse(input);
  const created = await local();
  if (!parsed.success || !created.ok) return created;
  const user = created.value as { id: string; firstName: string; lastName: string };
  const who = `${user.firstName} ${user.lastName}`;
  await engine.upload();
  const conflict = engine.conflicts().find((c) => c.attempted.some((op) => op.table === 'users' && op.id === user.id));
  if (conflict) {
    return failure('conflict', `The sync server refused to add ${who}: ${conflict.message}`);
  }
  const refused = await onServer(engine, `/v1/users/${user.id}/password`, { newPassword: parsed.data.password }, {});
  if (!refused) return created;
  return failure(
    'conflict',
    `${who} was added, but the sync server did not take the password: ${refused.message} ` +
      'Set their password from their record once it can be.',
  );
}

/**
 * The checks users/set-password makes, made before the server is asked: a signed-in caller whose
 * role sets passwords, of someone on this computer whom that role administers.
 */
async function mayAdministerHere(core: Core, callerId: string, targetId: string): Promise<AppErrorData | null> {
  const me = await core.call(callerId, 'auth/me', undefined);
  if (!me.ok) return me.error;
  const { role } = me.value as Identity;
  if (accessFor('users/set-password', role) === null) {
    return new AppError('forbidden', `Your role (${role}) may not set passwords.`).toData();
  }
  const target = core.database.sqlite.prepare('SELECT role FROM users WHERE id = ?').pluck().get(targetId) as
    UserRole | undefined;
  if (!target) return new AppError('not_found', 'That user is not on this computer.').toData();
  if (!mayAdminister(role, target)) {
    return new AppError(
      'forbidden',
      `Your role (${role}) may not set the password of ${target.toLowerCase()} accounts.`,
    ).toData();
  }
  return null;
}

/** Null when the server took it; otherwise its refusal, with its field names as this operation's. */
async function onServer(
  engine: SyncEngine,
  path: string,
  body: object,
  fieldNames: Record<string, string>,
): Promise<AppErrorData | null> {
  let response: Response;
  try {
    response = await engine.connection.request('POST', path, body);
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    return new AppError(
      'conflict',
      `${error.message} Passwords are kept on the sync server, so this needs it: try again once it can be reached.`,
    ).toData();
  }
  if (response.ok) {
    await response.body?.cancel();
    return null;
  }
  if (response.status === 401) {
    return new AppError('unauthenticated', 'The sync server asks you to sign in again before this.').toData();
  }
  const parsed = errorBody.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return new AppError('forbidden', `The sync server answered ${response.status}.`).toData();
  const { code, message, fields } = parsed.data.error;
  // The server names its own fields; they are said with this operation's names.
  const rename = (field: string) => fieldNames[field] ?? field;
  return new AppError(
    SERVER_CODES.find((known) => known === code) ?? 'forbidden',
    message.replace(/^(\w+):/, (_, field: string) => `${rename(field)}:`),
    fields ? Object.fromEntries(Object.entries(fields).map(([field, text]) => [rename(field), text])) : undefined,
  ).toData();
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
