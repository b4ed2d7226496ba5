// The embedded PGlite database belongs to one process at a time.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const EMBEDDED_PID_FILE = 'sync-server.pid';

/** The id of the running server that holds the embedded database in `dataDir`, if any. */
export function embeddedServerPid(dataDir: string): number | null {
  const file = join(dataDir, EMBEDDED_PID_FILE);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
