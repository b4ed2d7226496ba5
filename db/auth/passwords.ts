// Password hashing (argon2id with OWASP's recommended parameters) and the rules a new password
// must meet, shared by the desktop (its local verifiers) and the sync server (its own hashes).
import { createRequire } from 'node:module';
import argon2 from 'argon2';
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';
import type * as ZxcvbnEnglish from '@zxcvbn-ts/language-en';

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

/** zxcvbn's "safely unguessable" band: at least 10^8 guesses. */
const MIN_SCORE = 3;

/** Words of the product itself, guessable by anyone who knows where the password is used. */
const PRODUCT_WORDS = ['roomy', 'crm', 'roomycrm'];

// Published example passphrases that cracking lists carry but zxcvbn's dictionaries lack.
const PUBLISHED_PASSPHRASES = ['correcthorsebatterystaple'];

type Person = { email?: string; firstName?: string; lastName?: string };

let estimator: ZxcvbnCore.ZxcvbnFactory | undefined;

/**
 * The estimator, built on first use: unpacking its dictionaries takes about a second, which
 * neither the app nor the server should pay at start. Loaded with require so that the check stays
 * synchronous; the packages ship CommonJS next to their ES modules.
 */
function passwordEstimator(): ZxcvbnCore.ZxcvbnFactory {
  if (estimator) return estimator;
  const load = createRequire(import.meta.url);
  const { ZxcvbnFactory } = load('@zxcvbn-ts/core') as typeof ZxcvbnCore;
  const common = load('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
  const english = load('@zxcvbn-ts/language-en') as typeof ZxcvbnEnglish;
  const translations = {
    ...english.translations,
    warnings: {
      ...english.translations.warnings,
      // The stock text speaks of "page related data"; the person's own words are refused before.
      userInputs: 'The name of the app is easy to guess.',
    },
  };
  estimator = new ZxcvbnFactory({
    translations,
    graphs: common.adjacencyGraphs,
    dictionary: {
      ...common.dictionary,
      ...english.dictionary,
      'passwords-published': PUBLISHED_PASSPHRASES,
    },
    maxLength: MAX_PASSWORD_LENGTH,
  });
  return estimator;
}

/** Builds the estimator now, e.g. once a server is listening, so no request pays for it. */
export function warmUpPasswordEstimator(): void {
  passwordEstimator();
}

/** The person's own words an attacker aiming at them would try first: names and the email's name. */
function personalWords(person: Person): string[] {
  const parts = [person.email?.split('@')[0], person.firstName, person.lastName].filter(
    (part): part is string => typeof part === 'string',
  );
  // "ana.silva" and "Maria João" are also tried as their separate words; shorter ones would turn
  // up by chance inside unrelated words.
  const words = parts.flatMap((part) => [part, ...part.split(/[\s._+-]+/)]).map((word) => word.trim().toLowerCase());
  return [...new Set(words.filter((word) => word.length >= 3))];
}

/** Why a password is too weak, or null if it is acceptable. Never repeats the password. */
export function passwordWeakness(password: string, person: Person): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  const personal = personalWords(person);
  const { score, feedback, sequence } = passwordEstimator().check(password, [...personal, ...PRODUCT_WORDS]);
  // zxcvbn adds 10^4 guesses for every further piece, so "marta-costa-1990" scores as safe; a
  // targeted guess tries the person's own name first, so any piece read as one refuses it.
  const readAsPersonal = sequence.some(
    (match) => match.dictionaryName === 'userInputs' && personal.includes(String(match.matchedWord)),
  );
  if (readAsPersonal) return 'is too easy to guess: it contains your name or email address. Leave them out.';
  if (score >= MIN_SCORE) return null;
  // zxcvbn's advice is whole sentences; the first is lowercased to follow "password: ".
  const advice = [feedback.warning, ...feedback.suggestions].filter(Boolean).join(' ');
  return advice ? `is too easy to guess: ${advice.charAt(0).toLowerCase()}${advice.slice(1)}` : 'is too easy to guess';
}
