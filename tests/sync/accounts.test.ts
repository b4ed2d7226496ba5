// Accounts with a sync server. Passwords are the server's: whatever a desktop sets, people sign in
// with on any computer; what the server refuses (or cannot hear) leaves the device as it was. A
// window nobody is signed in to can neither redirect the computer nor reach the server as someone.
// And a person's database keeps its device id, which the server knows it by.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, PASSWORD } from '../sync-server/sync-client.js';
import { createDevice, settled, type TestDevice } from './devices.js';
import { startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
let admin: TestDevice;
beforeAll(async () => {
  office = await startSyncedOffice();
  admin = await office.device('admin', office.people.admin);
});
afterAll(() => office?.close());

let made = 0;
const NEW_PASSWORD = 'Lighthouse-Cobble-77';

/** Whether the server takes these credentials (on a computer this person never used). */
async function serverAccepts(email: string, password: string): Promise<boolean> {
  const elsewhere = createDevice(`elsewhere-${++made}`, office.server.url);
  office.devices.push(elsewhere);
  const result = await elsewhere.desktop.call('window-1', 'auth/sign-in', { email, password });
  return result.ok;
}

describe('passwords with a sync server', () => {
  it('a person added on a desktop with a password signs in with it on another computer', async () => {
    const email = `added-${Date.now()}@example.com`;
    const user = await admin.ok<{ id: string }>('users/create', {
      email,
      firstName: 'Added',
      lastName: 'Here',
      role: 'AGENT',
      password: NEW_PASSWORD,
    });
    expect(await serverAccepts(email, NEW_PASSWORD)).toBe(true);
    await settled(admin);
    expect(admin.rows('users').has(user.id)).toBe(true);
  });

  it("an administrator's new password for someone is the one the server takes", async () => {
    const person = office.people.agentB;
    await admin.ok('users/set-password', { id: person.id, password: NEW_PASSWORD });
    expect(await serverAccepts(person.email, NEW_PASSWORD)).toBe(true);
    expect(await serverAccepts(person.email, PASSWORD)).toBe(false);
  });

  it('a password the server finds weak is refused with the field named, and nothing changes', async () => {
    const person = office.people.cleaner;
    const error = await admin.fails('users/set-password', { id: person.id, password: 'aaaaaaaaaaaa' });
    expect(error.code).toBe('validation');
    expect(error.message).toMatch(/^password:/);
    expect(await serverAccepts(person.email, PASSWORD)).toBe(true);
  });

  it('changing your own password changes it on the server, and a wrong current one is refused there', async () => {
    const device = await office.device('manager', office.people.manager);
    const wrong = await device.fails('auth/change-password', {
      currentPassword: 'Not-The-Password-1',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.code).toBe('validation');
    expect(wrong.fields).toHaveProperty('currentPassword');

    await device.ok('auth/change-password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(await serverAccepts(office.people.manager.email, NEW_PASSWORD)).toBe(true);
    expect(await serverAccepts(office.people.manager.email, PASSWORD)).toBe(false);

    // The device's own copy follows: the new password signs in here offline too.
    device.network.off();
    const again = await device.desktop.call('window-1', 'auth/sign-in', {
      email: office.people.manager.email,
      password: NEW_PASSWORD,
    });
    expect(again.ok).toBe(true);
    device.network.on();
  });

  it('offline, a password cannot be changed: the message says why, and the old one still works', async () => {
    const device = await office.device('owner', office.people.owner);
    device.network.off();
    const error = await device.fails('auth/change-password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(error.message).toMatch(/sync server/);
    const offline = await device.desktop.call('window-1', 'auth/sign-in', {
      email: office.people.owner.email,
      password: PASSWORD,
    });
    expect(offline.ok).toBe(true);
    device.network.on();
    expect(await serverAccepts(office.people.owner.email, PASSWORD)).toBe(true);
  });
});

describe('a window nobody is signed in to', () => {
  it('cannot point this computer at another sync server once people sign in here with this one', async () => {
    const error = await admin.desktop.call('door', 'sync/connect', { syncServerUrl: 'https://elsewhere.example' });
    expect(error).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const settings = admin.desktop.call('door', 'auth/status', undefined);
    expect(await settings).toMatchObject({ ok: true, value: { syncServerUrl: office.server.url } });
  });

  it("a window signed out elsewhere cannot set a password on the server with its user's tokens", async () => {
    const manager = await addUser(office.server.central, 'MANAGER');
    const device = await office.device('two-windows', manager);
    await device.ok('auth/me');
    expect(
      (await device.desktop.call('window-2', 'auth/sign-in', { email: manager.email, password: PASSWORD })).ok,
    ).toBe(true);
    // Changing the password in window 1 signs window 2 out.
    await device.ok('auth/change-password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    const person = office.people.cleaner;
    const error = await device.desktop.call('window-2', 'users/set-password', {
      id: person.id,
      password: NEW_PASSWORD,
    });
    expect(error).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await serverAccepts(person.email, PASSWORD)).toBe(true);
  });
});

describe('signing in again', () => {
  it('with the accounts file lost, the database keeps its device id and its changes still go up', async () => {
    const first = await office.device('forgetful', office.people.agentA);
    const deviceId = first.desktop
      .engineOf('window-1')!
      .replica.sqlite.prepare("SELECT value FROM device_meta WHERE key = 'device_id'")
      .pluck()
      .get() as string;
    expect(deviceId).toBeTruthy();
    first.close();
    rmSync(join(first.folder, 'synced', 'accounts.json'));
    const again = first.reopen();
    office.devices.push(again);
    await again.signIn(office.people.agentA.email);
    await settled(again);
    await again.ok('users/create', {
      email: `guest-${Date.now()}@example.com`,
      firstName: 'After',
      lastName: 'The Lost File',
      role: 'GUEST',
    });
    await settled(again);
    expect(again.engine().status()).toMatchObject({ waiting: 0, conflicts: 0 });
  });
});
