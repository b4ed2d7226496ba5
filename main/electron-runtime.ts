// Whether the Electron runtime binary is present. The npm package downloads it at install time
// from outside the npm registry; where that download is impossible the package is skipped
// (it is an optional dependency) and Roomy says so instead of failing.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export type ElectronRuntime = { available: true; binary: string } | { available: false; reason: string };

export function findElectronRuntime(): ElectronRuntime {
  const require = createRequire(import.meta.url);
  let binary: unknown;
  try {
    // The package's main export is the path of the downloaded binary.
    binary = require('electron');
  } catch (error) {
    return {
      available: false,
      reason:
        `the electron package is not installed (${(error as Error).message.split('\n')[0]}); ` +
        'its binary download needs access to the Electron release servers',
    };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { available: false, reason: 'the electron package is installed but its binary was not downloaded' };
  }
  return { available: true, binary };
}
