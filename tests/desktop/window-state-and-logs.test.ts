// The window comes back where it was, if that is still on a screen; log files rotate and keep a
// fixed number of archives.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archiveName, rotateLog } from '../../main/log-rotation.js';
import { boundsToRestore, DEFAULT_BOUNDS, parseWindowState } from '../../main/window-state.js';
import { tempDir } from '../harness/databases.js';

const LAPTOP = { x: 0, y: 0, width: 1920, height: 1080 };
const MONITOR = { x: 1920, y: 0, width: 2560, height: 1440 };
const saved = (x: number, y: number) => ({ bounds: { x, y, width: 1200, height: 800 }, maximized: false });

describe('the remembered window', () => {
  it('reads back what was saved', () => {
    expect(parseWindowState(JSON.stringify(saved(100, 50)))).toEqual(saved(100, 50));
  });

  it.each([
    [null],
    [''],
    ['{not json'],
    ['{"bounds":{"x":1}}'],
    [JSON.stringify({ ...saved(1, 1), extra: 1 })],
    ['[]'],
  ])('ignores a file it did not write: %j', (text) => {
    expect(parseWindowState(text)).toBeNull();
  });

  it('opens at the default size the first time', () => {
    expect(boundsToRestore(null, [LAPTOP])).toEqual(DEFAULT_BOUNDS);
  });

  it('opens where it was when that is on a screen, the second monitor included', () => {
    expect(boundsToRestore(saved(100, 50), [LAPTOP])).toEqual(saved(100, 50).bounds);
    expect(boundsToRestore(saved(2200, 100), [LAPTOP, MONITOR])).toEqual(saved(2200, 100).bounds);
  });

  it('keeps the size but lets the system place it when its screen is gone', () => {
    expect(boundsToRestore(saved(2200, 100), [LAPTOP])).toEqual({ width: 1200, height: 800 });
    // Only a sliver on screen is as good as gone.
    expect(boundsToRestore(saved(1850, 100), [LAPTOP])).toEqual({ width: 1200, height: 800 });
    // Title bar above the top of the screen: it could not be grabbed.
    expect(boundsToRestore(saved(100, -300), [LAPTOP])).toEqual({ width: 1200, height: 800 });
  });
});

describe('log rotation', () => {
  let dir: ReturnType<typeof tempDir>;
  let log: string;
  beforeEach(() => {
    dir = tempDir('roomy-logs-');
    log = join(dir.path, 'main.log');
  });
  afterEach(() => dir.remove());

  it('names archives beside the log', () => {
    expect(archiveName('/x/main.log', 3)).toBe('/x/main.3.log');
  });

  it('moves the log to the first archive and shifts older ones, keeping only the newest few', () => {
    for (let round = 1; round <= 5; round++) {
      writeFileSync(log, `round ${round}`);
      rotateLog(log, 3);
    }
    expect(existsSync(log)).toBe(false);
    expect(readFileSync(archiveName(log, 1), 'utf8')).toBe('round 5');
    expect(readFileSync(archiveName(log, 2), 'utf8')).toBe('round 4');
    expect(readFileSync(archiveName(log, 3), 'utf8')).toBe('round 3');
    expect(existsSync(archiveName(log, 4))).toBe(false);
  });
});
