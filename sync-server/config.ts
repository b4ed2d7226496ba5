// The server's settings, from the environment only, checked once at start: a wrong value stops
// the server with a message naming the variable, instead of surfacing later as odd behaviour.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { describeFieldErrors, fieldErrors } from '../db/contracts/errors.js';

const whole = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const origins = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url({ error: 'must be a comma-separated list of origins such as https://office.example.com' })));

/** The proxies in front of the server that may say who the client is (Fastify's `trustProxy`). */
export type TrustProxy = false | string[];

/** Names proxy-addr knows: loopback is 127.0.0.1/8 and ::1 (a proxy on the same machine). */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR block or a named range: 10.0.0.5, 10.0.0.0/8, fd00::/8, loopback. */
function isAddressOrBlock(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Off unless set: X-Forwarded-For is believed only from a connection that comes from one of these
 * addresses or blocks. A count of proxies is refused: it would believe the header whoever sent it.
 */
const trustProxy = z.string().transform((value, ctx): TrustProxy => {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const wrong = entries.filter((e) => !isAddressOrBlock(e));
  if (entries.length === 0 || wrong.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must list the proxies' addresses or CIDR blocks, comma-separated (such as 10.0.0.5,10.1.0.0/16 or loopback); not an address: ${wrong.join(', ')}`,
    });
    return z.NEVER;
  }
  return entries;
});

const ENVIRONMENT = z.object({
  DATABASE_URL: z
    .url({ error: 'must be a postgres:// connection URL' })
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// connection URL')
    .optional(),
  ROOMY_SYNC_DATA_DIR: z.string().min(1).default('.roomy-sync'),
  ROOMY_SYNC_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters of random text').optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: whole(0, 65_535).default(8787),
  ROOMY_SYNC_ALLOWED_ORIGINS: origins.default([]),
  ROOMY_SYNC_RATE_LIMIT: whole(1, 1_000_000).default(1200),
  ROOMY_SYNC_SIGN_IN_RATE_LIMIT: whole(1, 10_000).default(10),
  ROOMY_SYNC_TRUST_PROXY: trustProxy.optional(),
  ROOMY_SYNC_BODY_LIMIT: whole(1024, 100 * 1024 * 1024).default(2 * 1024 * 1024),
  ROOMY_SYNC_LONG_POLL_MS: whole(100, 40_000).default(20_000),
  ROOMY_SYNC_SNAPSHOT_CHUNK_ROWS: whole(100, 1_000_000).default(10_000),
  ROOMY_SYNC_ACCESS_TOKEN_MINUTES: whole(1, 24 * 60).default(15),
  ROOMY_SYNC_REFRESH_TOKEN_DAYS: whole(1, 365).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface SyncServerConfig {
  /** A real Postgres, or null for the embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Null when embedded: the server then keeps a generated secret in its data folder. */
  tokenSecret: string | null;
  host: string;
  port: number;
  allowedOrigins: string[];
  /** Requests per minute per client address. */
  rateLimit: number;
  signInRateLimit: number;
  /**
   * Proxies whose X-Forwarded-For names the client: then rate limits count each client, not the
   * proxy. False (the default) ignores the header, as a server reached directly must.
   */
  trustProxy: TrustProxy;
  bodyLimitBytes: number;
  longPollMs: number;
  /** Rows per snapshot answer; a larger snapshot continues in further requests. */
  snapshotChunkRows: number;
  accessTokenMinutes: number;
  refreshTokenDays: number;
  logLevel: z.infer<typeof ENVIRONMENT>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): SyncServerConfig {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ENVIRONMENT.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(
      `The sync server's configuration is wrong: ${describeFieldErrors(fieldErrors(parsed.error))}`,
    );
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.ROOMY_SYNC_TOKEN_SECRET) {
    throw new ConfigError(
      'The sync server needs ROOMY_SYNC_TOKEN_SECRET (at least 32 random characters) when DATABASE_URL is set, ' +
        'so that every server in front of that database signs and checks tokens alike.',
    );
  }
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: resolve(e.ROOMY_SYNC_DATA_DIR),
    tokenSecret: e.ROOMY_SYNC_TOKEN_SECRET ?? null,
    host: e.HOST,
    port: e.PORT,
    allowedOrigins: e.ROOMY_SYNC_ALLOWED_ORIGINS,
    rateLimit: e.ROOMY_SYNC_RATE_LIMIT,
    signInRateLimit: e.ROOMY_SYNC_SIGN_IN_RATE_LIMIT,
    trustProxy: e.ROOMY_SYNC_TRUST_PROXY ?? false,
    bodyLimitBytes: e.ROOMY_SYNC_BODY_LIMIT,
    longPollMs: e.ROOMY_SYNC_LONG_POLL_MS,
    snapshotChunkRows: e.ROOMY_SYNC_SNAPSHOT_CHUNK_ROWS,
    accessTokenMinutes: e.ROOMY_SYNC_ACCESS_TOKEN_MINUTES,
    refreshTokenDays: e.ROOMY_SYNC_REFRESH_TOKEN_DAYS,
    logLevel: e.LOG_LEVEL,
  };
}
