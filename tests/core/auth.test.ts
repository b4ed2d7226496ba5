import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAILURES_BEFORE_LOCK, LOCK_MINUTES } from '../../db/auth/lockout.js';
import { verifyAuditChain } from '../../main/core/audit-chain.js';
import { createTestCore, setUpAdmin, STRONG_PASSWORD, type TestCore } from './test-core.js';

let core: TestCore;
beforeEach(() => {
  core = createTestCore();
});
afterEach(() => core.dispose());

const auditActions = () =>
  core.database.sqlite.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all() as string[];

describe('first run', () => {
  it('needs setup when there are no users, and setup creates the first admin, signed in', async () => {
    expect(await core.ok('w1', 'auth/status')).toEqual({ needsSetup: true, identity: null, syncServerUrl: null });
    const admin = await setUpAdmin(core, 'w1');
    expect(admin).toMatchObject({ role: 'ADMIN', email: 'admin@example.com' });
    expect(await core.ok('w1', 'auth/me')).toEqual(admin);
    expect(await core.ok('w2', 'auth/status')).toEqual({ needsSetup: false, identity: null, syncServerUrl: null });
    const verifier = core.database.sqlite.prepare('SELECT verifier FROM local_credentials').pluck().get() as string;
    expect(verifier).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('runs once: a second setup is refused', async () => {
    await setUpAdmin(core);
    const error = await core.fails('w2', 'auth/setup', {
      email: 'x@example.com',
      firstName: 'X',
      lastName: 'Y',
      password: STRONG_PASSWORD,
    });
    expect(error.code).toBe('conflict');
    expect(core.database.sqlite.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
  });

  it.each([
    ['short', 'Tr4m-58!', /at least 12 characters/],
    ['common', 'password1234', /^is too easy to guess: this is similar to a commonly used password\./],
    ['sequence', 'abcdefghijklmn', /common character sequences/],
    ['repetitive', 'aaaaaaaaaaaaaaaa', /repeated characters like "aaa" are easy to guess/],
    ['keyboard-walk', 'qwertyuiop[]', /straight rows of keys on your keyboard/],
    ['date', '12/04/1985!!!', /dates are easy to guess/],
    ['personal', 'marta-costa-rocks', /contains your name or email address/],
  ])('refuses a %s password, naming the field and why', async (_kind, password, message) => {
    const error = await core.fails('w1', 'auth/setup', {
      email: 'admin@example.com',
      firstName: 'Marta',
      lastName: 'Costa',
      password,
    });
    expect(error.code).toBe('validation');
    expect(error.fields?.password).toMatch(message);
    expect(error.message).toBe(`password: ${error.fields?.password}`);
    expect(error.message).not.toContain(password);
    expect(core.database.sqlite.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
  });
});

describe('sign-in', () => {
  beforeEach(() => setUpAdmin(core, 'setup-window'));

  it('signs in with the right password and audits it; identity is bound to the caller', async () => {
    const identity = await core.ok('w1', 'auth/sign-in', { email: 'ADMIN@example.com', password: STRONG_PASSWORD });
    expect(identity).toMatchObject({ role: 'ADMIN' });
    expect((await core.fails('other-window', 'auth/me')).code).toBe('unauthenticated');
    expect(auditActions()).toContain('auth.sign-in');
  });

  it('refuses a wrong password or an unknown email alike, slows down, and audits each failure', async () => {
    const wrong = await core.fails('w1', 'auth/sign-in', {
      email: 'admin@example.com',
      password: 'wrong-password-123',
    });
    const unknown = await core.fails('w1', 'auth/sign-in', {
      email: 'nobody@example.com',
      password: 'wrong-password-123',
    });
    expect(wrong).toMatchObject({ code: 'unauthenticated' });
    expect(unknown.message).toBe(wrong.message);
    expect(core.slept.length).toBe(2);
    expect(auditActions().filter((a) => a === 'auth.sign-in-failed')).toHaveLength(2);
    expect((await core.fails('w1', 'auth/me')).code).toBe('unauthenticated');
  });

  it('locks the account after repeated failures, even against the right password, until the lock expires', async () => {
    for (let i = 0; i < FAILURES_BEFORE_LOCK; i++) {
      await core.fails('w1', 'auth/sign-in', { email: 'admin@example.com', password: `wrong-password-${i}` });
    }
    expect(core.slept).toEqual([250, 500, 1000, 2000, 4000]);
    const locked = await core.fails('w1', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
    expect(locked.code).toBe('locked');
    core.clock.advance(LOCK_MINUTES * 60_000 + 1);
    await core.ok('w1', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
  });

  it('counts guesses sent in parallel, so they cannot outrun the lock', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        core.call(`w${i}`, 'auth/sign-in', { email: 'admin@example.com', password: `parallel-guess-${i}` }),
      ),
    );
    const locked = await core.fails('w1', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
    expect(locked.code).toBe('locked');
  });

  it('signs out, and the session is gone', async () => {
    await core.ok('w1', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
    await core.ok('w1', 'auth/sign-out');
    expect((await core.fails('w1', 'auth/me')).code).toBe('unauthenticated');
    expect(auditActions()).toContain('auth.sign-out');
  });

  it('changes the password: the old one stops working, the new one works', async () => {
    await core.ok('w1', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
    expect(
      (
        await core.fails('w1', 'auth/change-password', {
          currentPassword: 'not-it-at-all-1',
          newPassword: 'amber-lantern-quay-91',
        })
      ).fields,
    ).toHaveProperty('currentPassword');
    await core.ok('w1', 'auth/change-password', {
      currentPassword: STRONG_PASSWORD,
      newPassword: 'amber-lantern-quay-91',
    });
    expect(
      (await core.fails('w2', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD })).code,
    ).toBe('unauthenticated');
    await core.ok('w2', 'auth/sign-in', { email: 'admin@example.com', password: 'amber-lantern-quay-91' });
  });

  it('refuses a guessable new password, saying why, and keeps the old one', async () => {
    await core.ok('w1', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
    const error = await core.fails('w1', 'auth/change-password', {
      currentPassword: STRONG_PASSWORD,
      newPassword: 'Costa.Marta.1990',
    });
    expect(error).toMatchObject({
      code: 'validation',
      message: 'newPassword: is too easy to guess: it contains your name or email address. Leave them out.',
      fields: { newPassword: 'is too easy to guess: it contains your name or email address. Leave them out.' },
    });
    await core.ok('w2', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
  });

  it('keeps the audit chain intact through all of it', async () => {
    await core.fails('w1', 'auth/sign-in', { email: 'admin@example.com', password: 'wrong-password-1' });
    await core.ok('w1', 'auth/sign-in', { email: 'admin@example.com', password: STRONG_PASSWORD });
    await core.ok('w1', 'auth/sign-out');
    expect(verifyAuditChain(core.database.sqlite)).toMatchObject({ intact: true });
  });
});
