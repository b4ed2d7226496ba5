// Password hashing (argon2id with OWASP's recommended parameters) and the rules a new password
// must meet, shared by the desktop (its local verifiers) and the sync server (its own hashes).
import argon2 from 'argon2';

/** OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** A hash to verify against when the account does not exist, so both paths take as long. */
export function dummyVerifier(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-for-timing');
  return dummyHash;
}

// The most common passwords of public breach lists that are long enough to pass the length rule.
const COMMON = new Set([
  'password1234',
  'password12345',
  'password123456',
  '123456789012',
  '1234567890123',
  'qwertyuiop12',
  'qwertyuiop123',
  'iloveyou1234',
  'administrator',
  'administrator1',
  'welcome12345',
  'letmein12345',
  'changeme1234',
  'passw0rd1234',
  'p@ssw0rd1234',
  'p@ssword1234',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'trustno11234',
  'superman1234',
  'abcdefghijkl',
  'abc123456789',
  'qwerty123456',
  '1q2w3e4r5t6y',
  'zaq12wsxcde3',
  'roomycrm1234',
  'roomy-crm-123',
  'correcthorsebatterystaple',
]);

/** Why a password is too weak, or null if it is acceptable. */
export function passwordWeakness(
  password: string,
  person: { email?: string; firstName?: string; lastName?: string },
): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is one of the most common passwords; choose another';
  if (new Set(lower).size < 5) return 'uses too few different characters';
  if (isSequence(lower)) return 'is a simple sequence of characters';
  const personal = [person.email?.split('@')[0], person.firstName, person.lastName].filter(
    (part): part is string => typeof part === 'string' && part.length >= 3,
  );
  if (personal.some((part) => lower.includes(part.toLowerCase()))) return 'must not contain your name or email';
  return null;
}

function isSequence(text: string): boolean {
  let ascending = 0;
  for (let i = 1; i < text.length; i++) if (text.charCodeAt(i) - text.charCodeAt(i - 1) === 1) ascending++;
  return ascending >= text.length - 2;
}
