// Where the local (SQLite) and central (Postgres) schemas deliberately differ, and why. The parity
// test fails on any other difference, and on an entry here that no longer matches the schemas.

export const SERVER_ONLY_TABLES: Record<string, string> = {
  change_log: 'The ordered log the shape endpoint serves; devices keep their position in it, not the log.',
  applied_changesets: 'The server answer per changeset id, so that a retried upload is applied once.',
  refresh_tokens: 'Server sessions: hashed rotating refresh tokens, revocable per family.',
  sign_in_failures: 'Failed server sign-ins per email, for the lockout.',
  devices: 'Which person each device signs in for, and the newest audit entry the server holds from it.',
};

export const DEVICE_ONLY_TABLES: Record<string, string> = {
  local_credentials: 'Offline sign-in verifiers of the users who signed in on this device; never synced.',
  outbox: 'Local changesets waiting for the server to answer.',
  sent_changesets: 'Changesets the server applied, pending until shown back, then kept a while for recovery.',
  sync_base: "The server's version of rows with pending local edits, as their stream last showed it.",
  sync_conflicts: 'Changesets the server refused, kept for the user to dismiss or redo.',
  shape_state: 'Where each shape stream stopped (handle and offset), to resume after a restart.',
  device_meta: "This device's own facts (its id, the configured server, the audit sequence).",
};

/** `table.column` → why only the server has it. */
export const SERVER_ONLY_COLUMNS: Record<string, string> = {
  'users.password_hash': 'Password hashes never leave the server; devices keep local verifiers instead.',
};

export const DEVICE_ONLY_COLUMNS: Record<string, string> = {};
