// "Load sample data" for a fresh database: the demo dataset, so a new office can look around.
// Sample rows stay on this device: they are not queued for upload.
import { z } from 'zod';
import { isTimeZone, todayIn } from '../../db/domain/dates.js';
import { generateSampleData } from '../../db/sample/generate.js';
import { loadSampleData } from '../../db/sample/load.js';
import { conflict } from '../core/errors.js';
import { defineOperation } from '../core/operation.js';

export const sampleDataOperations = {
  'sample-data/load': defineOperation({
    input: z
      .strictObject({ size: z.literal('demo', { error: 'must be demo' }).default('demo') })
      .default({ size: 'demo' }),
    run: (ctx, { size }) => {
      // Today on this computer's calendar: the UTC date is yesterday east of Greenwich before dawn.
      const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const data = generateSampleData({ size, today: todayIn(isTimeZone(here) ? here : 'UTC', ctx.now()) });
      if (ctx.sqlite.prepare('SELECT 1 FROM properties LIMIT 1').get()) {
        throw conflict('Sample data can only be loaded into an empty database: this one already has properties.');
      }
      // The load and its audit row commit together (the loader's own transaction nests as a savepoint).
      return ctx.change((w) => {
        const counts = loadSampleData(ctx.sqlite, data);
        w.audit({ action: 'sample-data.load', after: { ...counts } });
        return counts;
      });
    },
  }),
};
