// The lint rules that keep each folder's environment obvious must actually refuse what they name.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('import boundaries', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';"],
    ["import path from 'path';"],
    ["import { ipcRenderer } from 'electron';"],
    ["import Database from 'better-sqlite3';"],
    ["import { openLocalDatabase } from '../../db/local-database.js';"],
    ["import { users } from '../../db/schema/sqlite.js';"],
    ["import { loadSampleData } from '../../db/sample/load.js';"],
    ["import { createCore } from '../../main/core/core.js';"],
    ["import { createBridge } from '../../preload/bridge.js';"],
  ])('refuse in renderer/: %s', async (code) => {
    expect(await ruleIdsFor(`${code}\nexport {};`, 'renderer/screens/example.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it.each([
    ["import { propertyCreate } from '../../db/contracts/entities.js';"],
    ["import { parseMoney } from '../../db/domain/money.js';"],
    ["import { accessFor } from '../../db/policy/access.js';"],
  ])('allow in renderer/ the pure parts of db/: %s', async (code) => {
    expect(await ruleIdsFor(`${code}\nexport {};`, 'renderer/screens/example.ts')).not.toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it.each([['process.env.HOME'], ['Buffer.from("x")']])('refuse Node globals in renderer/: %s', async (code) => {
    expect(await ruleIdsFor(`export const x = ${code};`, 'renderer/screens/example.ts')).toContain(
      'no-restricted-globals',
    );
  });

  it.each([
    ["window.prompt('x')", 'no-restricted-properties'],
    ["window.confirm('x')", 'no-restricted-properties'],
    ["window.alert('x')", 'no-restricted-properties'],
    ["globalThis.prompt('x')", 'no-restricted-properties'],
    ["prompt('x')", 'no-restricted-globals'],
    ["confirm('x')", 'no-restricted-globals'],
    ["alert('x')", 'no-restricted-globals'],
  ])("refuse in renderer/ the browser's dialogs, which fail in Electron: %s", async (code, rule) => {
    const [result] = await eslint.lintText(`export const answer = () => ${code};`, {
      filePath: 'renderer/screens/example.tsx',
    });
    const refusal = result?.messages.find((m) => m.ruleId === rule);
    expect(refusal?.message).toMatch(/Electron/);
    expect(refusal?.message).toMatch(/ConfirmDialog/);
  });

  it.each([["window.prompt('x')"], ["confirm('x')"], ["alert('x')"]])(
    'leave the dialog names alone outside renderer/: %s',
    async (code) => {
      for (const filePath of ['main/example.ts', 'scripts/example.ts', 'tests/e2e/example.spec.ts']) {
        const ids = await ruleIdsFor(`export const answer = () => ${code};`, filePath);
        expect(ids).not.toContain('no-restricted-globals');
        expect(ids).not.toContain('no-restricted-properties');
      }
    },
  );

  it("allow in renderer/ a method of our own that shares a dialog's name", async () => {
    const ids = await ruleIdsFor(
      "const dialog = { confirm: (text: string) => text };\nexport const answer = dialog.confirm('x');",
      'renderer/screens/example.tsx',
    );
    expect(ids).toEqual([]);
  });

  it('allow the renderer type-only imports of the contract', async () => {
    const ids = await ruleIdsFor(
      "import type { LocalSchema } from '../db/local-database.js';\nexport type X = LocalSchema;",
      'renderer/example.ts',
    );
    expect(ids).not.toContain('@typescript-eslint/no-restricted-imports');
  });

  it.each([["import { app } from 'electron';"], ["import { x } from '../main/core.js';"]])(
    'refuse in db/: %s',
    async (code) => {
      expect(await ruleIdsFor(`${code}\nexport {};`, 'db/example.ts')).toContain('no-restricted-imports');
    },
  );

  it('allow Node in db/ and main/', async () => {
    expect(
      await ruleIdsFor("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", 'db/example.ts'),
    ).toEqual([]);
  });
});
