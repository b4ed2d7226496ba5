// Where the app keeps its data: the same folder Electron's app.getPath('userData') gives for
// "Roomy CRM", so the desktop app and the command-line tools find the same database.
// ROOMY_DATA_DIR overrides it (tests, portable installs, several profiles on one machine).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Roomy CRM';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.ROOMY_DATA_DIR) return env.ROOMY_DATA_DIR;
  const home = env.HOME ?? homedir();
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', PRODUCT_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
  }
}

export function localDatabaseFile(dataDir: string): string {
  return join(dataDir, 'roomy.db');
}
