// The newest entry of a device's audit trail the sync server holds: the device's own database must
// still hold it, as it was. A trail cut short or rewritten after it was synced does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnchor, fetchAnchor } from '../../main/sync/anchor.js';
import { settled, type TestDevice } from './devices.js';
import { startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
let device: TestDevice;
beforeAll(async () => {
  office = await startSyncedOffice();
  device = await office.device('anchored', office.people.admin);
});
afterAll(() => office?.close());

describe('the anchor of a device’s audit trail', () => {
  it('is held by the device that synced it, and not once that history is rewritten or cut short', async () => {
    await device.ok('locations/create', {
      name: 'Évora',
      city: 'Évora',
      country: 'PT',
      timeZone: 'Europe/Lisbon',
      currency: 'EUR',
    });
    await settled(device);
    const engine = device.engine();
    const sqlite = engine.replica.sqlite;
    const deviceId = sqlite.prepare(`SELECT value FROM device_meta WHERE key = 'device_id'`).pluck().get() as string;
    const last = sqlite
      .prepare('SELECT seq, hash FROM audit_log WHERE device_id = ? ORDER BY seq DESC LIMIT 1')
      .get(deviceId) as { seq: number; hash: string };

    const anchor = await fetchAnchor(engine.connection);
    expect(anchor).toEqual(last);
    expect(checkAnchor(sqlite, deviceId, anchor)).toEqual({ holds: true });
    expect(checkAnchor(sqlite, deviceId, null)).toEqual({ holds: true });

    // Someone holding the file edits it, past the triggers.
    engine.stop();
    sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    sqlite
      .prepare('UPDATE audit_log SET hash = ? WHERE device_id = ? AND seq = ?')
      .run('b'.repeat(64), deviceId, last.seq);
    expect(checkAnchor(sqlite, deviceId, anchor)).toEqual({
      holds: false,
      problem: 'rewritten',
      seq: last.seq,
      message: `Entry ${last.seq} of this computer's audit trail is not the one the sync server holds from it: history already synced was rewritten here.`,
    });
    sqlite.prepare('DELETE FROM audit_log WHERE device_id = ? AND seq >= ?').run(deviceId, last.seq - 1);
    expect(checkAnchor(sqlite, deviceId, anchor)).toEqual({
      holds: false,
      problem: 'truncated',
      seq: last.seq,
      message: `This computer's audit trail ends at entry ${last.seq - 2}, but the sync server holds entry ${last.seq} from it: history already synced was cut short here.`,
    });
  });
});
