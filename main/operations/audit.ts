// The audit viewer's queries and the chain check.
import { and, count, desc, eq, gte, lt } from 'drizzle-orm';
import { z } from 'zod';
import { id, text } from '../../db/contracts/fields.js';
import { auditLog } from '../../db/schema/sqlite.js';
import { verifyAuditChain } from '../core/audit-chain.js';
import { defineOperation, type OperationContext } from '../core/operation.js';
import { anchorStatus, notCompared, type AnchorStatus } from '../sync/anchor.js';

/** A date (YYYY-MM-DD) or a full ISO instant; both compare correctly against stored ISO text. */
const moment = () =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'must be a date (YYYY-MM-DD) or an ISO instant');

export const auditOperations = {
  'audit/list': defineOperation({
    input: z.strictObject({
      actorId: id().optional(),
      entityType: text(60).optional(),
      entityId: text(60).optional(),
      action: text(100).optional(),
      from: moment().optional(),
      to: moment().optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }),
    run: (ctx, input) => {
      const where = and(
        input.actorId ? eq(auditLog.actorId, input.actorId) : undefined,
        input.entityType ? eq(auditLog.entityType, input.entityType) : undefined,
        input.entityId ? eq(auditLog.entityId, input.entityId) : undefined,
        input.action ? eq(auditLog.action, input.action) : undefined,
        input.from ? gte(auditLog.at, input.from) : undefined,
        input.to ? lt(auditLog.at, input.to) : undefined,
      );
      const items = ctx.db
        .select()
        .from(auditLog)
        .where(where)
        .orderBy(desc(auditLog.at), desc(auditLog.seq))
        .limit(input.limit)
        .offset(input.offset)
        .all();
      const total = ctx.db.select({ n: count() }).from(auditLog).where(where).get()?.n ?? 0;
      return { items, total };
    },
  }),

  'audit/verify': defineOperation({
    input: z.undefined().or(z.strictObject({})),
    run: async (ctx) => {
      const anchor = await serverAnchor(ctx);
      return verifyAuditChain(ctx.sqlite, anchor ? { anchor } : {});
    },
  }),
};

/**
 * A synced database's trail against the sync server's anchor: what was synced must still be here
 * as it was. Offline it is not checked, and says so; a database working alone has no anchor.
 */
async function serverAnchor(ctx: OperationContext): Promise<AnchorStatus | undefined> {
  const server = ctx.server();
  if (!server) return undefined;
  const status = ctx.sync()?.status();
  // Known to be out of reach: say so now rather than wait for the request to time out.
  if (status && (status.state === 'offline' || status.state === 'needs-sign-in')) {
    return {
      state: 'unchecked',
      message: notCompared(status.lastError ?? 'The sync server cannot be reached right now.'),
    };
  }
  return anchorStatus(ctx.sqlite, ctx.deviceId, () => server.deviceAnchor());
}
