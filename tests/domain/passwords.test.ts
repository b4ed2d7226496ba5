// The password rules shared by the desktop and the sync server: zxcvbn's estimate with the
// person's own words as guessable, and a reason in plain words for every refusal.
import { describe, expect, it } from 'vitest';
import { passwordWeakness } from '../../db/auth/passwords.js';

const ana = { email: 'ana.silva@example.com', firstName: 'Ana', lastName: 'Silva' };
const marta = { email: 'marta@example.com', firstName: 'Marta', lastName: 'Costa' };

/** The refusal for `password`, checked to read as advice that follows "password: " and to keep the password out. */
function refusal(password: string, person = ana): string {
  const message = passwordWeakness(password, person);
  expect(message, password).not.toBeNull();
  expect(message).toMatch(/^is too easy to guess: [a-z]/);
  expect(message).not.toContain(password);
  return message!;
}

describe('password length', () => {
  it('keeps the minimum of 12 and the maximum of 256 characters', () => {
    expect(passwordWeakness('Tr4m-58!qz', ana)).toBe('must be at least 12 characters long');
    expect(passwordWeakness('violet-harbour-tram-58-'.repeat(12).slice(0, 257), ana)).toBe(
      'must be at most 256 characters long',
    );
  });
});

describe('guessable passwords are refused, saying why', () => {
  it.each([
    ['password1234', /this is similar to a commonly used password\. Add more words that are less common\.$/],
    ['qwertyuiop123', /similar to a commonly used password/],
    ['123456789012', /this is a commonly used password/],
    ['1q2w3e4r5t6y', /this is a commonly used password/],
    ['correcthorsebatterystaple', /this is a heavily used password/],
    ['CorrectHorseBatteryStaple', /this is a heavily used password/],
  ])('a common password: %s', (password, reason) => {
    expect(refusal(password)).toMatch(reason);
  });

  it.each(['qwertyuiop[]', 'asdfghjkl;zxcv', 'zxcvbnm,./asdf'])('a keyboard walk: %s', (password) => {
    expect(refusal(password)).toMatch(
      /straight rows of keys on your keyboard are easy to guess.*longer keyboard patterns/,
    );
  });

  it.each([
    ['zzzzzzzzzzzzzz', /repeated characters like "aaa" are easy to guess.*Avoid repeated words and characters\./],
    ['abcabcabcabcabc', /repeated character patterns like "abcabcabc" are easy to guess/],
    ['121212121212', /repeated character patterns/],
  ])('a repeat: %s', (password, reason) => {
    expect(refusal(password)).toMatch(reason);
  });

  it('a sequence', () => {
    expect(refusal('abcdefghijklmn')).toMatch(/common character sequences like "abc" are easy to guess/);
  });

  it.each(['12/04/1985!!!', '1985-04-12!!!', '04-12-1985xyz'])('a date: %s', (password) => {
    expect(refusal(password)).toMatch(/dates are easy to guess.*Avoid dates and years that are associated with you\./);
  });

  it.each(['Ana.Silva-2024', 'AnaSilva2024', 'silva-ana-rocks', 'ana.silva.12345', 'SILVA!!ana!!2024'])(
    "the person's name or email: %s",
    (password) => {
      expect(refusal(password, ana)).toBe(
        'is too easy to guess: it contains your name or email address. Leave them out.',
      );
      // The same password is someone else's to use: it is the person's own words that weaken it.
      expect(passwordWeakness(password, marta)).toBeNull();
    },
  );

  it("the app's name", () => {
    expect(refusal('roomycrm1234')).toMatch(/the name of the app is easy to guess/);
  });
});

describe('strong passwords are accepted', () => {
  it.each([
    'violet-harbour-tram-58',
    'lemon-courtyard-bicycle-42',
    'mirror kettle walnut sunrise',
    'copper-willow-fjord-19',
    'T7#qL9!vZp2@wX',
    'banana-split-river-42',
  ])('%s', (password) => {
    expect(passwordWeakness(password, ana)).toBeNull();
  });
});
