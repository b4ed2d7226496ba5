// Log files rotate by size and keep a fixed number of archives: main.log, main.1.log (newest
// archive) … main.N.log (oldest), so a support bundle always has recent history and the disk
// never fills.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_ARCHIVES_KEPT = 5;

export function archiveName(file: string, n: number): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.${n}${ext}`);
}

/** Moves `file` to archive 1, shifting older archives up and dropping the oldest. Synchronous, as electron-log requires. */
export function rotateLog(file: string, keep = LOG_ARCHIVES_KEPT): void {
  rmSync(archiveName(file, keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) {
    const from = archiveName(file, n);
    if (existsSync(from)) renameSync(from, archiveName(file, n + 1));
  }
  if (existsSync(file)) renameSync(file, archiveName(file, 1));
}
