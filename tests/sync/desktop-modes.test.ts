// The desktop's two modes: alone (exactly as before), and joined to a sync server; and where a
// synced device keeps its tokens.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesktop, type Desktop } from '../../main/desktop.js';
import { EncryptedFileSecretStore, type Cipher } from '../../main/sync/secret-store.js';
import { tempDir } from '../harness/databases.js';

const disposers: Array<() => void> = [];
afterEach(() => {
  while (disposers.length) disposers.pop()!();
});

function desktopIn(settings?: object): { desktop: Desktop; dir: string } {
  const dir = tempDir('roomy-desktop-');
  if (settings) writeFileSync(join(dir.path, 'settings.json'), JSON.stringify(settings));
  const desktop = createDesktop({
    databaseFile: join(dir.path, 'roomy.db'),
    sleep: async () => {},
    environment: { fleet: { path: join(dir.path, 'fleet.json'), config: {}, problem: null } },
  });
  disposers.push(() => {
    desktop.close();
    dir.remove();
  });
  return { desktop, dir: dir.path };
}

const ADMIN = { email: 'admin@example.com', firstName: 'Marta', lastName: 'Costa', password: 'violet-harbour-tram-58' };

/** AES-256-GCM with a key of its own: a real cipher standing where safeStorage stands in the app. */
function aesCipher(key = randomBytes(32)): Cipher {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('a desktop with no sync server', () => {
  it('works alone exactly as before: setup, its own database, and a sync status that says so', async () => {
    const { desktop } = desktopIn();
    expect(await desktop.call('w', 'auth/status')).toEqual({
      ok: true,
      value: { needsSetup: true, identity: null, syncServerUrl: null },
    });
    expect((await desktop.call('w', 'auth/setup', ADMIN)).ok).toBe(true);
    expect(await desktop.call('w', 'sync/status')).toEqual({ ok: true, value: { mode: 'standalone' } });
    expect(await desktop.call('w', 'sync/conflicts')).toEqual({ ok: true, value: [] });
    expect(desktop.engineOf('w')).toBeUndefined();
    const refused = await desktop.call('w', 'sync/upload-now');
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('joining a sync server', () => {
  it('a new installation joins before anyone signs in; then it signs in with the server, not locally', async () => {
    const { desktop, dir } = desktopIn();
    const bad = await desktop.call('w', 'sync/connect', { syncServerUrl: 'ftp://sync.example' });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { syncServerUrl: expect.any(String) } },
    });
    expect(await desktop.call('w', 'sync/connect', { syncServerUrl: 'https://sync.office.example/' })).toEqual({
      ok: true,
      value: { syncServerUrl: 'https://sync.office.example' },
    });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({
      syncServerUrl: 'https://sync.office.example',
    });
    expect(await desktop.call('w', 'auth/status')).toMatchObject({
      ok: true,
      value: { needsSetup: false, syncServerUrl: 'https://sync.office.example' },
    });
    const setup = await desktop.call('w', 'auth/setup', ADMIN);
    expect(setup).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a computer that already has users is joined by its admin, not by anyone at the door', async () => {
    const { desktop } = desktopIn();
    await desktop.call('w', 'auth/setup', ADMIN);
    const refused = await desktop.call('door', 'sync/connect', { syncServerUrl: 'https://sync.office.example' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await desktop.call('door', 'auth/status')).toMatchObject({ ok: true, value: { syncServerUrl: null } });
  });

  it('the first sign-in needs the server: an unreachable one is named, and nothing is made', async () => {
    const { desktop, dir } = desktopIn({ syncServerUrl: 'http://127.0.0.1:9' });
    const result = await desktop.call('w', 'auth/sign-in', {
      email: 'someone@example.com',
      password: 'whatever-it-is-1',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(!result.ok && result.error.message).toMatch(/cannot be reached.*first sign-in needs the sync server/);
    expect(() => readFileSync(join(dir, 'synced', 'accounts.json'))).toThrow();
    // Refused at the door, the refusal is recorded in this computer's own database.
    const recorded = desktop.database.sqlite.prepare(`SELECT action, entity_id AS operation FROM audit_log`).all();
    expect(recorded).toEqual([{ action: 'call.refused', operation: 'auth/sign-in' }]);
  });
});

describe('tokens at rest', () => {
  it('are sealed: the file holds no token, another key reads nothing, and removal is kept', () => {
    const dir = tempDir('roomy-secrets-');
    disposers.push(() => dir.remove());
    const file = join(dir.path, 'tokens.json');
    const cipher = aesCipher();
    const store = new EncryptedFileSecretStore(file, cipher);
    store.set('sync-tokens a', 'refresh-token-value-123');
    store.set('sync-tokens b', 'another-value-456');
    expect(store.get('sync-tokens a')).toBe('refresh-token-value-123');
    expect(readFileSync(file, 'utf8')).not.toContain('refresh-token-value-123');
    expect(new EncryptedFileSecretStore(file, aesCipher()).get('sync-tokens a')).toBeUndefined();
    store.delete('sync-tokens a');
    expect(new EncryptedFileSecretStore(file, cipher).get('sync-tokens a')).toBeUndefined();
    expect(new EncryptedFileSecretStore(file, cipher).get('sync-tokens b')).toBe('another-value-456');
  });
});
