// Secrets at rest (sync tokens, the audit chain's key): a small file of values encrypted by the
// operating system (Electron's safeStorage: DPAPI, the macOS keychain, the Linux secret service),
// so another account on the computer, or a copy of the data folder, cannot use them.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from './server-connection.js';

/** A cipher that answers at once. */
export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/**
 * Electron's safeStorage since its synchronous calls were deprecated: `reseal` says the key has
 * been rotated (or a stronger one is available), so the value should be encrypted again.
 */
export interface AsyncCipher {
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<{ plain: string; reseal: boolean }>;
}

const fileSchema = z.record(z.string(), z.string());

function readSealed(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Written beside and renamed over, so a crash leaves the old file or the new one. */
function writeSealed(file: string, values: Record<string, string>): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(values), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/**
 * Values in a plain file only this account may read (mode 0600), for where there is no keychain:
 * the browser host, tools and tests keep the audit chain's key here (`<data folder>/keys.json`).
 * Anyone who can read the whole data folder can read it too; the app's keychain prevents that.
 */
export class FileSecretStore implements SecretStore {
  constructor(readonly file: string) {}

  get(key: string): string | undefined {
    return readSealed(this.file)[key];
  }

  set(key: string, value: string): void {
    writeSealed(this.file, { ...readSealed(this.file), [key]: value });
  }

  delete(key: string): void {
    const { [key]: _gone, ...rest } = readSealed(this.file);
    writeSealed(this.file, rest);
  }

  entries(): [string, string][] {
    return Object.entries(readSealed(this.file));
  }
}

/**
 * The app's keychain takes over what a plain file holds (keys a tool or the browser host made in
 * the data folder): each value not sealed yet is sealed, and once all are on disk the file goes.
 */
export async function takeOverPlainSecrets(
  plain: FileSecretStore,
  sealed: AsyncEncryptedFileSecretStore,
): Promise<void> {
  const entries = plain.entries();
  if (entries.length === 0) return;
  for (const [key, value] of entries) if (sealed.get(key) === undefined) sealed.set(key, value);
  await sealed.flushed();
  if (entries.every(([key]) => sealed.isOnDisk(key))) rmSync(plain.file, { force: true });
}

/** With a cipher that answers at once, the file is read and written on every call. */
export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: Cipher,
  ) {}

  get(key: string): string | undefined {
    const sealed = readSealed(this.file)[key];
    if (!sealed) return undefined;
    try {
      return this.cipher.decrypt(Buffer.from(sealed, 'base64'));
    } catch {
      // Sealed by another account or computer: as good as absent (the user signs in online again).
      return undefined;
    }
  }

  set(key: string, value: string): void {
    writeSealed(this.file, { ...readSealed(this.file), [key]: this.cipher.encrypt(value).toString('base64') });
  }

  delete(key: string): void {
    const { [key]: _gone, ...rest } = readSealed(this.file);
    writeSealed(this.file, rest);
  }
}

/**
 * With an asynchronous cipher: every value is decrypted once when the store opens and served from
 * memory, and each change is sealed and written behind, in the order made. A change that cannot be
 * sealed or written stays in memory for this run and is reported; the next start then needs an
 * online sign-in, as with no keychain at all.
 */
export class AsyncEncryptedFileSecretStore implements SecretStore {
  readonly #plain: Map<string, string>;
  readonly #sealed: Record<string, string>;
  #writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly cipher: AsyncCipher,
    private readonly onFailure: (error: unknown) => void,
    plain: Map<string, string>,
    sealed: Record<string, string>,
  ) {
    this.#plain = plain;
    this.#sealed = sealed;
  }

  static async open(
    file: string,
    cipher: AsyncCipher,
    onFailure: (error: unknown) => void,
  ): Promise<AsyncEncryptedFileSecretStore> {
    const sealed = readSealed(file);
    const plain = new Map<string, string>();
    const reseal: string[] = [];
    for (const [key, value] of Object.entries(sealed)) {
      try {
        const opened = await cipher.decrypt(Buffer.from(value, 'base64'));
        plain.set(key, opened.plain);
        if (opened.reseal) reseal.push(key);
      } catch {
        // Sealed by another account or computer, or the keyring is locked for now: absent for this
        // run (the user signs in online again), and left in the file until replaced.
      }
    }
    const store = new AsyncEncryptedFileSecretStore(file, cipher, onFailure, plain, sealed);
    for (const key of reseal) store.set(key, plain.get(key)!);
    return store;
  }

  get(key: string): string | undefined {
    return this.#plain.get(key);
  }

  set(key: string, value: string): void {
    this.#plain.set(key, value);
    this.#queue(key, async () => (await this.cipher.encrypt(value)).toString('base64'));
  }

  delete(key: string): void {
    this.#plain.delete(key);
    this.#queue(key, null);
  }

  /** Resolves once every change made so far is on disk, or reported: the app waits for it before quitting. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  /** Whether the value is sealed in the file (after flushed(): whether it got there). */
  isOnDisk(key: string): boolean {
    return key in this.#sealed;
  }

  /** A value that cannot be sealed leaves the file too: it never keeps an older token than memory. */
  #queue(key: string, seal: (() => Promise<string>) | null): void {
    this.#writes = this.#writes.then(async () => {
      try {
        if (seal) this.#sealed[key] = await seal();
        else delete this.#sealed[key];
      } catch (error) {
        delete this.#sealed[key];
        this.onFailure(error);
      }
      try {
        writeSealed(this.file, this.#sealed);
      } catch (error) {
        this.onFailure(error);
      }
    });
  }
}

/** What getSelectedStorageBackend() names on Linux; 'basic_text' means no keyring was found. */
export type LinuxStorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export type SecretStorage = { kind: 'sealed' } | { kind: 'memory'; reason: string };

/**
 * Where sync tokens may be kept. On Linux with no keyring safeStorage still "encrypts", with a
 * password written into Electron itself: that protects nothing, so tokens then stay in memory
 * (each start needs one online sign-in before the device syncs again).
 */
export function secretStorageFor(facts: {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  linuxBackend?: LinuxStorageBackend;
}): SecretStorage {
  if (!facts.encryptionAvailable)
    return { kind: 'memory', reason: "the operating system's encryption is not available" };
  if (facts.platform === 'linux') {
    if (facts.linuxBackend === 'basic_text')
      return {
        kind: 'memory',
        reason:
          'no keyring was found (GNOME Keyring, KWallet or another secret service): tokens sealed without one could be read by anyone with the file',
      };
    if (!facts.linuxBackend || facts.linuxBackend === 'unknown')
      return { kind: 'memory', reason: 'which keyring seals the tokens could not be determined' };
  }
  return { kind: 'sealed' };
}
