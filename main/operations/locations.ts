// Locations: the places properties are in, each with its time zone and default currency.
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { locationCreate, locationUpdate } from '../../db/contracts/entities.js';
import { id } from '../../db/contracts/fields.js';
import { locations } from '../../db/schema/sqlite.js';
import { defineOperation } from '../core/operation.js';
import { findInScope } from '../core/queries.js';

export const locationOperations = {
  'locations/list': defineOperation({
    input: z.strictObject({ includeInactive: z.boolean().default(false) }).default({ includeInactive: false }),
    run: (ctx, input) =>
      ctx.db
        .select()
        .from(locations)
        .where(input.includeInactive ? undefined : eq(locations.isActive, true))
        .orderBy(asc(locations.name))
        .all(),
  }),

  'locations/get': defineOperation({
    input: z.strictObject({ id: id() }),
    run: (ctx, { id }) => findInScope(ctx, 'locations', id, 'That location'),
  }),

  'locations/create': defineOperation({
    input: locationCreate,
    run: (ctx, input) => ctx.change((w) => w.insert('locations', input)),
  }),

  'locations/update': defineOperation({
    input: z.strictObject({ id: id(), changes: locationUpdate }),
    run: (ctx, { id, changes }) => {
      findInScope(ctx, 'locations', id, 'That location');
      return ctx.change((w) => w.update('locations', id, changes));
    },
  }),
};
