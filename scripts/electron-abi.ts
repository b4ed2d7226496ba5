// Makes the Electron-ABI build of better-sqlite3 that the desktop window loads in development
// (main/native-modules.ts says why and where). A scratch copy of node_modules/better-sqlite3 goes
// through @electron/rebuild, which takes better-sqlite3's prebuilt binary for that Electron or
// compiles it against Electron's headers; node_modules keeps its Node build for the tests.
import { rebuild } from '@electron/rebuild';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  electronAbiPaths,
  electronBuildProblem,
  headerOverridesIn,
  planElectronAbiBuild,
  stampFor,
  type ElectronAbiFacts,
  type ElectronAbiPlan,
  type ElectronAbiTarget,
} from '../main/native-modules.js';

export function electronAbiFacts(appRoot: string, target: ElectronAbiTarget): ElectronAbiFacts {
  const { version } = JSON.parse(readFileSync(join(appRoot, 'node_modules/better-sqlite3/package.json'), 'utf8')) as {
    version: string;
  };
  const paths = electronAbiPaths(appRoot, target);
  let stamp: unknown = null;
  try {
    stamp = JSON.parse(readFileSync(paths.stamp, 'utf8'));
  } catch {
    // None yet, or unreadable: either way the build is made again.
  }
  return {
    appRoot,
    target,
    betterSqlite3Version: version,
    bindingExists: existsSync(paths.binding),
    stamp,
    headerUrl: process.env.ELECTRON_REBUILD_DIST_URL,
  };
}

export type ElectronAbiResult = { ok: true; binding: string; built: boolean } | { ok: false; reason: string };

/**
 * Builds when the plan says so; a failure is returned with its reason, never thrown. `abi` is
 * Electron's NODE_MODULE_VERSION (the electron package's abi_version), checked in the result.
 */
export async function ensureElectronAbiBinding(
  appRoot: string,
  target: ElectronAbiTarget,
  abi: string | null,
  say: (line: string) => void,
): Promise<ElectronAbiResult> {
  const facts = electronAbiFacts(appRoot, target);
  const plan = planElectronAbiBuild(facts);
  if (plan.action === 'use') return { ok: true, binding: plan.paths.binding, built: false };
  say(
    `Building better-sqlite3 ${facts.betterSqlite3Version} for Electron ${target.electronVersion} ` +
      `into ${relative(appRoot, plan.paths.folder)}/ (${plan.reason}). ` +
      'This happens once per Electron version; node_modules keeps its build for Node.',
  );
  try {
    await runRebuild(appRoot, plan, abi);
    writeFileSync(plan.paths.stamp, JSON.stringify(stampFor(facts), null, 2));
    say(`Built ${relative(appRoot, plan.paths.binding)}.`);
    return { ok: true, binding: plan.paths.binding, built: true };
  } catch (error) {
    return {
      ok: false,
      reason:
        `${(error as Error).message}. The build takes better-sqlite3's prebuilt binary for Electron, or ` +
        "compiles it with Electron's headers and a C++ toolchain: both are downloaded from outside the npm " +
        'registry (ELECTRON_REBUILD_DIST_URL names a mirror for the headers)',
    };
  } finally {
    rmSync(join(plan.paths.folder, 'scratch'), { recursive: true, force: true });
  }
}

async function runRebuild(
  appRoot: string,
  plan: Extract<ElectronAbiPlan, { action: 'build' }>,
  abi: string | null,
): Promise<void> {
  const { scratchModule, binding, stamp } = plan.paths;
  rmSync(join(plan.paths.folder, 'scratch'), { recursive: true, force: true });
  rmSync(stamp, { force: true });
  mkdirSync(scratchModule, { recursive: true });
  // Without node_modules' Node build (build/), so what ends up there can only be Electron's.
  cpSync(join(appRoot, 'node_modules/better-sqlite3'), scratchModule, {
    recursive: true,
    filter: (source) => relative(join(appRoot, 'node_modules/better-sqlite3'), source) !== 'build',
  });
  await withoutHeaderOverrides(() => rebuild(plan.rebuild));
  const built = join(scratchModule, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error(`@electron/rebuild finished without ${relative(appRoot, built)}`);
  const problem = electronBuildProblem(
    readFileSync(built),
    { version: plan.rebuild.electronVersion, abi },
    process.versions.modules,
  );
  if (problem) throw new Error(problem);
  // Copied beside, then renamed over: a window never finds half a file.
  cpSync(built, `${binding}.partial`);
  renameSync(`${binding}.partial`, binding);
}

/** node-gyp reads npm's settings from the environment, which its worker inherits: set aside meanwhile. */
async function withoutHeaderOverrides<T>(work: () => Promise<T>): Promise<T> {
  const setAside = headerOverridesIn(process.env).map((name) => [name, process.env[name]] as const);
  for (const [name] of setAside) delete process.env[name];
  try {
    return await work();
  } finally {
    for (const [name, value] of setAside) process.env[name] = value;
  }
}
