// Sync tokens at rest: a small file of values encrypted by the operating system (Electron's
// safeStorage: DPAPI, the macOS keychain, libsecret), so another account on the computer, or a
// copy of the data folder, cannot use them.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from './server-connection.js';

export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

const fileSchema = z.record(z.string(), z.string());

export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: Cipher,
  ) {}

  get(key: string): string | undefined {
    const sealed = this.#read()[key];
    if (!sealed) return undefined;
    try {
      return this.cipher.decrypt(Buffer.from(sealed, 'base64'));
    } catch {
      // Sealed by another account or computer: as good as absent (the user signs in online again).
      return undefined;
    }
  }

  set(key: string, value: string): void {
    this.#write({ ...this.#read(), [key]: this.cipher.encrypt(value).toString('base64') });
  }

  delete(key: string): void {
    const { [key]: _gone, ...rest } = this.#read();
    this.#write(rest);
  }

  #read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    return parsed.success ? parsed.data : {};
  }

  /** Written beside and renamed over, so a crash leaves the old file or the new one. */
  #write(values: Record<string, string>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(values), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }
}
