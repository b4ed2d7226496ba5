import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultEnvironment } from '../../main/app-environment.js';
import { definePublicOperation, type CoreServices } from '../../main/core/operation.js';
import { RuleChecks } from '../../main/core/rule-checks.js';
import { combineOperations, Router } from '../../main/core/router.js';
import { Sessions } from '../../main/core/sessions.js';
import { freshLocalDatabase, type TestLocalDatabase } from '../harness/databases.js';
import { buildOffice, WINDOW } from './office.js';
import { createTestCore, type TestCore } from './test-core.js';

describe('the router', () => {
  let local: TestLocalDatabase;
  let logged: string[];
  let services: CoreServices;
  beforeEach(() => {
    local = freshLocalDatabase();
    logged = [];
    services = {
      sqlite: local.sqlite,
      db: local.db,
      deviceId: 'device-test',
      environment: defaultEnvironment(local.file),
      sessions: new Sessions(),
      logger: { info() {}, warn() {}, error: (message) => void logged.push(message) },
      now: () => new Date('2026-11-24T09:00:00Z'),
      sleep: async () => {},
      sync: () => undefined,
      door: () => undefined,
      server: () => undefined,
      rules: new RuleChecks(local.sqlite),
    };
  });
  afterEach(() => local.dispose());

  it('refuses two operations with one name at start', () => {
    const op = definePublicOperation({ input: z.undefined(), run: () => 1 });
    expect(() => combineOperations({ 'x/y': op }, { 'x/y': op })).toThrow(/x\/y is defined twice/);
  });

  it('refuses, at start, an operation the access policy does not mention', () => {
    const op = { input: z.undefined(), run: () => 1 };
    expect(() => new Router(services, { 'secret/thing': op }, () => {})).toThrow(
      /secret\/thing has no entry in the access policy/,
    );
  });

  it('answers an unexpected failure as internal, without its details, and logs it', async () => {
    const boom = definePublicOperation({
      input: z.undefined(),
      run: () => {
        throw new Error('disk on fire at /secret/path');
      },
    });
    const router = new Router(services, { 'auth/status': boom }, () => {});
    const result = await router.call('w', 'auth/status', undefined);
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong; the details are in the log.' },
    });
    expect(logged).toEqual(['Operation auth/status failed']);
  });
});

describe('change events', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
  });
  afterEach(() => core.dispose());

  it('tell listeners which tables a call changed, after it committed', async () => {
    const office = await buildOffice(core);
    const events: string[][] = [];
    const stop = core.onChange((tables) => events.push([...tables].sort()));
    await core.ok(WINDOW.ADMIN, 'properties/update', { id: office.propertyA, changes: { name: 'Renamed' } });
    await core.ok(WINDOW.ADMIN, 'properties/list', {});
    await core.fails(WINDOW.ADMIN, 'properties/update', { id: office.propertyA, changes: { capacity: 0 } });
    stop();
    await core.ok(WINDOW.ADMIN, 'properties/update', { id: office.propertyA, changes: { name: 'Again' } });
    // A read changes nothing; a refusal's audit row is not news for any screen (it is still queued).
    expect(events).toEqual([['audit_log', 'properties']]);
  });
});
