// The desktop window's better-sqlite3 in development: built for Electron's ABI into
// .cache/electron-abi/ when missing or stale, named to the window, never node_modules' own build;
// an installed app keeps the default. Also: when the Electron runtime is there at all, and why not.
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalDatabase } from '../../db/local-database.js';
import { createCore } from '../../main/core/core.js';
import {
  ELECTRON_NODE_FLOOR,
  electronRuntimeFrom,
  nodeMeetsElectronFloor,
  type ElectronPackageFacts,
} from '../../main/electron-runtime.js';
import {
  electronAbiPaths,
  electronBuildProblem,
  headerOverridesIn,
  planElectronAbiBuild,
  registeredAbis,
  SQLITE_BINDING_ENV,
  sqliteBindingForShell,
  type ElectronAbiTarget,
} from '../../main/native-modules.js';
import { electronAbiFacts } from '../../scripts/electron-abi.js';
import { tempDir } from '../harness/databases.js';

const root = resolve(import.meta.dirname, '../..');
const target: ElectronAbiTarget = { electronVersion: '45.6.1', platform: 'linux', arch: 'x64' };
const disposers: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

/** An app folder with node_modules/better-sqlite3 at `version`, and what .cache/electron-abi holds. */
function appFolder(version: string, built?: { stamp?: object | string }): string {
  const dir = tempDir('roomy-abi-');
  disposers.push(() => dir.remove());
  mkdirSync(join(dir.path, 'node_modules', 'better-sqlite3'), { recursive: true });
  writeFileSync(join(dir.path, 'node_modules', 'better-sqlite3', 'package.json'), JSON.stringify({ version }));
  if (built) {
    const paths = electronAbiPaths(dir.path, target);
    mkdirSync(paths.folder, { recursive: true });
    writeFileSync(paths.binding, 'compiled module');
    if (built.stamp !== undefined)
      writeFileSync(paths.stamp, typeof built.stamp === 'string' ? built.stamp : JSON.stringify(built.stamp));
  }
  return dir.path;
}

const stampOf = (betterSqlite3Version: string, electronVersion = target.electronVersion) => ({
  ...target,
  electronVersion,
  betterSqlite3Version,
});

describe('the Electron-ABI build of better-sqlite3', () => {
  it('has one folder per Electron version, platform and architecture, under .cache', () => {
    const paths = electronAbiPaths('/app', target);
    expect(paths.folder).toBe(join('/app', '.cache', 'electron-abi', '45.6.1-linux-x64'));
    expect(paths.binding).toBe(join(paths.folder, 'better_sqlite3.node'));
    expect(paths.stamp).toBe(join(paths.folder, 'build.json'));
    expect(electronAbiPaths('/app', { ...target, arch: 'arm64' }).folder).not.toBe(paths.folder);
  });

  it('is built when missing, with @electron/rebuild on a scratch copy, never on node_modules', () => {
    const app = appFolder('12.11.1');
    const plan = planElectronAbiBuild(electronAbiFacts(app, target));
    expect(plan.action).toBe('build');
    if (plan.action !== 'build') return;
    expect(plan.reason).toBe('better-sqlite3 has not been built for Electron 45.6.1 yet');
    expect(plan.rebuild).toMatchObject({
      buildPath: plan.paths.scratchModule,
      projectRootPath: plan.paths.scratchModule,
      onlyModules: [],
      electronVersion: '45.6.1',
      platform: 'linux',
      arch: 'x64',
      force: true,
    });
    expect(relative(plan.paths.folder, plan.rebuild.buildPath)).not.toMatch(/^\.\./);
    expect(relative(join(app, 'node_modules'), plan.rebuild.buildPath)).toMatch(/^\.\./);
    expect(plan.rebuild).not.toHaveProperty('headerURL');
  });

  it('is reused while its record matches what node_modules and Electron are now', () => {
    const app = appFolder('12.11.1', { stamp: stampOf('12.11.1') });
    const plan = planElectronAbiBuild(electronAbiFacts(app, target));
    expect(plan).toEqual({ action: 'use', paths: electronAbiPaths(app, target) });
  });

  it('is built again when better-sqlite3 changed, or when its record is missing or unreadable', () => {
    const upgraded = planElectronAbiBuild(
      electronAbiFacts(appFolder('12.12.0', { stamp: stampOf('12.11.1') }), target),
    );
    expect(upgraded).toMatchObject({
      action: 'build',
      reason: 'it was built from better-sqlite3 12.11.1, and node_modules now has 12.12.0',
    });
    for (const stamp of [undefined, '{not json', { electronVersion: '45.6.1' }]) {
      const plan = planElectronAbiBuild(electronAbiFacts(appFolder('12.11.1', { stamp }), target));
      expect(plan, JSON.stringify(stamp)).toMatchObject({
        action: 'build',
        reason: 'the build there has no record of what it was built from',
      });
    }
  });

  it('is built again when its record names another Electron than its folder', () => {
    const app = appFolder('12.11.1', { stamp: stampOf('12.11.1', '44.2.0') });
    expect(planElectronAbiBuild(electronAbiFacts(app, target))).toMatchObject({
      action: 'build',
      reason: 'it was built for Electron 44.2.0-linux-x64, not 45.6.1-linux-x64',
    });
  });

  it('fetches Electron’s headers from a mirror when one is named', () => {
    const facts = { ...electronAbiFacts(appFolder('12.11.1'), target), headerUrl: 'https://mirror.example/headers' };
    expect(planElectronAbiBuild(facts)).toMatchObject({ rebuild: { headerURL: 'https://mirror.example/headers' } });
  });
});

describe('a finished build', () => {
  const nodeBuild = readFileSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
  const electron = { version: '45.6.1', abi: '150' };

  it('is kept only when it registers for Electron’s ABI', () => {
    expect(registeredAbis(nodeBuild)).toEqual([process.versions.modules]);
    const forElectron = Buffer.from('\0_node_register_module_v150\0', 'latin1');
    expect(electronBuildProblem(forElectron, electron, process.versions.modules)).toBeNull();
    expect(electronBuildProblem(forElectron, { ...electron, abi: null }, process.versions.modules)).toBeNull();
  });

  it('is refused when compiled against Node’s headers, and says so', () => {
    const problem = `the build registers for NODE_MODULE_VERSION ${process.versions.modules}, not`;
    const why = ": it was compiled against this Node's headers instead of Electron's";
    expect(electronBuildProblem(nodeBuild, electron, process.versions.modules)).toBe(
      `${problem} Electron 45.6.1's 150${why}`,
    );
    expect(electronBuildProblem(nodeBuild, { ...electron, abi: null }, process.versions.modules)).toBe(
      `${problem} Electron 45.6.1's${why}`,
    );
    expect(electronBuildProblem(Buffer.from('nothing'), electron, process.versions.modules)).toBe(
      "the build registers for no NODE_MODULE_VERSION, not Electron 45.6.1's 150",
    );
  });

  it('is compiled without npm’s nodedir, which would point node-gyp at Node’s headers', () => {
    expect(
      headerOverridesIn({
        npm_config_nodedir: '/usr',
        NPM_CONFIG_NODEDIR: '/usr',
        npm_package_config_node_gyp_nodedir: '/opt/node',
        npm_config_cache: '/root/.npm',
        PATH: '/usr/bin',
      }),
    ).toEqual(['npm_config_nodedir', 'NPM_CONFIG_NODEDIR', 'npm_package_config_node_gyp_nodedir']);
  });
});

describe('the build the window loads', () => {
  const exists = (present: string[]) => (path: string) => present.includes(path);
  const built = electronAbiPaths('/app', target).binding;

  it('is node_modules’ own in an installed app, whatever the environment says', () => {
    expect(
      sqliteBindingForShell({
        packaged: true,
        env: { [SQLITE_BINDING_ENV]: '/elsewhere.node' },
        appRoot: '/app',
        target,
        exists: exists([built]),
      }),
    ).toEqual({ binding: undefined });
  });

  it('is the one npm start names, else the one beside the app', () => {
    const facts = { packaged: false, appRoot: '/app', target };
    expect(
      sqliteBindingForShell({
        ...facts,
        env: { [SQLITE_BINDING_ENV]: '/named.node' },
        exists: exists(['/named.node']),
      }),
    ).toEqual({ binding: '/named.node' });
    expect(sqliteBindingForShell({ ...facts, env: {}, exists: exists([built]) })).toEqual({ binding: built });
  });

  it('is a problem that says how to get it when it is missing, never node_modules’ Node build', () => {
    const facts = { packaged: false, appRoot: '/app', target, exists: exists([]) };
    expect(sqliteBindingForShell({ ...facts, env: {} })).toEqual({
      problem:
        'better-sqlite3 has not been built for Electron 45.6.1 (.cache/electron-abi/45.6.1-linux-x64/better_sqlite3.node ' +
        'is missing). Start Roomy with npm start: it builds it once.',
    });
    expect(sqliteBindingForShell({ ...facts, env: { [SQLITE_BINDING_ENV]: '/gone.node' } })).toEqual({
      problem: `${SQLITE_BINDING_ENV} names /gone.node, which does not exist. Start Roomy with npm start.`,
    });
  });
});

describe('opening SQLite through a named build', () => {
  const nodeBuild = realpathSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));

  it('loads that build, and fails plainly when it is not there', () => {
    const dir = tempDir();
    disposers.push(() => dir.remove());
    const local = openLocalDatabase(join(dir.path, 'named.db'), { nativeBinding: nodeBuild });
    expect(local.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toMatchObject({
      n: expect.any(Number),
    });
    local.close();
    const missing = join(dir.path, 'missing', 'better_sqlite3.node');
    expect(() => openLocalDatabase(join(dir.path, 'other.db'), { nativeBinding: missing })).toThrow(
      /Cannot find module .*missing\/better_sqlite3\.node/,
    );
  });

  it('is threaded from the core’s options', () => {
    const dir = tempDir();
    disposers.push(() => dir.remove());
    const missing = join(dir.path, 'missing', 'better_sqlite3.node');
    expect(() => createCore({ databaseFile: join(dir.path, 'core.db'), nativeBinding: missing })).toThrow(
      /Cannot find module .*missing\/better_sqlite3\.node/,
    );
    const core = createCore({ databaseFile: join(dir.path, 'core.db'), nativeBinding: nodeBuild });
    expect(core.database.sqlite.open).toBe(true);
    core.close();
  });
});

describe('the Electron runtime', () => {
  const facts = (overrides: Partial<ElectronPackageFacts>): ElectronPackageFacts => ({
    installedVersion: '45.6.1',
    pinnedVersion: '45.6.1',
    packageDir: '/app/node_modules/electron',
    executable: 'electron',
    abi: '150',
    overrideDist: undefined,
    nodeVersion: '24.11.0',
    exists: () => true,
    ...overrides,
  });

  it('is missing on an older Node because npm leaves the package out, and says which Node it needs', () => {
    const runtime = electronRuntimeFrom(facts({ installedVersion: null, packageDir: null, nodeVersion: '20.20.2' }));
    expect(runtime).toEqual({
      available: false,
      reason:
        'npm leaves the electron package out on Node 20.20.2: Electron 45.6.1 needs Node.js 22.12.0 or newer ' +
        '(with it, run npm install again)',
    });
    expect(electronRuntimeFrom(facts({ installedVersion: null, packageDir: null }))).toEqual({
      available: false,
      reason: 'the electron package is not installed (run npm install)',
    });
  });

  it('is fetched by the package’s own script when only its binary is missing', () => {
    for (const missing of [facts({ executable: null }), facts({ exists: () => false })])
      expect(electronRuntimeFrom(missing)).toEqual({
        available: false,
        reason: 'the Electron 45.6.1 runtime has not been downloaded',
        download: join('/app/node_modules/electron', 'install.js'),
        version: '45.6.1',
      });
  });

  it('is the downloaded binary, or one unpacked elsewhere', () => {
    expect(electronRuntimeFrom(facts({}))).toEqual({
      available: true,
      binary: join('/app/node_modules/electron', 'dist', 'electron'),
      version: '45.6.1',
      abi: '150',
    });
    expect(electronRuntimeFrom(facts({ executable: null, overrideDist: '/opt/electron' }))).toMatchObject({
      available: true,
      binary: join('/opt/electron', 'electron'),
    });
  });

  it('needs the Node that Electron and @electron/rebuild declare', () => {
    expect(['20.19.0', '20.20.2', '22.11.0', 'v21.7.3'].map(nodeMeetsElectronFloor)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(['22.12.0', 'v22.13.1', '24.0.0', '26.1.0'].map(nodeMeetsElectronFloor)).toEqual([true, true, true, true]);
    expect(ELECTRON_NODE_FLOOR).toBe('22.12.0');
  });
});
