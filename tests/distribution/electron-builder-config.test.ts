// electron-builder.yml, checked without building (installers cannot be built on every machine):
// valid against electron-builder's own schema, native modules unpacked, release fuses set,
// installers IT needs, signing that refuses to ship unsigned, nothing shipped that does not run.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const require = createRequire(import.meta.url);

function filesUnder(dir: string, pattern: RegExp, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, pattern, found);
    else if (pattern.test(name)) found.push(path);
  }
  return found;
}

describe('electron-builder.yml', () => {
  it('is valid against the schema electron-builder ships', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a misspelt key, so the schema check can fail', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate({ ...config, electronFuse: { runAsNode: false } })).toBe(false);
  });

  it('unpacks every native module of the app from the asar', () => {
    const natives = ['better-sqlite3', 'argon2'].flatMap((name) =>
      filesUnder(join(root, 'node_modules', name), /\.node$/).map((file) => relative(root, file)),
    );
    expect(natives.length).toBeGreaterThanOrEqual(2);
    for (const file of natives) {
      expect(
        config.asarUnpack.some((pattern: string) => minimatch(file, pattern)),
        `${file} is not unpacked`,
      ).toBe(true);
    }
    expect(config.npmRebuild).toBe(true);
  });

  it('sets the release fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('builds the installers IT deploys, with fixed upgrade identities', () => {
    const targets = (platform: string) =>
      config[platform].target.map((t: string | { target: string }) => (typeof t === 'string' ? t : t.target));
    expect(targets('win')).toEqual(['nsis', 'msi']);
    expect(targets('mac')).toEqual(['dmg', 'zip']);
    expect(targets('linux')).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.nsis.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(config.msi.upgradeCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(config.msi.upgradeCode).not.toBe(config.nsis.guid);
  });

  it('signs everything, refuses unsigned releases, and verifies updates by publisher', () => {
    expect(config.forceCodeSigning).toBe(true);
    expect(config.win.signtoolOptions.publisherName).toEqual(['Roomy CRM']);
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    expect(existsSync(join(root, config.mac.entitlements))).toBe(true);
    expect(readFileSync(join(root, config.mac.entitlements), 'utf8')).not.toMatch(
      /disable-library-validation|device\.camera/,
    );
    // No credential is written in the file: signing reads them from the environment.
    expect(JSON.stringify(config)).not.toMatch(
      /cscLink|cscKeyPassword|certificatePassword|certificateFile|BEGIN CERTIFICATE/,
    );
  });

  it('updates from a generic server whose address is given at release time', () => {
    expect(config.publish).toMatchObject({ provider: 'generic', url: '${env.ROOMY_UPDATE_URL}' });
  });

  it('ships only what runs: no sources, maps, tests, prebuilt binaries or the Electron package', () => {
    const excluded = (path: string) => {
      let included = false;
      for (const pattern of config.files as string[]) {
        if (pattern.startsWith('!')) {
          if (minimatch(path, pattern.slice(1), { dot: true })) included = false;
        } else if (minimatch(path, pattern, { dot: true })) included = true;
      }
      return !included;
    };
    expect(excluded('dist/main/electron-main.js')).toBe(false);
    expect(excluded('db/migrations/sqlite/0000_initial_schema.sql')).toBe(false);
    expect(excluded('dist/main/electron-main.js.map')).toBe(true);
    expect(excluded('main/core/core.ts')).toBe(true);
    expect(excluded('tests/core/auth.test.ts')).toBe(true);
    // electron-builder adds the production node_modules itself; the negations filter them.
    const dropped = (path: string) =>
      (config.files as string[])
        .filter((p) => p.startsWith('!'))
        .some((p) => minimatch(path, p.slice(1), { dot: true }));
    expect(dropped('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(false);
    expect(dropped('node_modules/argon2/build/Release/argon2.node')).toBe(false);
    expect(dropped('node_modules/argon2/prebuilds/linux-x64/argon2.glibc.node')).toBe(true);
    expect(dropped('node_modules/better-sqlite3/build/Release/test_extension.node')).toBe(true);
    expect(dropped('node_modules/better-sqlite3/src/better_sqlite3.cpp')).toBe(true);
    expect(dropped('node_modules/electron/dist/electron')).toBe(true);
    expect(dropped('node_modules/zod/README.md')).toBe(true);
  });

  it('has no per-platform file lists: electron-builder would let them replace the shared one', () => {
    for (const platform of ['win', 'mac', 'linux']) expect(config[platform]).not.toHaveProperty('files');
  });

  it('ships only the desktop’s own packages: the sync server’s are development dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const shipped = Object.keys(pkg.dependencies);
    for (const serverOnly of [
      'fastify',
      '@fastify/cors',
      '@fastify/helmet',
      '@fastify/rate-limit',
      'pg',
      '@electric-sql/pglite',
    ]) {
      expect(shipped).not.toContain(serverOnly);
    }
    expect(shipped).toEqual(expect.arrayContaining(['better-sqlite3', 'argon2', 'electron-updater', 'electron-log']));
    expect(pkg.dependencies).not.toHaveProperty('electron');
  });
});
