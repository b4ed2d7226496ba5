// The machine-wide configuration IT deploys (Group Policy, Intune, a package): it can preset the
// sync server, turn updates off or point them at another server, and lock what users may not
// change. Read once at start; a broken file never stops the app, it is reported and ignored, with
// updates off until IT fixes it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeFieldErrors, fieldErrors } from '../db/contracts/errors.js';
import { syncServerAddress, updateServerAddress } from '../db/contracts/fields.js';
import { PRODUCT_NAME } from './app-paths.js';

/**
 * Where IT puts the file on each system. ROOMY_FLEET_CONFIG points elsewhere only outside the
 * installed app (tests, trials): a user's own environment must not replace IT's file.
 */
export function fleetConfigPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  { installed = false }: { installed?: boolean } = {},
): string {
  if (env.ROOMY_FLEET_CONFIG && !installed) return env.ROOMY_FLEET_CONFIG;
  switch (platform) {
    case 'win32':
      return join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', PRODUCT_NAME, 'config.json');
    case 'darwin':
      return join('/Library', 'Application Support', PRODUCT_NAME, 'config.json');
    default:
      return join('/etc', 'roomy-crm', 'config.json');
  }
}

export const LOCKABLE_SETTINGS = ['syncServerUrl', 'updates'] as const;
export type LockableSetting = (typeof LOCKABLE_SETTINGS)[number];

// IT's file: its messages follow the keys IT wrote ("syncServerUrl: must use https …").
const fleetConfigSchema = z.strictObject({
  syncServerUrl: syncServerAddress(null).optional(),
  updates: z
    .strictObject({
      enabled: z.boolean({ error: 'must be true or false' }).optional(),
      url: updateServerAddress().optional(),
    })
    .optional(),
  lock: z
    .array(z.enum(LOCKABLE_SETTINGS, { error: `must list settings among ${LOCKABLE_SETTINGS.join(', ')}` }))
    .optional(),
});
export type FleetConfig = z.infer<typeof fleetConfigSchema>;

/** What a user may set for themselves, unless IT locked it. */
export const userSettingsSchema = z.strictObject({
  syncServerUrl: syncServerAddress().nullable().optional(),
  updates: z.strictObject({ enabled: z.boolean({ error: 'must be true or false' }) }).optional(),
});
export type UserSettings = z.infer<typeof userSettingsSchema>;

export interface Settings {
  syncServerUrl: string | null;
  updates: { enabled: boolean; url: string | null };
}

export interface FleetConfigReading {
  path: string;
  config: FleetConfig;
  /** Why the file was ignored, in words for IT; null when it was read (or there is none). */
  problem: string | null;
}

/**
 * Safe defaults for a broken file: nothing preset, and updates held off (locked) until IT fixes
 * it, so that a mistyped "updates off" never lets an update through.
 */
const BROKEN_FILE: FleetConfig = { updates: { enabled: false }, lock: ['updates'] };

export function readFleetConfig(path: string): FleetConfigReading {
  if (!existsSync(path)) return { path, config: {}, problem: null };
  let raw: unknown;
  try {
    // Windows PowerShell writes UTF-8 with a byte-order mark; JSON.parse does not accept one.
    raw = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return {
      path,
      config: BROKEN_FILE,
      problem: `${path} is not valid JSON (${(error as Error).message}); it is ignored and updates are off.`,
    };
  }
  const parsed = fleetConfigSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      path,
      config: BROKEN_FILE,
      problem: `${path} is ignored and updates are off: ${describeFieldErrors(fieldErrors(parsed.error))}.`,
    };
  }
  return { path, config: parsed.data, problem: null };
}

/** This user's settings file; a missing or unreadable one means no choices made. */
export function readUserSettings(path: string): UserSettings {
  try {
    return userSettingsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return {};
  }
}

/** The settings in force: IT's locked values, else the user's, else IT's presets, else the defaults. */
export function effectiveSettings(
  fleet: FleetConfig,
  user: UserSettings,
): { settings: Settings; locked: LockableSetting[] } {
  const locked = [...new Set(fleet.lock ?? [])];
  const isLocked = (key: LockableSetting) => locked.includes(key);
  const syncServerUrl = isLocked('syncServerUrl')
    ? (fleet.syncServerUrl ?? null)
    : user.syncServerUrl !== undefined
      ? user.syncServerUrl
      : (fleet.syncServerUrl ?? null);
  const updatesEnabled = isLocked('updates')
    ? (fleet.updates?.enabled ?? true)
    : (user.updates?.enabled ?? fleet.updates?.enabled ?? true);
  return {
    settings: { syncServerUrl, updates: { enabled: updatesEnabled, url: fleet.updates?.url ?? null } },
    locked,
  };
}

/** The locked settings a change would touch; empty when the user may make it. */
export function lockedBy(change: UserSettings, locked: readonly LockableSetting[]): LockableSetting[] {
  return LOCKABLE_SETTINGS.filter((key) => change[key] !== undefined && locked.includes(key));
}
