// "Load sample data" for a fresh database: the demo dataset, so a new office can look around.
// Sample rows stay on this device: they are not queued for upload.
import { z } from 'zod';
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
      const data = generateSampleData({ size, today: ctx.now().toISOString().slice(0, 10) });
      let counts;
      try {
        counts = loadSampleData(ctx.sqlite, data);
      } catch (error) {
        throw conflict((error as Error).message);
      }
      ctx.change((w) => w.audit({ action: 'sample-data.load', after: { ...counts } }));
      return counts;
    },
  }),
};
