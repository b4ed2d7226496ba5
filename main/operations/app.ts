// The installation itself: About, settings (within IT's locks), folders, a diagnostics bundle for
// support, and the local backups.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { z } from 'zod';
import { appliedLocalMigrations } from '../../db/local-database.js';
import { createBackup, exportDatabase, listBackups, stageRestore } from '../backups.js';
import { AppError, conflict, forbidden, invalid } from '../core/errors.js';
import { unlessTrailBroken } from '../core/chain-keeper.js';
import { defineOperation, scopeCondition, type OperationContext } from '../core/operation.js';
import { SYNCED_TABLES, type SyncedTable } from '../core/synced-tables.js';
import { effectiveSettings, lockedBy, readUserSettings, userSettingsSchema } from '../fleet-config.js';
import { readableTables } from '../../db/policy/readable-tables.js';
import { redact } from '../redaction.js';

const none = z.undefined().or(z.strictObject({}));

function settingsView(ctx: OperationContext) {
  const { settings, locked } = effectiveSettings(
    ctx.environment.fleet.config,
    readUserSettings(ctx.environment.settingsFile),
  );
  return {
    settings,
    locked,
    fleetConfig: { path: ctx.environment.fleet.path, problem: ctx.environment.fleet.problem },
  };
}

const FOLDERS = {
  logs: 'logsDir',
  backups: 'backupsDir',
  data: 'dataDir',
  exports: 'exportsDir',
  diagnostics: 'diagnosticsDir',
} as const;

/**
 * The rows of each table the caller may read, counted as they may see them (an agent, their own
 * properties'): a bundle any role can make tells no more than that role's screens.
 */
function visibleRowCounts(ctx: OperationContext): Record<string, number> {
  return Object.fromEntries(
    readableTables(ctx.identity.role).map(({ table, access }) => {
      const rows = ctx.db
        .select({ n: count() })
        .from(SYNCED_TABLES[table] as SyncedTable)
        .where(scopeCondition(table, ctx.identity, access))
        .get();
      return [table, rows?.n ?? 0];
    }),
  );
}

export const appOperations = {
  'app/about': defineOperation({
    input: none,
    run: (ctx) => {
      const env = ctx.environment;
      const { settings } = settingsView(ctx);
      return {
        version: env.version,
        runtime: env.runtime,
        platform: `${process.platform} ${process.arch}`,
        databaseFile: ctx.sqlite.name,
        dataDir: env.dataDir,
        logsDir: env.logsDir,
        backupsDir: env.backupsDir,
        deviceId: ctx.deviceId,
        sync: settings.syncServerUrl
          ? { mode: 'server' as const, url: settings.syncServerUrl }
          : { mode: 'standalone' as const, url: null },
        tokenStorage: env.tokenStorage,
        lastBackupAt: listBackups(env.backupsDir)[0]?.createdAt ?? null,
        fleetConfigProblem: env.fleet.problem,
        canOpenFolders: env.openFolder !== undefined,
      };
    },
  }),

  'app/settings': defineOperation({ input: none, run: (ctx) => settingsView(ctx) }),

  'app/update-settings': defineOperation({
    input: userSettingsSchema.refine((v) => Object.keys(v).length > 0, 'nothing to change: give at least one setting'),
    run: (ctx, change) => {
      const locked = lockedBy(change, settingsView(ctx).locked);
      if (locked.length > 0) throw forbidden(`Your IT department manages ${locked.join(' and ')} on this computer.`);
      const next = { ...readUserSettings(ctx.environment.settingsFile), ...change };
      writeFileSync(ctx.environment.settingsFile, JSON.stringify(next, null, 2));
      ctx.change((w) => w.audit({ action: 'app.update-settings', after: { ...change } }));
      return settingsView(ctx);
    },
  }),

  'app/open-folder': defineOperation({
    input: z.strictObject({
      folder: z.enum(Object.keys(FOLDERS) as [keyof typeof FOLDERS], {
        error: `must be one of ${Object.keys(FOLDERS).join(', ')}`,
      }),
    }),
    run: async (ctx, { folder }) => {
      const path = ctx.environment[FOLDERS[folder]];
      mkdirSync(path, { recursive: true });
      if (!ctx.environment.openFolder) return { opened: false, path };
      await ctx.environment.openFolder(path);
      return { opened: true, path };
    },
  }),

  'app/diagnostics': defineOperation({
    input: none,
    run: (ctx) => {
      const env = ctx.environment;
      const now = ctx.now();
      const logs = existsSync(env.logsDir)
        ? readdirSync(env.logsDir)
            .filter((name) => name.endsWith('.log'))
            .map((name) => ({ name, text: redact(readFileSync(join(env.logsDir, name), 'utf8').slice(-512 * 1024)) }))
        : [];
      const bundle = {
        createdAt: now.toISOString(),
        version: env.version,
        runtime: env.runtime,
        platform: {
          os: process.platform,
          arch: process.arch,
          node: process.versions.node,
          electron: process.versions.electron ?? null,
        },
        sqlite: ctx.sqlite.prepare('SELECT sqlite_version()').pluck().get(),
        migrations: appliedLocalMigrations(ctx.sqlite).length,
        integrity: ctx.sqlite.pragma('quick_check', { simple: true }),
        rowCounts: visibleRowCounts(ctx),
        settings: settingsView(ctx),
        backups: listBackups(env.backupsDir).map((b) => ({ createdAt: b.createdAt, bytes: b.bytes })),
        logs,
      };
      mkdirSync(env.diagnosticsDir, { recursive: true });
      const path = join(env.diagnosticsDir, `roomy-diagnostics-${now.toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(path, JSON.stringify(bundle, null, 2));
      return { path, bytes: Buffer.byteLength(JSON.stringify(bundle, null, 2)) };
    },
  }),

  'backups/list': defineOperation({
    input: none,
    run: (ctx) =>
      listBackups(ctx.environment.backupsDir).map(({ name, bytes, createdAt }) => ({ name, bytes, createdAt })),
  }),

  'backups/create': defineOperation({
    input: none,
    run: async (ctx) => {
      const backup = await createBackup(
        ctx.sqlite,
        ctx.environment.backupsDir,
        ctx.now(),
        undefined,
        ctx.environment.nativeBinding,
      );
      ctx.change((w) => w.audit({ action: 'backups.create', after: { name: backup.name } }));
      return { name: backup.name, bytes: backup.bytes, createdAt: backup.createdAt };
    },
  }),

  'backups/export': defineOperation({
    input: none,
    run: async (ctx) => {
      const path = await exportDatabase(
        ctx.sqlite,
        ctx.environment.exportsDir,
        ctx.now(),
        ctx.environment.nativeBinding,
      );
      ctx.change((w) => w.audit({ action: 'backups.export', after: { path } }));
      return { path };
    },
  }),

  'backups/restore': defineOperation({
    input: z.strictObject({ name: z.string({ error: 'is required' }).min(1, 'is required') }),
    run: (ctx, { name }) => {
      const backup = listBackups(ctx.environment.backupsDir).find((b) => b.name === name);
      if (!backup) throw invalid('name', 'is not one of the backups on this computer');
      try {
        stageRestore(backup.path, ctx.sqlite.name, ctx.environment.migrationsFolder, ctx.environment.nativeBinding);
      } catch (error) {
        if (error instanceof AppError) throw conflict(`This backup cannot be restored. ${error.message}`);
        throw error;
      }
      // The restored database records the restore when it opens (createCore); this one keeps the
      // request, unless its trail was tampered with: then restoring is the way out, not a change.
      unlessTrailBroken(() => ctx.change((w) => w.audit({ action: 'backups.restore-staged', after: { name } })));
      return { staged: name, restartRequired: true };
    },
  }),
};
