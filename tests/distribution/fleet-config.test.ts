// The machine-wide configuration IT deploys: where it is, what it may say, what it locks, and
// that a broken file is reported and ignored with safe defaults.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { effectiveSettings, fleetConfigPath, lockedBy, readFleetConfig } from '../../main/fleet-config.js';
import { tempDir } from '../harness/databases.js';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function fleetFile(content: string): string {
  const dir = tempDir();
  dirs.push(dir);
  const path = join(dir.path, 'config.json');
  writeFileSync(path, content);
  return path;
}

describe('the fleet configuration', () => {
  it('lives in the machine-wide folder of each system', () => {
    expect(fleetConfigPath({ ProgramData: 'D:\\ProgramData' }, 'win32')).toMatch(
      /ProgramData[\\/]Roomy CRM[\\/]config\.json$/,
    );
    expect(fleetConfigPath({}, 'darwin')).toBe('/Library/Application Support/Roomy CRM/config.json');
    expect(fleetConfigPath({}, 'linux')).toBe('/etc/roomy-crm/config.json');
    expect(fleetConfigPath({ ROOMY_FLEET_CONFIG: '/tmp/x.json' }, 'linux')).toBe('/tmp/x.json');
    // In the installed app a user's environment cannot swap IT's file for their own.
    expect(fleetConfigPath({ ROOMY_FLEET_CONFIG: '/tmp/x.json' }, 'linux', { installed: true })).toBe(
      '/etc/roomy-crm/config.json',
    );
  });

  it('no file means no presets, nothing locked, updates on', () => {
    const reading = readFleetConfig('/nonexistent/roomy/config.json');
    expect(reading).toMatchObject({ config: {}, problem: null });
    expect(effectiveSettings(reading.config, {})).toEqual({
      settings: { syncServerUrl: null, updates: { enabled: true, url: null } },
      locked: [],
    });
  });

  it('presets the sync server and the update server, and locks what IT says', () => {
    const reading = readFleetConfig(
      fleetFile(
        JSON.stringify({
          syncServerUrl: 'https://sync.office.example/',
          updates: { enabled: false, url: 'https://updates.office.example/roomy' },
          lock: ['updates'],
        }),
      ),
    );
    expect(reading.problem).toBeNull();
    const { settings, locked } = effectiveSettings(reading.config, {
      syncServerUrl: 'https://other.office.example',
      updates: { enabled: true },
    });
    // The sync server is only a preset: the user's choice wins. Updates are locked: IT's wins.
    expect(settings).toEqual({
      syncServerUrl: 'https://other.office.example',
      updates: { enabled: false, url: 'https://updates.office.example/roomy' },
    });
    expect(locked).toEqual(['updates']);
    expect(lockedBy({ updates: { enabled: true } }, locked)).toEqual(['updates']);
    expect(lockedBy({ syncServerUrl: null }, locked)).toEqual([]);
  });

  it('reads a file saved with a byte-order mark (Windows PowerShell’s UTF-8)', () => {
    const reading = readFleetConfig(
      fleetFile(`\uFEFF${JSON.stringify({ updates: { enabled: false }, lock: ['updates'] })}`),
    );
    expect(reading.problem).toBeNull();
    expect(reading.config.lock).toEqual(['updates']);
  });

  it('a locked sync server cannot be changed by the user', () => {
    const reading = readFleetConfig(
      fleetFile(JSON.stringify({ syncServerUrl: 'https://sync.office.example', lock: ['syncServerUrl'] })),
    );
    expect(effectiveSettings(reading.config, { syncServerUrl: null }).settings.syncServerUrl).toBe(
      'https://sync.office.example',
    );
  });

  it.each([
    ['{ not json', /not valid JSON/],
    [JSON.stringify({ syncServerUrl: 'http://sync.office.example' }), /syncServerUrl: must use https/],
    [JSON.stringify({ updates: { enabled: 'no' } }), /updates\.enabled: must be true or false/],
    [JSON.stringify({ lock: ['everything'] }), /lock\.0: must list settings/],
    [JSON.stringify({ autoUpdate: false }), /autoUpdate: is not a known field/],
  ])('a broken file (%s) is named, ignored, and updates are off', (content, problem) => {
    const reading = readFleetConfig(fleetFile(content));
    expect(reading.problem).toMatch(problem);
    expect(reading.problem).toContain(reading.path);
    expect(effectiveSettings(reading.config, { updates: { enabled: true } }).settings).toEqual({
      syncServerUrl: null,
      updates: { enabled: false, url: null },
    });
  });
});
