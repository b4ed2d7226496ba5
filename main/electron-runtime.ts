// Whether the Electron runtime can be started here. Since Electron 42 the npm package no longer
// downloads its binary when installed: the first run fetches it from outside the npm registry
// (`npm start` asks for it; see scripts/start.ts). And npm installs an optional dependency only
// when its `engines` field allows this Node, so on an older Node the package is simply absent.
// Where either stops Electron, Roomy says which instead of failing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The oldest Node that Electron 45's package and @electron/rebuild declare (`engines`). Nothing
 * they run needs more than Node 20.19, but npm leaves the electron package out below this.
 */
export const ELECTRON_NODE_FLOOR = '22.12.0';

export type ElectronRuntime =
  | {
      available: true;
      binary: string;
      version: string;
      /** Electron's NODE_MODULE_VERSION (the package's abi_version), which native modules must match. */
      abi: string | null;
    }
  | {
      available: false;
      reason: string;
      /** Present when the package is installed and only its binary is missing: the script that fetches it. */
      download?: string;
      version?: string;
    };

export interface ElectronPackageFacts {
  /** The installed package's version, or null when node_modules has no electron. */
  installedVersion: string | null;
  /** The version package.json pins, for saying what is missing. */
  pinnedVersion: string;
  packageDir: string | null;
  /** What the package's path.txt names (the executable inside dist/), once downloaded. */
  executable: string | null;
  /** What the package's abi_version says. */
  abi: string | null;
  /** ELECTRON_OVERRIDE_DIST_PATH: a runtime unpacked elsewhere, honoured as the package does. */
  overrideDist: string | undefined;
  nodeVersion: string;
  exists: (path: string) => boolean;
}

export function nodeMeetsElectronFloor(nodeVersion: string): boolean {
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  const [floorMajor = 0, floorMinor = 0] = ELECTRON_NODE_FLOOR.split('.').map(Number);
  return major > floorMajor || (major === floorMajor && minor >= floorMinor);
}

export function electronRuntimeFrom(facts: ElectronPackageFacts): ElectronRuntime {
  if (!facts.installedVersion || !facts.packageDir) {
    if (!nodeMeetsElectronFloor(facts.nodeVersion))
      return {
        available: false,
        reason:
          `npm leaves the electron package out on Node ${facts.nodeVersion}: Electron ${facts.pinnedVersion} ` +
          `needs Node.js ${ELECTRON_NODE_FLOOR} or newer (with it, run npm install again)`,
      };
    return { available: false, reason: 'the electron package is not installed (run npm install)' };
  }
  const version = facts.installedVersion;
  const binary = facts.overrideDist
    ? join(facts.overrideDist, facts.executable ?? 'electron')
    : facts.executable && join(facts.packageDir, 'dist', facts.executable);
  if (binary && facts.exists(binary)) return { available: true, binary, version, abi: facts.abi };
  return {
    available: false,
    reason: `the Electron ${version} runtime has not been downloaded`,
    download: join(facts.packageDir, 'install.js'),
    version,
  };
}

/** Reads the facts without loading the package: since Electron 42, loading it starts a download. */
export function findElectronRuntime(appRoot = join(import.meta.dirname, '..')): ElectronRuntime {
  const pinned = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as {
    optionalDependencies?: Record<string, string>;
  };
  let packageDir: string | null = null;
  let installedVersion: string | null = null;
  try {
    const manifest = createRequire(join(appRoot, 'package.json')).resolve('electron/package.json');
    packageDir = dirname(manifest);
    installedVersion = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    // Not installed: electronRuntimeFrom says why.
  }
  const read = (name: string) => {
    const file = packageDir && join(packageDir, name);
    return file && existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
  };
  return electronRuntimeFrom({
    installedVersion,
    pinnedVersion: pinned.optionalDependencies?.electron ?? 'unknown',
    packageDir,
    executable: read('path.txt'),
    abi: read('abi_version'),
    overrideDist: process.env.ELECTRON_OVERRIDE_DIST_PATH,
    nodeVersion: process.versions.node,
    exists: existsSync,
  });
}
