// Every role × every guarded operation: allowed roles pass the policy (their probe then fails
// validation), denied roles get `forbidden`, and each denial is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessFor, OPERATION_ACCESS, type GuardedOperation } from '../../db/policy/access.js';
import { SIGN_IN_ROLES } from '../../db/policy/roles.js';
import type { OperationName } from '../../main/operations/index.js';
import { buildOffice, WINDOW } from './office.js';
import { createTestCore, STRONG_PASSWORD, type TestCore } from './test-core.js';

let core: TestCore;
beforeAll(async () => {
  core = createTestCore();
  await buildOffice(core);
});
afterAll(() => core.dispose());

const operations = Object.keys(OPERATION_ACCESS) as GuardedOperation[];
// An input no contract accepts: a role that passes the policy is stopped by validation, so the
// probe never changes anything.
const PROBE = { notAField: true };

describe('the access policy', () => {
  it('covers exactly the operations the core has (besides the public ones)', () => {
    const publicOps = ['auth/status', 'auth/setup', 'auth/sign-in', 'sync/connect'];
    expect(core.operationNames.filter((n) => !publicOps.includes(n)).sort()).toEqual([...operations].sort());
  });

  describe.each(SIGN_IN_ROLES)('%s', (role) => {
    it.each(operations)('%s', async (operation) => {
      const result = await core.call(WINDOW[role], operation as OperationName, PROBE);
      expect(result.ok).toBe(false);
      const code = result.ok ? null : result.error.code;
      if (accessFor(operation, role)) {
        expect(code, `${role} should pass the policy for ${operation}`).toBe('validation');
      } else {
        expect(code, `${role} should be refused ${operation}`).toBe('forbidden');
      }
    });
  });

  it('audits each denial with the operation and the actor', () => {
    const denials = core.database.sqlite
      .prepare(`SELECT actor_role, entity_id FROM audit_log WHERE action = 'access.denied'`)
      .all() as { actor_role: string; entity_id: string }[];
    const expected = SIGN_IN_ROLES.flatMap((role) =>
      operations.filter((op) => !accessFor(op, role)).map((op) => `${role} ${op}`),
    );
    expect(denials.map((d) => `${d.actor_role} ${d.entity_id}`).sort()).toEqual(expected.sort());
  });

  it('refuses every guarded operation to a caller who has not signed in', async () => {
    for (const operation of operations) {
      const result = await core.call('stranger-window', operation as OperationName, PROBE);
      expect(result.ok ? null : result.error.code).toBe('unauthenticated');
    }
  });

  it('does not let a guest sign in', async () => {
    const guest = core.database.sqlite.prepare(`SELECT id FROM users WHERE role = 'GUEST'`).pluck().get() as string;
    expect(
      (await core.fails(WINDOW.ADMIN, 'users/set-password', { id: guest, password: STRONG_PASSWORD })).fields,
    ).toHaveProperty('password');
  });

  it('answers an unknown operation with not_found', async () => {
    expect((await core.fails(WINDOW.ADMIN, 'properties/explode' as OperationName, {})).code).toBe('not_found');
  });
});
