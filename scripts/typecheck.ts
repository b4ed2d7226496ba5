// `npm run typecheck`: the Node code, the renderer and the Electron shell, each with its own
// settings. The shell needs the electron package's type declarations; where npm left the package
// out (on a Node older than Electron asks for) they are fetched from the npm registry alone: the
// package's own tarball, for the version package.json pins.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tsc = (project: string) => {
  console.log(`tsc -p ${project}`);
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: root,
    stdio: 'inherit',
  });
};

function electronTypes(): string | null {
  const installed = join(root, 'node_modules/electron/electron.d.ts');
  if (existsSync(installed)) return installed;
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).optionalDependencies.electron as string;
  const cache = join(root, '.cache', `electron-types-${version}`);
  const declarations = join(cache, 'package', 'electron.d.ts');
  if (existsSync(declarations)) return declarations;
  mkdirSync(cache, { recursive: true });
  try {
    const tarball = execFileSync('npm', ['pack', `electron@${version}`, '--silent', '--pack-destination', cache], {
      cwd: cache,
      encoding: 'utf8',
    }).trim();
    execFileSync('tar', ['-xzf', join(cache, tarball), '-C', cache, 'package/electron.d.ts']);
    return declarations;
  } catch (error) {
    console.warn(`Skipping the Electron shell: its type declarations could not be fetched (${String(error)}).`);
    return null;
  }
}

try {
  tsc('tsconfig.json');
  tsc('renderer/tsconfig.json');
  const types = electronTypes();
  if (types) {
    const project = join(root, '.cache', 'tsconfig.electron.json');
    writeFileSync(
      project,
      JSON.stringify({
        extends: '../main/shell/tsconfig.json',
        compilerOptions: { paths: { electron: [types] } },
        include: ['../main/shell/**/*.ts', '../preload/preload.ts', types],
      }),
    );
    tsc(project);
  }
} catch {
  process.exitCode = 1;
}
