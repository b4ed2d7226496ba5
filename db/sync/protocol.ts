// The sync protocol between a desktop and the sync server, written once and imported by both
// ends: the endpoints, the headers, what each request carries and each answer holds, and the codes
// a refusal can have. Reads (GET /v1/shape) follow Electric's shape protocol, which the official
// client speaks; everything else is ours and is here.
import { z } from 'zod';
import { email, id, instant, text } from '../contracts/fields.js';

/** The tables devices replicate, in the order a first sync fetches them. */
export const SYNCED_TABLE_NAMES = [
  'users',
  'locations',
  'properties',
  'reservations',
  'tasks',
  'ledger_entries',
  'audit_log',
] as const;
export type SyncedTableName = (typeof SYNCED_TABLE_NAMES)[number];

export const ENDPOINTS = {
  signIn: '/v1/auth/sign-in',
  refresh: '/v1/auth/refresh',
  signOut: '/v1/auth/sign-out',
  me: '/v1/auth/me',
  ownPassword: '/v1/auth/password',
  userPassword: (userId: string) => `/v1/users/${encodeURIComponent(userId)}/password`,
  changesets: '/v1/changesets',
  knownChangesets: '/v1/changesets/known',
  shape: '/v1/shape',
  deviceAnchor: '/v1/devices/me/anchor',
} as const;

export const HEADERS = {
  authorization: 'authorization',
  requestId: 'x-request-id',
  retryAfter: 'retry-after',
} as const;

// ---- sign-in and tokens ----

export const serverTokens = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.string(),
});
export type ServerTokens = z.infer<typeof serverTokens>;

/** A sign-in names the device it is made from: a device signs in for one person only. */
export const signInRequest = z.strictObject({
  email: email(),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(256, 'must be at most 256 characters'),
  deviceId: text(100),
});
export type SignInRequest = z.infer<typeof signInRequest>;

export const signedInAnswer = serverTokens.extend({
  user: z.object({
    id: z.string(),
    email: z.string(),
    role: z.string(),
    firstName: z.string(),
    lastName: z.string(),
  }),
  /** The key the device seals its audit trail with: base64 of 32 bytes the server derives from its secret. */
  chainKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64'),
});
export type SignedInAnswer = z.infer<typeof signedInAnswer>;

// ---- the device's audit trail ----

/**
 * The newest entry of the session's device's audit trail that the server holds (404 when it holds
 * none): a device whose own trail lacks it, or holds it with another hash, rewrote or cut short
 * history it had already synced.
 */
export const deviceAnchor = z.object({
  seq: z.number().int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
});
export type DeviceAnchor = z.infer<typeof deviceAnchor>;

// ---- changesets up ----

export const MAX_CHANGESETS = 200;
export const MAX_OPS = 2000;

export const changesetOp = z.strictObject({
  table: z.enum(SYNCED_TABLE_NAMES, { error: `must be one of ${SYNCED_TABLE_NAMES.join(', ')}` }),
  op: z.enum(['insert', 'update', 'delete'], { error: 'must be insert, update or delete' }),
  id: id(),
  values: z.record(z.string(), z.unknown(), { error: 'must be an object of column values' }).optional(),
  /**
   * For an update: the changed columns as the device saw them before its edit. A column another
   * device changed meanwhile makes the update stale: it is refused, never silently overwritten.
   */
  expected: z.record(z.string(), z.unknown(), { error: 'must be an object of column values' }).optional(),
});

export const changesetBatch = z.strictObject({
  changesets: z
    .array(
      z.strictObject({
        id: id(),
        deviceId: text(100),
        createdAt: instant(),
        ops: z.array(changesetOp).min(1, 'must hold at least one op').max(MAX_OPS, `must hold at most ${MAX_OPS} ops`),
      }),
      { error: 'must be a list of changesets' },
    )
    .min(1, 'must hold at least one changeset')
    .max(MAX_CHANGESETS, `must hold at most ${MAX_CHANGESETS} changesets`),
});
export type ChangesetBatch = z.infer<typeof changesetBatch>;
export type Changeset = ChangesetBatch['changesets'][number];

/** Why the server refused a changeset; the whole changeset was rolled back. */
export const REJECTION_CODES = [
  'validation',
  'forbidden',
  'not_found',
  'conflict',
  'append_only',
  'dependency_rejected',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export const changesetResult = z.discriminatedUnion('status', [
  z.object({ id: z.string(), status: z.literal('applied'), txid: z.coerce.number() }),
  z.object({
    id: z.string(),
    status: z.literal('rejected'),
    code: z.string(),
    message: z.string(),
    op: z.number().optional(),
    field: z.string().optional(),
  }),
]);
/** A refusal's message is words for the person; `op` (its index) and `field` say where it lies. */
export type ChangesetResult =
  | { id: string; status: 'applied'; txid: number }
  | { id: string; status: 'rejected'; code: RejectionCode; message: string; op?: number; field?: string };

export const changesetAnswer = z.object({ results: z.array(changesetResult) });

/**
 * Which of these changesets (this user's) the server has answered. A database restored to an
 * earlier point has lost some: a device sends those again.
 */
export const MAX_KNOWN_QUERY = 1000;
export const knownChangesetsRequest = z.strictObject({
  ids: z
    .array(id(), { error: 'must be a list of changeset ids' })
    .max(MAX_KNOWN_QUERY, `must hold at most ${MAX_KNOWN_QUERY} ids`),
});
export const knownChangesetsAnswer = z.object({ known: z.array(z.string()) });

// ---- errors ----

/** The codes of every error an endpoint answers with (the shape endpoint's 409 aside). */
export const HTTP_ERROR_CODES = [
  'validation',
  'unauthenticated',
  'forbidden',
  'not_found',
  'locked',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** Every error answer: {"error": {"code", "message", "fields"?}}. */
export const errorAnswer = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
