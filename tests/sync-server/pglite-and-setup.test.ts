// The embedded default (PGlite) end to end once, the first-admin command, and configuration checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentralDatabase } from '../../db/central-database.js';
import { createFirstAdmin } from '../../sync-server/create-admin.js';
import { ConfigError, loadConfig } from '../../sync-server/config.js';
import { locationRow, propertyRow, reservationRow, userRow } from '../db/fixtures.js';
import { ApiClient, changeset, insert, startSyncServer, until, type TestSyncServer } from './sync-harness.js';

describe('on the embedded PGlite', () => {
  let env: TestSyncServer;
  beforeAll(async () => {
    env = await startSyncServer({}, { pglite: true });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('the first admin signs in, syncs a shape, and sees changes and conflicts as on Postgres', async () => {
    expect(env.central.kind).toBe('pglite');
    await createFirstAdmin(env.central, {
      email: 'Owner.Of@Office.example',
      firstName: 'Rita',
      lastName: 'Moreira',
      password: 'Lighthouse-Sardine-77',
    });
    await expect(
      createFirstAdmin(env.central, {
        email: 'b@office.example',
        firstName: 'B',
        lastName: 'B',
        password: 'Lighthouse-Sardine-77',
      }),
    ).rejects.toThrow(/already has an administrator/);
    const admin = await ApiClient.signIn(env.url, 'owner.of@office.example', 'Lighthouse-Sardine-77');
    const { shape, stream } = admin.shape('users');
    expect((await shape.rows).map((r) => r.email)).toEqual(['owner.of@office.example']);

    const location = locationRow();
    const property = propertyRow(location.id);
    const guest = userRow({ role: 'GUEST' });
    const stay = reservationRow(property.id, guest.id);
    const [applied] = await admin.push(
      changeset([
        insert('locations', location),
        insert('properties', property),
        insert('users', guest),
        insert('reservations', stay),
      ]),
    );
    expect(applied).toMatchObject({ status: 'applied' });
    await until(shape, (rows) => rows.has(guest.id));
    const [overlap] = await admin.push(changeset([insert('reservations', reservationRow(property.id, guest.id))]));
    expect(overlap).toMatchObject({ status: 'rejected', code: 'conflict' });
    stream.unsubscribeAll();
  });
});

describe('the first admin', () => {
  it('is refused a weak password, and nothing is written', async () => {
    const central = await openCentralDatabase({ pgliteDataDir: 'memory' });
    try {
      await expect(
        createFirstAdmin(central, {
          email: 'a@office.example',
          firstName: 'Ana',
          lastName: 'Silva',
          password: 'short',
        }),
      ).rejects.toThrow(/password: must be at least 12 characters/);
      expect(await central.query(`SELECT * FROM users`)).toEqual([]);
    } finally {
      await central.close();
    }
  });
});

describe('configuration', () => {
  it('defaults to the embedded database in a data folder', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeNull();
    expect(config.port).toBe(8787);
    expect(config.dataDir).toMatch(/\.roomy-sync$/);
  });

  it('names each wrong variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', ROOMY_SYNC_ALLOWED_ORIGINS: 'not a url' })).toThrow(
      /PORT: must be a whole number.*ROOMY_SYNC_ALLOWED_ORIGINS.*LOG_LEVEL/,
    );
  });

  it('needs a token secret with a real database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://roomy@db.internal/roomy' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ DATABASE_URL: 'postgres://roomy@db.internal/roomy', ROOMY_SYNC_TOKEN_SECRET: 'short' }),
    ).toThrow(/ROOMY_SYNC_TOKEN_SECRET: must be at least 32/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db.internal/roomy' })).toThrow(/DATABASE_URL: must be a postgres/);
  });
});
