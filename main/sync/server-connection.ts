// A signed-in user's connection to the sync server: their tokens (kept in the secret store, which
// is Electron's safeStorage in the app), a fetch that carries the access token and renews it once
// when it has run out, and the sign-in that starts it all.
import { z } from 'zod';
import { canSignIn, type SignInRole } from '../../db/policy/roles.js';
import { AppError } from '../core/errors.js';
import { HEADERS } from '../../db/sync/protocol.js';

/** Where secrets live: encrypted by the operating system in the app, a plain map in Node tests. */
export interface SecretStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

export class MemorySecretStore implements SecretStore {
  readonly #values = new Map<string, string>();
  get = (key: string) => this.#values.get(key);
  set = (key: string, value: string) => void this.#values.set(key, value);
  delete = (key: string) => void this.#values.delete(key);
}

/** The server could not be reached, or answered with a failure worth retrying (429, 5xx). */
export class ServerUnreachable extends Error {
  constructor(
    message: string,
    /** How long the server asked to be left alone (its Retry-After), capped; null when it did not say. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  /** A 429 or 5xx answer, with the wait its Retry-After asks for. */
  static fromResponse(response: Response): ServerUnreachable {
    return new ServerUnreachable(
      `The sync server answered ${response.status}; trying again shortly.`,
      retryAfterMs(response.headers.get(HEADERS.retryAfter), response.headers.get('date')),
    );
  }
}

/** The longest wait a Retry-After is followed for: a server that asks for more is asked again then. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * A Retry-After header in milliseconds: delay-seconds, or an HTTP date (counted from the
 * answer's own Date, so the two clocks need not agree). Null when absent or unreadable.
 */
export function retryAfterMs(value: string | null, answeredAt: string | null = null, now = Date.now()): number | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // Every HTTP date form starts with the day's name ("Tue, 24 Nov 2026 10:00:00 GMT").
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const until = Date.parse(text);
  if (Number.isNaN(until)) return null;
  const from = answeredAt && !Number.isNaN(Date.parse(answeredAt)) ? Date.parse(answeredAt) : now;
  return Math.min(Math.max(0, until - from), MAX_RETRY_AFTER_MS);
}

const tokensSchema = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.string(),
});
export type ServerTokens = z.infer<typeof tokensSchema>;

const signedInSchema = tokensSchema.extend({
  user: z.object({
    id: z.string(),
    email: z.string(),
    role: z.string().refine((r) => canSignIn(r as SignInRole)),
    firstName: z.string(),
    lastName: z.string(),
  }),
  /** The key this device seals its audit chain with (base64), derived by the server from its own secret. */
  chainKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64')
    .optional(),
});
export type ServerUser = { id: string; email: string; role: SignInRole; firstName: string; lastName: string };

const REQUEST_TIMEOUT_MS = 15_000;

/** Normalises a configured address: no trailing slash, so paths join cleanly. */
export const serverBase = (url: string) => url.replace(/\/+$/, '');

/** Fetch that turns "no answer" and retryable answers into ServerUnreachable. */
async function reach(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
  } catch (error) {
    throw new ServerUnreachable(`The sync server at ${new URL(url).origin} cannot be reached (${describe(error)}).`);
  }
  if (response.status === 429 || response.status >= 500) {
    throw ServerUnreachable.fromResponse(response);
  }
  return response;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

/** An answer's JSON; one cut off mid-body is as good as no answer (the caller retries, or works offline). */
async function bodyOf(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    throw new ServerUnreachable(`The sync server's answer was cut off (${describe(error)}).`);
  }
}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The sync server answered ${response.status}.`;
}

/** Signs in against the server. Throws ServerUnreachable (then an offline sign-in may be tried) or an AppError. */
export async function signInToServer(
  url: string,
  credentials: { email: string; password: string; deviceId: string },
  fetchImpl: typeof fetch = fetch,
): Promise<{ tokens: ServerTokens; user: ServerUser; chainKey?: Buffer }> {
  const response = await reach(fetchImpl, `${serverBase(url)}/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (response.status === 401) {
    throw new AppError('unauthenticated', 'That email and password do not match an account on the sync server.');
  }
  if (response.status === 423) throw new AppError('locked', await errorMessage(response));
  if (!response.ok) throw new AppError('forbidden', await errorMessage(response));
  const parsed = signedInSchema.safeParse(await bodyOf(response));
  if (!parsed.success) throw new ServerUnreachable('The sync server gave an answer this version does not understand.');
  const { user, chainKey, ...tokens } = parsed.data;
  return { tokens, user: user as ServerUser, ...(chainKey ? { chainKey: Buffer.from(chainKey, 'base64') } : {}) };
}

export type ConnectionProblem = 'needs-sign-in' | null;

/** One user's authenticated access to one server. */
export class ServerConnection {
  #refreshing: Promise<boolean> | null = null;
  #problem: ConnectionProblem = null;

  constructor(
    readonly url: string,
    private readonly userId: string,
    private readonly secrets: SecretStore,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get #key(): string {
    return `sync-tokens ${serverBase(this.url)} ${this.userId}`;
  }

  get tokens(): ServerTokens | null {
    const stored = this.secrets.get(this.#key);
    if (!stored) return null;
    const parsed = tokensSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  }

  saveTokens(tokens: ServerTokens): void {
    this.secrets.set(this.#key, JSON.stringify(tokens));
    this.#problem = null;
  }

  forget(): void {
    this.secrets.delete(this.#key);
  }

  /** Set when the server no longer accepts this sign-in: only signing in again (online) helps. */
  get problem(): ConnectionProblem {
    return this.tokens ? this.#problem : 'needs-sign-in';
  }

  /**
   * Fetch with the access token; a 401 renews the tokens once and tries again. Network failures
   * reject (callers back off); a refused renewal answers 401 and sets `problem`.
   */
  fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const attempt = () => {
      const headers = new Headers(init.headers);
      const tokens = this.tokens;
      if (tokens) headers.set('authorization', `Bearer ${tokens.accessToken}`);
      return this.fetchImpl(input, { ...init, headers });
    };
    const first = await attempt();
    if (first.status !== 401 || !this.tokens) return first;
    await first.body?.cancel();
    return (await this.#refresh()) ? attempt() : new Response(null, { status: 401 });
  };

  /** A JSON request to the server's API. */
  async request(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      const response = await this.fetch(`${serverBase(this.url)}${path}`, {
        method,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 2),
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      if (response.status === 429 || response.status >= 500) {
        throw ServerUnreachable.fromResponse(response);
      }
      return response;
    } catch (error) {
      if (error instanceof ServerUnreachable) throw error;
      throw new ServerUnreachable(`The sync server cannot be reached (${describe(error)}).`);
    }
  }

  #refresh(): Promise<boolean> {
    this.#refreshing ??= (async () => {
      const tokens = this.tokens;
      if (!tokens) return false;
      const response = await reach(this.fetchImpl, `${serverBase(this.url)}/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      if (!response.ok) {
        // Expired, revoked or reused: this sign-in is over.
        this.#problem = 'needs-sign-in';
        this.forget();
        return false;
      }
      const renewed = tokensSchema.safeParse(await bodyOf(response));
      if (!renewed.success) return false;
      this.saveTokens(renewed.data);
      return true;
    })().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }
}
