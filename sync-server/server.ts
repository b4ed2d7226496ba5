// The sync server's HTTP surface: sign-in and sessions, changesets up, shapes down, health.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { z } from 'zod';
import type { CentralDatabase } from '../db/central-database.js';
import { serverIssuedChainKey } from '../db/audit/chain-hash.js';
import { id } from '../db/contracts/fields.js';
import { newId } from '../db/domain/ids.js';
import { deviceAnchor, DeviceOfAnother } from './auth/devices.js';
import { Sessions, type Authenticated } from './auth/sessions.js';
import { changesetBatch, ENDPOINTS, knownChangesetsRequest, signInRequest } from '../db/sync/protocol.js';
import { applyChangesets, knownChangesets } from './changes/apply-changesets.js';
import { ChangeFeed } from './changes/change-log.js';
import type { SyncServerConfig, TrustProxy } from './config.js';
import { HttpError, parseOr400 } from './http-errors.js';
import { Shapes } from './shapes/shapes.js';
import { loadCatalog } from './tables.js';

export type ServerSettings = Omit<
  SyncServerConfig,
  'databaseUrl' | 'dataDir' | 'tokenSecret' | 'host' | 'port' | 'snapshotChunkRows' | 'trustProxy'
> & {
  /** Proxies trusted to name the client (off unless given). */
  trustProxy?: TrustProxy;
  /** Rows per snapshot answer (10,000 unless set). */
  snapshotChunkRows?: number;
  tokenSecret: string;
  /** How often to look for changes written by other processes. */
  feedPollMs?: number;
  now?: () => Date;
};

export interface SyncServer {
  app: FastifyInstance;
  shapes: Shapes;
  feed: ChangeFeed;
  sessions: Sessions;
  /** Stops taking requests, answers held long-polls, finishes in-flight writes. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 10_000;

const SHAPE_EXPOSED_HEADERS = [
  'electric-cursor',
  'electric-handle',
  'electric-has-data',
  'electric-offset',
  'electric-schema',
  'electric-up-to-date',
  'retry-after',
];

const newPassword = z.string({ error: 'is required' }).min(1, 'is required').max(256, 'must be at most 256 characters');
const changePasswordBody = z.strictObject({ currentPassword: newPassword, newPassword });
const setPasswordBody = z.strictObject({ newPassword });
const userIdParams = z.strictObject({ id: id() });
const refreshBody = z.strictObject({ refreshToken: z.string({ error: 'is required' }).min(1, 'is required').max(200) });

declare module 'fastify' {
  interface FastifyRequest {
    session?: Authenticated;
  }
}

export async function createSyncServer(central: CentralDatabase, settings: ServerSettings): Promise<SyncServer> {
  const catalog = await loadCatalog(central.query);
  const feed = await ChangeFeed.open(central.query, { pollMs: settings.feedPollMs ?? 1000 });
  const sessions = new Sessions(central, settings);
  const shapes = new Shapes(central, catalog, feed, {
    longPollMs: settings.longPollMs,
    ...(settings.snapshotChunkRows ? { snapshotChunkRows: settings.snapshotChunkRows } : {}),
  });

  const app = Fastify({
    logger: { level: settings.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    bodyLimit: settings.bodyLimitBytes,
    genReqId: () => newId(),
    requestIdHeader: false,
    // Behind a proxy every connection comes from the proxy: only proxies named in the settings
    // may say who the client is, so that request.ip (and each rate limit) is the client's.
    trustProxy: settings.trustProxy ?? false,
    // Long-polls are held ~20 s; leave room.
    requestTimeout: 60_000,
  });

  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } } });
  await app.register(cors, {
    origin: settings.allowedOrigins.length > 0 ? settings.allowedOrigins : false,
    exposedHeaders: SHAPE_EXPOSED_HEADERS,
    allowedHeaders: ['authorization', 'content-type'],
    methods: ['GET', 'POST', 'OPTIONS'],
  });
  await app.register(rateLimit, {
    max: settings.rateLimit,
    timeWindow: '1 minute',
    keyGenerator: clientAddress,
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `Too many requests: try again in ${Math.ceil(context.ttl / 1000)} s.`),
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('cache-control', 'private, no-store');
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof HttpError) return sendError(reply, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(
        reply,
        new HttpError(413, 'payload_too_large', `The request body is larger than ${settings.bodyLimitBytes} bytes.`),
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, new HttpError(415, 'validation', 'Send the body as application/json.'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code = error.statusCode === 429 ? 'rate_limited' : 'validation';
      const fields = error.statusCode === 400 ? { body: error.message } : undefined;
      return sendError(reply, new HttpError(error.statusCode, code, error.message, fields));
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, new HttpError(500, 'internal', 'The server failed to answer; it has been logged.'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new HttpError(404, 'not_found', `There is no ${request.method} ${request.url.split('?')[0]}.`)),
  );

  const authenticate = async (request: FastifyRequest) => {
    request.session = await sessions.authenticate(request.headers.authorization);
  };

  // ---- health: no token needed ----
  app.get('/health/live', { config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { config: { rateLimit: false } }, async (_request, reply) => {
    try {
      await central.query('SELECT 1');
      return { status: 'ready', database: central.kind };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: central.kind });
    }
  });

  // ---- sessions ----
  const signInLimit = {
    rateLimit: { max: settings.signInRateLimit, timeWindow: '1 minute', keyGenerator: clientAddress },
  };
  app.post(ENDPOINTS.signIn, { config: signInLimit }, async (request) => {
    const body = parseOr400(signInRequest, request.body);
    try {
      return await sessions.signIn(body.email, body.password, body.deviceId);
    } catch (error) {
      if (error instanceof DeviceOfAnother) {
        request.log.warn(
          { deviceId: error.deviceId, userId: error.userId, ownerId: error.ownerId },
          'sign-in refused: the device belongs to another person',
        );
      }
      throw error;
    }
  });
  app.post('/v1/auth/refresh', { config: signInLimit }, async (request) => {
    const body = parseOr400(refreshBody, request.body);
    return sessions.refresh(body.refreshToken);
  });
  app.post('/v1/auth/sign-out', { onRequest: authenticate }, async (request, reply) => {
    await sessions.signOut(request.session!.familyId);
    return reply.code(204).send();
  });
  app.post('/v1/auth/password', { onRequest: authenticate, config: signInLimit }, async (request, reply) => {
    const body = parseOr400(changePasswordBody, request.body);
    await sessions.changeOwnPassword(request.session!, body.currentPassword, body.newPassword);
    return reply.code(204).send();
  });
  app.post('/v1/users/:id/password', { onRequest: authenticate }, async (request, reply) => {
    const { id: userId } = parseOr400(userIdParams, request.params, 'The user id');
    const body = parseOr400(setPasswordBody, request.body);
    await sessions.setPassword(request.session!, userId, body.newPassword);
    return reply.code(204).send();
  });
  app.get('/v1/auth/me', { onRequest: authenticate }, async (request) => ({ user: request.session!.user }));

  // ---- changesets up ----
  app.post(ENDPOINTS.changesets, { onRequest: authenticate }, async (request) => {
    const batch = parseOr400(changesetBatch, request.body, 'The changeset batch');
    const { user, deviceId } = request.session!;
    const results = await applyChangesets(
      central,
      catalog,
      { id: user.id, role: user.role, deviceId },
      batch,
      serverIssuedChainKey(settings.tokenSecret, deviceId),
    );
    // Live shape requests wake as soon as the log has the new entries.
    if (results.some((r) => r.status === 'applied')) await feed.refresh();
    return { results };
  });
  app.post(ENDPOINTS.knownChangesets, { onRequest: authenticate }, async (request) => {
    const { ids } = parseOr400(knownChangesetsRequest, request.body, 'The list of changesets');
    return { known: await knownChangesets(central.query, request.session!.user.id, ids) };
  });

  // ---- the session's device ----
  app.get(ENDPOINTS.deviceAnchor, { onRequest: authenticate }, async (request) => {
    const anchor = await deviceAnchor(central.query, request.session!.deviceId);
    if (!anchor) throw new HttpError(404, 'not_found', 'The sync server holds no audit entries from this device yet.');
    return anchor;
  });

  // ---- shapes down ----
  app.get('/v1/shape', { onRequest: authenticate }, async (request, reply) => {
    const answer = await shapes.serve(request.session!.user, request.query as Record<string, unknown>);
    if (typeof answer.body === 'string') reply.type('application/json; charset=utf-8');
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });

  app.addHook('preClose', async () => shapes.releaseHeld());

  // Node waits on a connection that has not sent a request yet (a browser's preconnect, a
  // client's spare socket) as if it were busy: such connections are closed at shutdown.
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.addHook('onRequest', async (request) => void unused.delete(request.raw.socket));

  return {
    app,
    shapes,
    feed,
    sessions,
    async close() {
      shapes.releaseHeld();
      const closing = app.close();
      for (const socket of unused) socket.destroy();
      // In-flight requests get time to finish; a peer that never lets go does not hold the server.
      const deadline = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await closing;
      } finally {
        clearTimeout(deadline);
        feed.close();
      }
    },
  };
}

/** Whom a rate limit counts: the client as the trusted proxies name it, else the connection's peer. */
function clientAddress(request: FastifyRequest): string {
  return request.ip;
}

function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.body());
}
