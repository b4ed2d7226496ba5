// A device holds only what its user may see, and lets go of what leaves their view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncedTableName } from '../../main/core/synced-tables.js';
import { PASSWORD } from '../sync-server/sync-client.js';
import { createDevice, eventually, settled, type TestDevice } from './devices.js';
import { makeProperty, startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
let admin: TestDevice;
let propertyId: string;
let reservationId: string;
let nextStayId: string;
const GUEST_EMAIL = 'ines.guest@example.com';
const GUEST_PHONE = '+351 912 000 111';

beforeAll(async () => {
  office = await startSyncedOffice();
  admin = await office.device('admin', office.people.admin);
  ({ propertyId } = await makeProperty(admin, office));
  const book = async (checkIn: string, checkOut: string, guests: number) =>
    (
      await admin.ok<{ id: string }>('reservations/create', {
        propertyId,
        guestId: office.people.guest.id,
        checkIn,
        checkOut,
        guests,
        totalMinor: 36_000,
        currency: 'EUR',
        guestName: 'Inês Guest',
        guestEmail: GUEST_EMAIL,
        guestPhone: GUEST_PHONE,
        source: 'direct',
        status: 'CONFIRMED',
      })
    ).id;
  reservationId = await book('2027-03-01', '2027-03-04', 2);
  // The guests after the turnover clean: the cleaner prepares the place for them.
  nextStayId = await book('2027-03-06', '2027-03-09', 4);
  await admin.ok('ledger/record', {
    userId: office.people.guest.id,
    reservationId,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    amountMinor: 36_000,
    currency: 'EUR',
    netAmountMinor: 36_000,
  });
  await admin.ok('tasks/create', {
    propertyId,
    reservationId,
    assigneeId: office.people.cleaner.id,
    type: 'CLEANING',
    title: 'Turnover clean',
    scheduledAt: '2027-03-04T11:00:00Z',
    estimatedCostMinor: 4_000,
    currency: 'EUR',
  });
  await settled(admin);
});
afterAll(() => office?.close());

const ALL: SyncedTableName[] = [
  'users',
  'locations',
  'properties',
  'reservations',
  'tasks',
  'ledger_entries',
  'audit_log',
];

describe('what a device holds', () => {
  it('a cleaner’s database has their task, its property and the days of its stays, no ledger row and no guest data', async () => {
    const cleaner = await office.device('cleaner', office.people.cleaner);
    expect(cleaner.rows('ledger_entries').size).toBe(0);
    // The stays at the property: when and how many, no one's name, and no money.
    const stays = cleaner.rows('reservations');
    expect([...stays.keys()].sort()).toEqual([reservationId, nextStayId].sort());
    expect(stays.get(nextStayId)).toMatchObject({ check_in: '2027-03-06', guests: 4, guest_name: '', total_minor: 0 });
    expect([...cleaner.rows('users').keys()]).toEqual([office.people.cleaner.id]);
    const [task] = [...cleaner.rows('tasks').values()];
    expect(task).toMatchObject({ title: 'Turnover clean', estimated_cost_minor: null, cost_minor: null });
    expect(cleaner.rows('properties').get(propertyId)).toMatchObject({ access_notes: 'Key box 1234' });
    // Nothing anywhere in the file mentions the guest's email or phone.
    for (const table of ALL) {
      const text = JSON.stringify([...cleaner.rows(table).values()]);
      expect(text, table).not.toContain(GUEST_EMAIL);
      expect(text, table).not.toContain(GUEST_PHONE);
    }
    // The task page names the next arrival from what the device holds.
    const page = await cleaner.ok<{ nextArrival: { checkIn: string; guests: number } | null }>('tasks/get', {
      id: task!.id,
    });
    expect(page.nextArrival).toEqual({ checkIn: '2027-03-06', guests: 4 });
    for (const table of ALL) expect(JSON.stringify([...cleaner.rows(table).values()]), table).not.toContain('Inês');
    // The cleaner works on their task offline-first like anyone: it reaches the server.
    await cleaner.ok('tasks/set-status', { id: task!.id, status: 'IN_PROGRESS' });
    await settled(cleaner);
    await cleaner.ok('tasks/check-step', { id: task!.id, step: 'Make the beds with fresh linen', done: true });
    await settled(cleaner);
    await eventually(() => expect(admin.rows('tasks').get(String(task!.id))?.status).toBe('IN_PROGRESS'));
    await eventually(() =>
      expect(admin.rows('tasks').get(String(task!.id))?.checklist_done).toBe('["Make the beds with fresh linen"]'),
    );
    expect(cleaner.engine().status().conflicts).toBe(0);
  });

  it('a property moved to another agent leaves the first agent’s device, with its stays and money', async () => {
    const agentA = await office.device('agent-a', office.people.agentA);
    const agentB = await office.device('agent-b', office.people.agentB);
    expect(agentA.rows('properties').has(propertyId)).toBe(true);
    expect(agentA.rows('reservations').has(reservationId)).toBe(true);
    expect(agentA.rows('ledger_entries').size).toBe(1);
    expect(agentB.rows('properties').has(propertyId)).toBe(false);

    await admin.ok('properties/update', { id: propertyId, changes: { agentId: office.people.agentB.id } });
    await eventually(() => {
      expect(agentA.rows('properties').has(propertyId)).toBe(false);
      expect(agentA.rows('reservations').has(reservationId)).toBe(false);
      expect(agentA.rows('tasks').size).toBe(0);
      expect(agentA.rows('ledger_entries').size).toBe(0);
    });
    await eventually(() => {
      expect(agentB.rows('properties').get(propertyId)?.agent_id).toBe(office.people.agentB.id);
      expect(agentB.rows('reservations').has(reservationId)).toBe(true);
      expect(agentB.rows('ledger_entries').size).toBe(1);
    });
  });

  it('people sharing one computer each get their own database, and sign in offline to it later', async () => {
    const computer = createDevice('shared', office.server.url);
    office.devices.push(computer);
    await computer.signIn(office.people.agentB.email);
    await settled(computer);
    const agentFile = computer.engine().replica.sqlite.name;
    expect(computer.rows('properties').has(propertyId)).toBe(true);
    await computer.ok('auth/sign-out');

    await computer.signIn(office.people.cleaner.email);
    await settled(computer);
    expect(computer.engine().replica.sqlite.name).not.toBe(agentFile);
    // The cleaner's own file: the stay's days, none of what the agent's file holds of it.
    expect(computer.rows('reservations').get(reservationId)).toMatchObject({ guest_name: '', guest_email: '' });
    expect(computer.rows('properties').get(propertyId)?.agent_id ?? null).toBeNull();
    await computer.ok('auth/sign-out');

    // Offline, the agent signs in against the verifier kept from their online sign-in.
    computer.network.off();
    const identity = await computer.signIn(office.people.agentB.email);
    expect(identity.userId).toBe(office.people.agentB.id);
    expect(computer.engine().replica.sqlite.name).toBe(agentFile);
    expect(computer.rows('reservations').has(reservationId)).toBe(true);
    expect(
      (await computer.fails('auth/sign-in', { email: office.people.agentB.email, password: 'wrong-password-1' })).code,
    ).toBe('unauthenticated');
    // Someone who never signed in here cannot, offline.
    const stranger = await computer.fails('auth/sign-in', { email: office.people.manager.email, password: PASSWORD });
    expect(stranger.message).toMatch(/first sign-in needs the sync server/);
    computer.network.on();
  });
});
