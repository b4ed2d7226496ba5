// Devices belong to people: the first person to sign in from a device id has it for good, and
// every session is of one device. The server keeps the newest entry of each device's audit trail
// (changes/apply-op.ts checks every row against it), and tells a device what that entry is.
import type { Query } from '../../db/central-database.js';
import { GENESIS_HASH } from '../../db/audit/chain-hash.js';
import type { DeviceAnchor } from '../../db/sync/protocol.js';
import { HttpError } from '../http-errors.js';

/** Refused: the device signs in for someone else. Carries who, for the log. */
export class DeviceOfAnother extends HttpError {
  override name = 'DeviceOfAnother';
  constructor(
    readonly deviceId: string,
    readonly userId: string,
    readonly ownerId: string,
  ) {
    super(
      403,
      'forbidden',
      `Device ${deviceId} is registered on the sync server to another person: each device signs in for one person only. Sign in from a device of your own.`,
    );
  }
}

/**
 * Binds `deviceId` to `userId` unless it is someone's already, and answers whose it is. A device
 * that wrote audit rows before devices were bound goes on from the newest the server holds.
 */
export async function bindDevice(query: Query, deviceId: string, userId: string, now: Date): Promise<string> {
  await query(
    `INSERT INTO devices (id, user_id, head_seq, head_hash, keyed_from, created_at)
     SELECT $1, $2, coalesce(head.seq, 0), coalesce(head.hash, $3), NULL, $4
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (SELECT seq, hash FROM audit_log WHERE device_id = $1 ORDER BY seq DESC LIMIT 1) AS head ON true
     ON CONFLICT (id) DO NOTHING`,
    [deviceId, userId, GENESIS_HASH, now.toISOString()],
  );
  // A separate statement: it sees a binding made by a sign-in that raced this one.
  const [device] = await query<{ user_id: string }>(`SELECT user_id FROM devices WHERE id = $1`, [deviceId]);
  return device!.user_id;
}

/** The newest entry the server holds of the device's trail, or null before any. */
export async function deviceAnchor(query: Query, deviceId: string): Promise<DeviceAnchor | null> {
  const [head] = await query<{ seq: number; hash: string }>(
    `SELECT head_seq AS seq, head_hash AS hash FROM devices WHERE id = $1 AND head_seq > 0`,
    [deviceId],
  );
  return head ? { seq: Number(head.seq), hash: head.hash } : null;
}
