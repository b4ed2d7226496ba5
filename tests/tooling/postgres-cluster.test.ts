// The test harness finds whichever PostgreSQL server Debian installed, preferring the newest,
// and POSTGRES_BIN_DIR still overrides it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPostgresBinaries, postgresBinDirsUnder } from '../harness/postgres-cluster.js';

let root: string;

/** A `<root>/<version>/bin` folder holding the named programs. */
function install(version: string, programs = ['initdb', 'pg_ctl', 'postgres']): string {
  const bin = join(root, version, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const program of programs) writeFileSync(join(bin, program), '#!/bin/sh\n', { mode: 0o755 });
  return bin;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'roomy-pg-lib-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('finding the PostgreSQL server binaries', () => {
  it('lists every installed version, newest first, by number rather than by name', () => {
    install('15');
    install('18');
    install('9.6');
    install('16');
    install('17');
    install('10');
    expect(postgresBinDirsUnder(root)).toEqual(
      ['18', '17', '16', '15', '10', '9.6'].map((version) => join(root, version, 'bin')),
    );
    expect(findPostgresBinaries({}, root)).toBe(join(root, '18', 'bin'));
  });

  it('passes over a version without initdb or pg_ctl (only its client installed), and folders that are not versions', () => {
    install('18', ['psql', 'pg_dump']);
    install('17', ['initdb']);
    install('16');
    install('common');
    mkdirSync(join(root, '19'));
    expect(postgresBinDirsUnder(root)).toEqual([join(root, '16', 'bin')]);
    expect(findPostgresBinaries({}, root)).toBe(join(root, '16', 'bin'));
  });

  it('finds nothing where no server is installed', () => {
    install('17', ['psql']);
    expect(findPostgresBinaries({}, root)).toBeNull();
    expect(findPostgresBinaries({}, join(root, 'absent'))).toBeNull();
  });

  it('takes POSTGRES_BIN_DIR over the installed versions, and only it', () => {
    install('18');
    const custom = join(root, 'custom');
    expect(findPostgresBinaries({ POSTGRES_BIN_DIR: custom }, root)).toBeNull();
    mkdirSync(custom);
    for (const program of ['initdb', 'pg_ctl']) writeFileSync(join(custom, program), '#!/bin/sh\n', { mode: 0o755 });
    expect(findPostgresBinaries({ POSTGRES_BIN_DIR: custom }, root)).toBe(custom);
  });
});
