import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildOffice, WINDOW, type Office } from './office.js';
import { createTestCore, STRONG_PASSWORD, type TestCore } from './test-core.js';

let core: TestCore;
let office: Office;
beforeEach(async () => {
  core = createTestCore();
  office = await buildOffice(core);
});
afterEach(() => core.dispose());

const adminId = () => core.database.sqlite.prepare(`SELECT id FROM users WHERE role = 'ADMIN'`).pluck().get() as string;
const newUser = (role: string, extra: Record<string, unknown> = {}) => ({
  email: `${role.toLowerCase()}-new@example.com`,
  firstName: 'New',
  lastName: 'Person',
  role,
  ...extra,
});

describe('user administration', () => {
  it('lets a manager administer everyone but admins', async () => {
    await core.ok(WINDOW.MANAGER, 'users/create', newUser('AGENT'));
    expect((await core.fails(WINDOW.MANAGER, 'users/create', newUser('ADMIN'))).code).toBe('forbidden');
    expect(
      (await core.fails(WINDOW.MANAGER, 'users/update', { id: adminId(), changes: { firstName: 'X' } })).code,
    ).toBe('forbidden');
    expect(
      (await core.fails(WINDOW.MANAGER, 'users/update', { id: office.ids.agentA, changes: { role: 'ADMIN' } })).code,
    ).toBe('forbidden');
    expect((await core.fails(WINDOW.MANAGER, 'users/deactivate', { id: adminId() })).code).toBe('forbidden');
  });

  it('lets an agent keep guest records only, and see their own guests', async () => {
    const guest = await core.ok<{ id: string }>(WINDOW.AGENT, 'users/create', newUser('GUEST'));
    expect(guest.id).toBeTruthy();
    expect((await core.fails(WINDOW.AGENT, 'users/create', newUser('CLEANER'))).code).toBe('forbidden');
    const seen = await core.ok<{ items: { role: string }[] }>(WINDOW.AGENT, 'users/list', {
      role: ['ADMIN', 'MANAGER'],
    });
    expect(seen.items).toEqual([]);
  });

  it('refuses anyone changing their own role or deactivating themselves', async () => {
    expect((await core.fails(WINDOW.ADMIN, 'users/update', { id: adminId(), changes: { role: 'AGENT' } })).code).toBe(
      'forbidden',
    );
    expect((await core.fails(WINDOW.ADMIN, 'users/deactivate', { id: adminId() })).code).toBe('forbidden');
  });

  it('deactivating a user signs them out and keeps them out', async () => {
    await core.ok(WINDOW.ADMIN, 'users/deactivate', { id: office.ids.agentA });
    expect((await core.fails(WINDOW.AGENT, 'auth/me')).code).toBe('unauthenticated');
    const again = await core.fails('w', 'auth/sign-in', { email: 'alice@example.com', password: STRONG_PASSWORD });
    expect(again).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/inactive/) });
  });

  it('a demoted user loses the old rights on their next call, in the window already open', async () => {
    await core.ok(WINDOW.ADMIN, 'users/update', { id: office.ids.manager, changes: { role: 'CLEANER' } });
    expect((await core.fails(WINDOW.MANAGER, 'users/create', newUser('MANAGER'))).code).toBe('forbidden');
    expect(await core.ok(WINDOW.MANAGER, 'auth/me')).toMatchObject({ role: 'CLEANER' });
    await core.ok(WINDOW.ADMIN, 'users/update', { id: office.ids.manager, changes: { role: 'GUEST' } });
    expect((await core.fails(WINDOW.MANAGER, 'auth/me')).code).toBe('unauthenticated');
  });

  it('suspended users cannot sign in', async () => {
    await core.ok(WINDOW.ADMIN, 'users/update', { id: office.ids.agentB, changes: { status: 'SUSPENDED' } });
    expect(
      (await core.fails('w', 'auth/sign-in', { email: 'bruno@example.com', password: STRONG_PASSWORD })).message,
    ).toMatch(/suspended/);
  });

  it('deletes a user only when nothing references them', async () => {
    const error = await core.fails(WINDOW.ADMIN, 'users/delete', { id: office.ids.ownerA });
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/1 properties \(owner\)/) });
    const lonely = await core.ok<{ id: string }>(
      WINDOW.ADMIN,
      'users/create',
      newUser('CLEANER', { password: 'quiet-meadow-river-77' }),
    );
    await core.ok(WINDOW.ADMIN, 'users/delete', { id: lonely.id });
    expect((await core.fails(WINDOW.ADMIN, 'users/get', { id: lonely.id })).code).toBe('not_found');
  });

  it('sets a password for a staff member, who can then sign in with it', async () => {
    await core.ok(WINDOW.ADMIN, 'users/set-password', { id: office.ids.cleaner, password: 'sunny-orchard-bridge-31' });
    await core.ok('w', 'auth/sign-in', { email: 'clara@example.com', password: 'sunny-orchard-bridge-31' });
    expect(
      (await core.fails(WINDOW.ADMIN, 'users/set-password', { id: office.ids.cleaner, password: 'short' })).fields,
    ).toHaveProperty('password');
  });

  it('refuses a guessable password for someone, saying why, and keeps the old one', async () => {
    const error = await core.fails(WINDOW.ADMIN, 'users/set-password', {
      id: office.ids.cleaner,
      password: 'qwertyuiop123',
    });
    expect(error).toMatchObject({
      code: 'validation',
      fields: {
        password: expect.stringMatching(/^is too easy to guess: this is similar to a commonly used password\./),
      },
    });
    expect(error.message).toBe(`password: ${error.fields?.password}`);
    expect(error.message).not.toContain('qwertyuiop123');
    expect(
      (await core.fails(WINDOW.ADMIN, 'users/create', newUser('AGENT', { password: 'New.Person.2024' }))).fields,
    ).toEqual({ password: 'is too easy to guess: it contains your name or email address. Leave them out.' });
    await core.ok('w', 'auth/sign-in', { email: 'clara@example.com', password: STRONG_PASSWORD });
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const count = () =>
      core.database.sqlite
        .prepare(
          "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_log WHERE action <> 'call.refused')",
        )
        .pluck()
        .get();
    const before = count();
    expect(
      (await core.fails(WINDOW.ADMIN, 'users/create', newUser('AGENT', { email: 'not-an-email' }))).fields,
    ).toHaveProperty('email');
    expect(
      (await core.fails(WINDOW.ADMIN, 'users/create', newUser('AGENT', { email: 'alice@example.com' }))).code,
    ).toBe('conflict');
    expect(count()).toBe(before);
  });
});
