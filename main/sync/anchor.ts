// The sync server keeps the newest entry of this device's audit trail it holds (its anchor). That
// entry was written here and synced, so this database must still hold it, with the same hash: if
// it does not, history already synced was rewritten or cut short here, whatever the chain says of
// itself (a chain rebuilt and re-sealed from an earlier point is whole, but not the one synced).
import type Database from 'better-sqlite3';
import { deviceAnchor, ENDPOINTS, type DeviceAnchor } from '../../db/sync/protocol.js';
import { ServerUnreachable, type ServerConnection } from './server-connection.js';

export type AnchorProblem = 'truncated' | 'rewritten';

export type AnchorCheck = { holds: true } | { holds: false; problem: AnchorProblem; seq: number; message: string };

/**
 * The anchor compared, as audit/verify reports it: held (at the server's entry
 * `seq`, null while it holds none), not held, or not checked because the server could not say.
 */
export type AnchorStatus =
  | { state: 'holds'; seq: number | null }
  | { state: 'broken'; problem: AnchorProblem; seq: number; message: string }
  | { state: 'unchecked'; message: string };

/**
 * Whether `deviceId`'s trail in this database holds the server's anchor with its hash. No anchor
 * (the server holds nothing from this device yet) holds trivially.
 */
export function checkAnchor(sqlite: Database.Database, deviceId: string, anchor: DeviceAnchor | null): AnchorCheck {
  if (!anchor) return { holds: true };
  const here = sqlite
    .prepare('SELECT hash FROM audit_log WHERE device_id = ? AND seq = ?')
    .pluck()
    .get(deviceId, anchor.seq) as string | undefined;
  if (here === anchor.hash) return { holds: true };
  if (here === undefined) {
    const last = sqlite.prepare('SELECT max(seq) FROM audit_log WHERE device_id = ?').pluck().get(deviceId) as
      number | null;
    return {
      holds: false,
      problem: 'truncated',
      seq: anchor.seq,
      message: `This computer's audit trail ${last ? `ends at entry ${last}` : 'is empty'}, but the sync server holds entry ${anchor.seq} from it: history already synced was cut short here.`,
    };
  }
  return {
    holds: false,
    problem: 'rewritten',
    seq: anchor.seq,
    message: `Entry ${anchor.seq} of this computer's audit trail is not the one the sync server holds from it: history already synced was rewritten here.`,
  };
}

/** Asks the server for the anchor (through `ask`) and compares it with this database's trail. */
export async function anchorStatus(
  sqlite: Database.Database,
  deviceId: string,
  ask: () => Promise<DeviceAnchor | null>,
): Promise<AnchorStatus> {
  let anchor: DeviceAnchor | null;
  try {
    anchor = await ask();
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    return { state: 'unchecked', message: notCompared(error.message) };
  }
  const check = checkAnchor(sqlite, deviceId, anchor);
  if (check.holds) return { state: 'holds', seq: anchor?.seq ?? null };
  const { holds: _, ...broken } = check;
  return { state: 'broken', ...broken };
}

/** Why the anchor was not compared, in words: offline is not a fault, only a check not made. */
export const notCompared = (why: string) =>
  `This computer's audit trail was not compared with what the sync server holds from it. ${why}`;

/** The server's anchor for the signed-in device; null while it holds no entry from it. */
export async function fetchAnchor(connection: ServerConnection): Promise<DeviceAnchor | null> {
  const response = await connection.request('GET', ENDPOINTS.deviceAnchor);
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ServerUnreachable(
      response.status === 401
        ? 'The sync server asks you to sign in again first.'
        : `The sync server answered ${response.status} when asked for it.`,
    );
  }
  const parsed = deviceAnchor.safeParse(await response.json());
  if (!parsed.success) throw new ServerUnreachable('The sync server gave an anchor this version does not understand.');
  return parsed.data;
}
