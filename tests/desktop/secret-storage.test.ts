// Sync tokens at rest with Electron 45's asynchronous safeStorage: sealed in a file, read back
// once at start, written behind in order, re-sealed when the key rotates, and kept in memory only
// where no keyring protects them (Linux's 'basic_text'). The operating system's cipher is stood
// in for by AES-256-GCM with a key of the test's own.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AsyncEncryptedFileSecretStore,
  EncryptedFileSecretStore,
  FileSecretStore,
  secretStorageFor,
  takeOverPlainSecrets,
  type AsyncCipher,
  type Cipher,
} from '../../main/sync/secret-store.js';
import { tempDir } from '../harness/databases.js';

const disposers: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

function tokensFile(): string {
  const dir = tempDir('roomy-tokens-');
  disposers.push(() => dir.remove());
  return join(dir.path, 'synced', 'tokens.json');
}

function seal(key: Buffer, plain: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function unseal(key: Buffer, sealed: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}

/** Seals with `current`; opens what `previous` sealed too, asking for it to be sealed again. */
function asyncCipher(current = randomBytes(32), previous?: Buffer): AsyncCipher & { sealed: string[] } {
  const sealed: string[] = [];
  return {
    sealed,
    encrypt: async (plain) => {
      sealed.push(plain);
      return seal(current, plain);
    },
    decrypt: async (value) => {
      try {
        return { plain: unseal(current, value), reseal: false };
      } catch (error) {
        if (!previous) throw error;
        return { plain: unseal(previous, value), reseal: true };
      }
    },
  };
}

describe('tokens sealed by an asynchronous cipher', () => {
  it('are sealed on disk, read back at the next start, and unreadable with another key', async () => {
    const file = tokensFile();
    const key = randomBytes(32);
    const store = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(key), (error) => {
      throw error;
    });
    store.set('sync-tokens a', 'refresh-token-value-123');
    store.set('sync-tokens b', 'another-value-456');
    // Served from memory at once, before the writes land.
    expect(store.get('sync-tokens a')).toBe('refresh-token-value-123');
    await store.flushed();
    expect(readFileSync(file, 'utf8')).not.toMatch(/refresh-token-value-123|another-value-456/);

    const again = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(key), () => {});
    expect(again.get('sync-tokens a')).toBe('refresh-token-value-123');
    const stranger = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(), () => {});
    expect(stranger.get('sync-tokens a')).toBeUndefined();
    // What it cannot read stays in the file (a keyring locked for now is not a lost token).
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(['sync-tokens a', 'sync-tokens b']);
  });

  it('writes changes in the order made: the last one wins on disk', async () => {
    const file = tokensFile();
    const key = randomBytes(32);
    const store = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(key), () => {});
    store.set('sync-tokens a', 'first');
    store.set('sync-tokens b', 'kept');
    store.set('sync-tokens a', 'second');
    store.delete('sync-tokens b');
    store.set('sync-tokens c', 'third');
    store.delete('sync-tokens c');
    await store.flushed();
    const reopened = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(key), () => {});
    expect(['sync-tokens a', 'sync-tokens b', 'sync-tokens c'].map((k) => reopened.get(k))).toEqual([
      'second',
      undefined,
      undefined,
    ]);
  });

  it('seals again what an earlier key sealed, when the cipher asks', async () => {
    const file = tokensFile();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const first = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(oldKey), () => {});
    first.set('sync-tokens a', 'rotating-token');
    await first.flushed();

    const rotated = asyncCipher(newKey, oldKey);
    const store = await AsyncEncryptedFileSecretStore.open(file, rotated, () => {});
    expect(store.get('sync-tokens a')).toBe('rotating-token');
    await store.flushed();
    expect(rotated.sealed).toEqual(['rotating-token']);
    const sealed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(unseal(newKey, Buffer.from(sealed['sync-tokens a']!, 'base64'))).toBe('rotating-token');
  });

  it('keeps a token it cannot seal in memory, reports it, and leaves no older one on disk', async () => {
    const file = tokensFile();
    const key = randomBytes(32);
    const failures: unknown[] = [];
    const working = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(key), () => {});
    working.set('sync-tokens a', 'old-token');
    await working.flushed();

    const refusing: AsyncCipher = {
      encrypt: async () => {
        throw new Error('the keychain refused');
      },
      decrypt: asyncCipher(key).decrypt,
    };
    const store = await AsyncEncryptedFileSecretStore.open(file, refusing, (error) => failures.push(error));
    store.set('sync-tokens a', 'new-token');
    await store.flushed();
    expect(store.get('sync-tokens a')).toBe('new-token');
    expect(failures.map(String)).toEqual(['Error: the keychain refused']);
    const reopened = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(key), () => {});
    expect(reopened.get('sync-tokens a')).toBeUndefined();
  });

  it('reads what the synchronous safeStorage sealed before', async () => {
    const file = tokensFile();
    const key = randomBytes(32);
    const synchronous: Cipher = { encrypt: (plain) => seal(key, plain), decrypt: (value) => unseal(key, value) };
    new EncryptedFileSecretStore(file, synchronous).set('sync-tokens a', 'from-before');
    const store = await AsyncEncryptedFileSecretStore.open(file, asyncCipher(key), () => {});
    expect(store.get('sync-tokens a')).toBe('from-before');
  });
});

describe('where tokens may be kept', () => {
  it('sealed where the operating system encrypts with a keychain', () => {
    for (const platform of ['win32', 'darwin'] as const)
      expect(secretStorageFor({ platform, encryptionAvailable: true })).toEqual({ kind: 'sealed' });
    for (const linuxBackend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const)
      expect(secretStorageFor({ platform: 'linux', encryptionAvailable: true, linuxBackend })).toEqual({
        kind: 'sealed',
      });
  });

  it('in memory only on Linux with no keyring, where "encrypted" would protect nothing', () => {
    expect(secretStorageFor({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' })).toEqual({
      kind: 'memory',
      reason:
        'no keyring was found (GNOME Keyring, KWallet or another secret service): tokens sealed without one could be read by anyone with the file',
    });
    expect(secretStorageFor({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' })).toMatchObject({
      kind: 'memory',
    });
  });

  it('in memory only where encryption is not available at all', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const)
      expect(secretStorageFor({ platform, encryptionAvailable: false, linuxBackend: 'gnome_libsecret' })).toEqual({
        kind: 'memory',
        reason: "the operating system's encryption is not available",
      });
  });
});

describe('the audit chain key outside the keychain', () => {
  it('is kept in keys.json readable by this account only, and the keychain takes it over, leaving no file', async () => {
    const file = tokensFile();
    const plain = new FileSecretStore(join(file, '..', '..', 'keys.json'));
    plain.set('audit-chain local', '{"key":"c2VjcmV0"}');
    expect(new FileSecretStore(plain.file).get('audit-chain local')).toBe('{"key":"c2VjcmV0"}');
    if (process.platform !== 'win32') expect(statSync(plain.file).mode & 0o777).toBe(0o600);

    const cipher = asyncCipher();
    const sealed = await AsyncEncryptedFileSecretStore.open(file, cipher, () => {});
    sealed.set('sync-tokens a', 'token');
    await takeOverPlainSecrets(plain, sealed);
    expect(existsSync(plain.file)).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain('c2VjcmV0');
    const reopened = await AsyncEncryptedFileSecretStore.open(file, cipher, () => {});
    expect(reopened.get('audit-chain local')).toBe('{"key":"c2VjcmV0"}');
    expect(reopened.get('sync-tokens a')).toBe('token');
  });

  it('stays in keys.json when the keychain cannot seal it', async () => {
    const file = tokensFile();
    const plain = new FileSecretStore(join(file, '..', '..', 'keys.json'));
    plain.set('audit-chain local', 'the record');
    const failing: AsyncCipher = {
      encrypt: () => Promise.reject(new Error('the keyring is locked')),
      decrypt: () => Promise.reject(new Error('the keyring is locked')),
    };
    const reported: unknown[] = [];
    const sealed = await AsyncEncryptedFileSecretStore.open(file, failing, (error) => reported.push(error));
    await takeOverPlainSecrets(plain, sealed);
    expect(reported).not.toHaveLength(0);
    expect(new FileSecretStore(plain.file).get('audit-chain local')).toBe('the record');
  });
});
