// Which compiled better-sqlite3 the desktop window loads. node_modules keeps the build for Node's
// ABI, which the tests, the tools and the browser host need; Electron has an ABI of its own. So in
// development `npm start` builds a second copy for Electron into .cache/electron-abi/, and the
// window opens SQLite through it (better-sqlite3's `nativeBinding` option). An installed app
// ships electron-builder's rebuild in node_modules' place and keeps the default. argon2 is
// N-API: one build serves both runtimes. Everything here decides from facts handed in.
import type { RebuildOptions } from '@electron/rebuild';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';

/** How `npm start` names, for the window, the build to load. */
export const SQLITE_BINDING_ENV = 'ROOMY_SQLITE_BINDING';

export interface ElectronAbiTarget {
  electronVersion: string;
  platform: NodeJS.Platform;
  arch: string;
}

export interface ElectronAbiPaths {
  folder: string;
  binding: string;
  /** What the build was made from, written once the binding is in place. */
  stamp: string;
  /** A copy of node_modules/better-sqlite3 that @electron/rebuild compiles, so node_modules stays Node's. */
  scratchModule: string;
}

/** One folder per Electron version, platform and architecture: switching back reuses a build. */
export function electronAbiPaths(appRoot: string, target: ElectronAbiTarget): ElectronAbiPaths {
  const folder = join(appRoot, '.cache', 'electron-abi', `${target.electronVersion}-${target.platform}-${target.arch}`);
  return {
    folder,
    binding: join(folder, 'better_sqlite3.node'),
    stamp: join(folder, 'build.json'),
    scratchModule: join(folder, 'scratch', 'node_modules', 'better-sqlite3'),
  };
}

export const electronAbiStampSchema = z.strictObject({
  electronVersion: z.string(),
  platform: z.string(),
  arch: z.string(),
  betterSqlite3Version: z.string(),
});
export type ElectronAbiStamp = z.infer<typeof electronAbiStampSchema>;

export interface ElectronAbiFacts {
  appRoot: string;
  target: ElectronAbiTarget;
  /** The version in node_modules/better-sqlite3/package.json. */
  betterSqlite3Version: string;
  bindingExists: boolean;
  /** build.json as read (parsed JSON), or null when there is none. */
  stamp: unknown;
  /** Where Electron's headers come from, when not Electron's own server (ELECTRON_REBUILD_DIST_URL). */
  headerUrl?: string | undefined;
}

export type ElectronAbiPlan =
  | { action: 'use'; paths: ElectronAbiPaths }
  | { action: 'build'; paths: ElectronAbiPaths; reason: string; rebuild: RebuildOptions };

/** Whether the Electron-ABI build is there and current, and if not how @electron/rebuild makes it. */
export function planElectronAbiBuild(facts: ElectronAbiFacts): ElectronAbiPlan {
  const paths = electronAbiPaths(facts.appRoot, facts.target);
  const reason = staleness(facts);
  if (!reason) return { action: 'use', paths };
  return {
    action: 'build',
    paths,
    reason,
    rebuild: {
      // The scratch copy is both the module and the project: nothing outside it is walked or rebuilt.
      buildPath: paths.scratchModule,
      projectRootPath: paths.scratchModule,
      onlyModules: [],
      electronVersion: facts.target.electronVersion,
      platform: facts.target.platform,
      arch: facts.target.arch,
      force: true,
      mode: 'sequential',
      disablePreGypCopy: true,
      ...(facts.headerUrl ? { headerURL: facts.headerUrl } : {}),
    },
  };
}

function staleness(facts: ElectronAbiFacts): string | null {
  const { electronVersion } = facts.target;
  if (!facts.bindingExists) return `better-sqlite3 has not been built for Electron ${electronVersion} yet`;
  const stamp = electronAbiStampSchema.safeParse(facts.stamp);
  if (!stamp.success) return 'the build there has no record of what it was built from';
  if (stamp.data.betterSqlite3Version !== facts.betterSqlite3Version)
    return `it was built from better-sqlite3 ${stamp.data.betterSqlite3Version}, and node_modules now has ${facts.betterSqlite3Version}`;
  const built = `${stamp.data.electronVersion}-${stamp.data.platform}-${stamp.data.arch}`;
  const wanted = `${electronVersion}-${facts.target.platform}-${facts.target.arch}`;
  if (built !== wanted) return `it was built for Electron ${built}, not ${wanted}`;
  return null;
}

export function stampFor(facts: Pick<ElectronAbiFacts, 'target' | 'betterSqlite3Version'>): ElectronAbiStamp {
  return { ...facts.target, betterSqlite3Version: facts.betterSqlite3Version };
}

/**
 * npm settings that point node-gyp at other headers than Electron's: `nodedir` names Node's own,
 * and a build made with them carries Node's ABI under Electron's name. Left out of the build.
 */
export function headerOverridesIn(env: Record<string, string | undefined>): string[] {
  return Object.keys(env).filter((name) => /^(npm_config_nodedir|npm_package_config_node_gyp_nodedir)$/i.test(name));
}

/** The NODE_MODULE_VERSIONs a compiled module registers for (its `node_register_module_v…` symbols). */
export function registeredAbis(compiled: Buffer): string[] {
  const found = compiled.toString('latin1').matchAll(/node_register_module_v(\d+)/g);
  return [...new Set([...found].map((match) => match[1]!))];
}

/**
 * Why a finished build cannot serve Electron, or null when it registers for Electron's ABI (the
 * electron package's abi_version; where that is unknown, at least not for this Node's).
 */
export function electronBuildProblem(
  compiled: Buffer,
  electron: { version: string; abi: string | null },
  nodeAbi: string,
): string | null {
  const abis = registeredAbis(compiled);
  const fits = electron.abi ? abis.includes(electron.abi) : abis.length > 0 && !abis.includes(nodeAbi);
  if (fits) return null;
  const registered = abis.length ? `NODE_MODULE_VERSION ${abis.join(', ')}` : 'no NODE_MODULE_VERSION';
  const wanted = electron.abi ? `Electron ${electron.version}'s ${electron.abi}` : `Electron ${electron.version}'s`;
  const why = abis.includes(nodeAbi) ? ": it was compiled against this Node's headers instead of Electron's" : '';
  return `the build registers for ${registered}, not ${wanted}${why}`;
}

export interface ShellBindingFacts {
  packaged: boolean;
  env: Record<string, string | undefined>;
  appRoot: string;
  target: ElectronAbiTarget;
  exists?: (path: string) => boolean;
}

/**
 * The build the window opens SQLite with: undefined (node_modules' own) in an installed app;
 * otherwise the one `npm start` named, or the one beside the app when Electron was started
 * another way (a test runner, `npx electron .`). A problem says how to get it.
 */
export function sqliteBindingForShell(facts: ShellBindingFacts): { binding: string | undefined } | { problem: string } {
  if (facts.packaged) return { binding: undefined };
  const exists = facts.exists ?? existsSync;
  const named = facts.env[SQLITE_BINDING_ENV];
  if (named) {
    return exists(named)
      ? { binding: named }
      : { problem: `${SQLITE_BINDING_ENV} names ${named}, which does not exist. Start Roomy with npm start.` };
  }
  const { binding } = electronAbiPaths(facts.appRoot, facts.target);
  if (exists(binding)) return { binding };
  return {
    problem:
      `better-sqlite3 has not been built for Electron ${facts.target.electronVersion} ` +
      `(${relative(facts.appRoot, binding)} is missing). Start Roomy with npm start: it builds it once.`,
  };
}
