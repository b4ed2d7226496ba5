// Everything that names an Electron names the one package.json pins: the installers'
// electronVersion, the shell's and preload's build targets (its Node and Chromium), and the Node
// that Electron and @electron/rebuild ask for, which npm enforces by leaving electron out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ELECTRON_NODE_FLOOR } from '../../main/electron-runtime.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const pinned = (JSON.parse(read('package.json')) as { optionalDependencies: { electron: string } }).optionalDependencies
  .electron;
const major = Number(pinned.split('.')[0]);

/** What each Electron runs (its release notes; the package's @types/node names the Node major). */
const RUNTIMES: Record<number, { node: string; chromium: string }> = {
  45: { node: 'node24', chromium: 'chrome154' },
};

/** The lowest version an `engines` range such as ">= 22.12.0" allows. */
const floorOf = (range: string) => /^>=\s*(\d+\.\d+\.\d+)$/.exec(range.trim())?.[1];

describe('the Electron that package.json pins', () => {
  it('is the one the installers are built with', () => {
    expect(parse(read('electron-builder.yml')).electronVersion).toBe(pinned);
  });

  it('is what the shell and the preload are compiled for', () => {
    const runtime = RUNTIMES[major];
    expect(runtime, `add what Electron ${major} runs (its Node and Chromium) to this table`).toBeDefined();
    const build = read('scripts/build.ts');
    expect(build).toContain(`const ELECTRON_NODE_TARGET = '${runtime!.node}';`);
    expect(build).toContain(`const ELECTRON_CHROMIUM_TARGET = '${runtime!.chromium}';`);
  });

  it('asks for the Node that start and the runtime check name', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } }>;
    };
    const electron = lock.packages['node_modules/electron']!;
    expect(electron.version).toBe(pinned);
    expect(floorOf(electron.engines!.node!)).toBe(ELECTRON_NODE_FLOOR);
    const rebuild = JSON.parse(read('node_modules/@electron/rebuild/package.json')) as { engines: { node: string } };
    expect(floorOf(rebuild.engines.node)).toBe(ELECTRON_NODE_FLOOR);
  });
});
