// Cleaners and maintenance staff see their tasks and the operational side of those properties:
// never money, never guest contact details.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOffice, WINDOW, type Office } from './office.js';
import { createTestCore, type TestCore } from './test-core.js';

let core: TestCore;
let office: Office;
let taskId: string;

beforeAll(async () => {
  core = createTestCore();
  office = await buildOffice(core);
  const task = await core.ok<{ id: string }>(WINDOW.ADMIN, 'tasks/create', {
    propertyId: office.propertyA,
    assigneeId: office.ids.cleaner,
    type: 'CLEANING',
    title: 'Deep clean',
    costMinor: 4_500,
    estimatedCostMinor: 5_000,
    currency: 'EUR',
  });
  taskId = task.id;
});
afterAll(() => core.dispose());

const MONEY = ['costMinor', 'estimatedCostMinor', 'currency'];

describe('a cleaner', () => {
  it('sees their task without its cost, in the list, by id, and after moving it along', async () => {
    const { items } = await core.ok<{ items: Record<string, unknown>[] }>(WINDOW.CLEANER, 'tasks/list', { mine: true });
    expect(items.map((t) => t.id)).toEqual([taskId]);
    const fetched = await core.ok<Record<string, unknown>>(WINDOW.CLEANER, 'tasks/get', { id: taskId });
    const started = await core.ok<Record<string, unknown>>(WINDOW.CLEANER, 'tasks/set-status', {
      id: taskId,
      status: 'IN_PROGRESS',
    });
    for (const row of [items[0]!, fetched, started]) for (const field of MONEY) expect(row).not.toHaveProperty(field);
    // The office still sees what the task costs.
    expect(await core.ok(WINDOW.ADMIN, 'tasks/get', { id: taskId })).toMatchObject({
      costMinor: 4_500,
      currency: 'EUR',
    });
  });

  it('is refused every money and guest operation', async () => {
    for (const op of ['ledger/list', 'finance/summary', 'reservations/list', 'users/list'] as const) {
      expect((await core.fails(WINDOW.CLEANER, op, {})).code).toBe('forbidden');
    }
  });
});
