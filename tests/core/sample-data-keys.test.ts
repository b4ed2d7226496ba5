// The sample database's audit trail is sealed with a key kept outside it, in keys.json beside it:
// the tool says where, and the app finds it there, in its data folder.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesktop } from '../../main/desktop.js';
import { FileSecretStore } from '../../main/sync/secret-store.js';
import { createSampleDatabase, whereTheKeyIs } from '../../scripts/sample-data.js';
import { tempDir } from '../harness/databases.js';

const folders: { path: string; remove(): void }[] = [];
afterEach(() => folders.splice(0).forEach((dir) => dir.remove()));

/** The chain check of the database in `dataDir`, opened as the app opens its data folder. */
async function verifiedInApp(dataDir: string, admin: { email: string; password: string }) {
  const desktop = createDesktop({ databaseFile: join(dataDir, 'roomy.db'), sleep: async () => {} });
  try {
    const signedIn = await desktop.call('w', 'auth/sign-in', admin);
    expect(signedIn).toMatchObject({ ok: true });
    return await desktop.call('w', 'audit/verify');
  } finally {
    desktop.close();
  }
}

describe('the sample database’s chain key', () => {
  it('is written to keys.json beside it, the hint names that file, and the app finds it there', async () => {
    const dir = tempDir('roomy-sample-keys-');
    folders.push(dir);
    const file = join(dir.path, 'roomy.db');
    const report = await createSampleDatabase({
      file,
      size: 'demo',
      seed: 'roomy',
      today: '2026-06-15',
      admin: { email: 'ines.rocha@office.example', firstName: 'Inês', lastName: 'Rocha' },
    });
    expect(report.keysFile).toBe(join(dir.path, 'keys.json'));
    expect(new FileSecretStore(report.keysFile).get('audit-chain local')).toBeDefined();
    const hint = whereTheKeyIs(report.keysFile);
    expect(hint).toContain(`is in ${report.keysFile}.`);
    expect(hint).toMatch(/reads keys\.json from its data folder/);

    const admin = { email: report.admin!.email, password: report.admin!.password };
    expect(await verifiedInApp(dir.path, admin)).toMatchObject({ ok: true, value: { intact: true } });

    // Moved without it, the trail can no longer be vouched for: why the hint says to keep them together.
    renameSync(report.keysFile, join(dir.path, 'elsewhere.json'));
    expect(existsSync(report.keysFile)).toBe(false);
    expect(await verifiedInApp(dir.path, admin)).toMatchObject({
      ok: true,
      value: { intact: false, problem: 'key-missing' },
    });
  });
});
