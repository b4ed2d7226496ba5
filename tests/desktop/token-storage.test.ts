// What About says of where sync tokens are kept: the shell's choice (secretStorageFor), in words.
import { describe, expect, it } from 'vitest';
import { describeTokenStorage, TOKENS_IN_MEMORY } from '../../main/app-environment.js';

describe('where sync tokens are kept, in words', () => {
  it.each([
    [{ platform: 'win32', encryptionAvailable: true }, 'Sealed by Windows for your account (DPAPI).'],
    [{ platform: 'darwin', encryptionAvailable: true }, 'Sealed by the macOS keychain.'],
    [
      { platform: 'linux', encryptionAvailable: true, linuxBackend: 'gnome_libsecret' },
      "Sealed by the operating system's keychain (libsecret).",
    ],
    [
      { platform: 'linux', encryptionAvailable: true, linuxBackend: 'kwallet6' },
      "Sealed by the operating system's keychain (KWallet).",
    ],
  ] as const)('sealed: %o', (facts, words) => {
    expect(describeTokenStorage(facts)).toBe(words);
  });

  it('Linux with no keyring reports encryption but keeps tokens in memory only, and says so', () => {
    const words = describeTokenStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' });
    expect(words).toMatch(/^In memory only: this computer has no keychain/);
    expect(words).toContain('each start of Roomy needs one online sign-in');
  });

  it('in memory only, saying why, where the keychain is unknown or encryption is missing', () => {
    expect(describeTokenStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' })).toMatch(
      /^In memory only: which keychain would seal them could not be told/,
    );
    expect(describeTokenStorage({ platform: 'linux', encryptionAvailable: true })).toMatch(/^In memory only/);
    expect(describeTokenStorage({ platform: 'win32', encryptionAvailable: false })).toMatch(
      /^In memory only: the operating system's encryption is not available/,
    );
  });

  it('the browser host, tests and tools, which keep tokens in memory, say so by default', () => {
    expect(TOKENS_IN_MEMORY).toMatch(/^In memory only/);
  });
});
