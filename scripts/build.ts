// `npm run build`: the renderer (Vite) into dist/renderer, the Electron shell into
// dist/main/electron-main.js and the preload into dist/preload/preload.cjs (esbuild).
//   --renderer-only   just the renderer (what the browser host serves)
import { build as esbuild } from 'esbuild';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build as viteBuild } from 'vite';

const root = resolve(import.meta.dirname, '..');
// What Electron 45 runs: Node 24 in main, Chromium 154 in the window (tests/distribution checks
// these against the Electron that package.json pins).
const ELECTRON_NODE_TARGET = 'node24';
const ELECTRON_CHROMIUM_TARGET = 'chrome154';
const { values } = parseArgs({ options: { 'renderer-only': { type: 'boolean', default: false } } });

/** ROOMY_RENDERER_DIR builds it elsewhere (two end-to-end runs side by side each keep their own). */
export async function buildRenderer(): Promise<void> {
  const outDir = process.env.ROOMY_RENDERER_DIR;
  await viteBuild({
    configFile: resolve(root, 'vite.config.ts'),
    logLevel: 'warn',
    ...(outDir ? { build: { outDir: resolve(outDir) } } : {}),
  });
}

async function buildShell(): Promise<void> {
  // Node modules stay outside the bundle: native ones (better-sqlite3, argon2) cannot be bundled,
  // and electron-builder ships the production dependencies beside it.
  await esbuild({
    entryPoints: [resolve(root, 'main/shell/electron-main.ts')],
    outfile: resolve(root, 'dist/main/electron-main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ELECTRON_NODE_TARGET,
    packages: 'external',
    logLevel: 'warning',
  });
  // A sandboxed preload is one CommonJS file that may require only electron.
  await esbuild({
    entryPoints: [resolve(root, 'preload/preload.ts')],
    outfile: resolve(root, 'dist/preload/preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ELECTRON_CHROMIUM_TARGET,
    external: ['electron'],
    logLevel: 'warning',
  });
}

const started = Date.now();
await buildRenderer();
if (!values['renderer-only']) await buildShell();
console.log(
  `Built ${values['renderer-only'] ? 'the renderer' : 'the renderer, the Electron shell and the preload'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
