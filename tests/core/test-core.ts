// A core on a fresh SQLite file, with a clock the test controls and no real waiting.
import { join } from 'node:path';
import type { AppEnvironment } from '../../main/app-environment.js';
import { createCore, type Core } from '../../main/core/core.js';
import type { Identity } from '../../main/core/sessions.js';
import type { OperationName } from '../../main/operations/index.js';
import { tempDir } from '../harness/databases.js';

export interface TestCore extends Core {
  /** The folder holding the database, removed by dispose. */
  dir: string;
  clock: { now: Date; advance(ms: number): void };
  slept: number[];
  /** Calls and expects success; throws with the error message otherwise. */
  ok<T = unknown>(callerId: string, name: OperationName, input?: unknown): Promise<T>;
  /** Calls and expects failure; returns the error. */
  fails(
    callerId: string,
    name: OperationName,
    input?: unknown,
  ): Promise<{ code: string; message: string; fields?: Record<string, string> }>;
  dispose(): void;
}

export const STRONG_PASSWORD = 'violet-harbour-tram-58';

export function createTestCore(
  start = new Date('2026-11-24T09:00:00Z'),
  environment: Partial<AppEnvironment> = {},
): TestCore {
  const dir = tempDir('roomy-core-');
  const clock = {
    now: start,
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const slept: number[] = [];
  const core = createCore({
    databaseFile: join(dir.path, 'roomy.db'),
    now: () => clock.now,
    sleep: async (ms) => void slept.push(ms),
    environment,
  });
  return {
    ...core,
    dir: dir.path,
    onChange: core.onChange,
    clock,
    slept,
    async ok<T>(callerId: string, name: OperationName, input?: unknown) {
      const result = await core.call(callerId, name, input);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as T;
    },
    async fails(callerId: string, name: OperationName, input?: unknown) {
      const result = await core.call(callerId, name, input);
      if (result.ok) throw new Error(`${name} was expected to fail but returned ${JSON.stringify(result.value)}`);
      return result.error;
    },
    dispose() {
      core.close();
      dir.remove();
    },
  };
}

/** Sets up the first admin on `callerId` and returns their identity. */
export function setUpAdmin(core: TestCore, callerId = 'admin-window'): Promise<Identity> {
  return core.ok<Identity>(callerId, 'auth/setup', {
    email: 'admin@example.com',
    firstName: 'Marta',
    lastName: 'Costa',
    password: STRONG_PASSWORD,
  });
}
