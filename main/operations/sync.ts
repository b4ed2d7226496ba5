// The sync status and the conflicts list: what the status bar and the Sync screen show. On a
// computer that works alone they say so; on a synced one they ask the signed-in user's engine.
import { z } from 'zod';
import { syncServerAddress } from '../../db/contracts/fields.js';
import { writeFileSync } from 'node:fs';
import { hasUsers } from './auth.js';
import { forbidden } from '../core/errors.js';
import { defineOperation, definePublicOperation } from '../core/operation.js';
import { effectiveSettings, lockedBy, readUserSettings } from '../fleet-config.js';

const none = z.undefined().or(z.strictObject({}));

export const syncOperations = {
  'sync/status': defineOperation({
    input: none,
    run: (ctx) => ctx.sync()?.status() ?? { mode: 'standalone' as const },
  }),

  'sync/conflicts': defineOperation({
    input: none,
    run: (ctx) => ctx.sync()?.conflicts() ?? [],
  }),

  'sync/resolve-conflict': defineOperation({
    input: z.strictObject({
      changesetId: z.string({ error: 'is required' }).min(1, 'is required'),
      resolution: z.enum(['dismissed', 'redone'], { error: 'must be dismissed or redone' }),
    }),
    run: (ctx, { changesetId, resolution }) => {
      const sync = ctx.sync();
      if (!sync) throw forbidden('This computer works alone: it has no sync conflicts.');
      return sync.resolve(changesetId, resolution, { id: ctx.identity.userId, role: ctx.identity.role });
    },
  }),

  'sync/upload-now': defineOperation({
    input: none,
    run: async (ctx) => {
      const sync = ctx.sync();
      if (!sync) throw forbidden('This computer works alone: there is nothing to upload.');
      await sync.upload();
      return sync.status();
    },
  }),

  /**
   * A new installation joins its office's sync server before anyone signs in (the first
   * administrator is made on the server). Once this computer has users, only an admin changes it.
   */
  'sync/connect': definePublicOperation({
    input: z.strictObject({ syncServerUrl: syncServerAddress() }),
    run: (ctx, { syncServerUrl }) => {
      // People who sign in here with a server must not be redirected by a window nobody is signed in to.
      if (hasUsers(ctx) || ctx.door()?.joined())
        throw forbidden('This computer is already set up: an administrator changes its sync server.');
      const env = ctx.environment;
      const current = effectiveSettings(env.fleet.config, readUserSettings(env.settingsFile));
      if (lockedBy({ syncServerUrl }, current.locked).length > 0)
        throw forbidden('Your IT department manages the sync server on this computer.');
      writeFileSync(
        env.settingsFile,
        JSON.stringify({ ...readUserSettings(env.settingsFile), syncServerUrl }, null, 2),
      );
      return { syncServerUrl };
    },
  }),
};
