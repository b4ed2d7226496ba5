// The browser host: the renderer and the same router, served on 127.0.0.1 for a browser, where
// the Electron runtime is not available (and for the end-to-end tests). It is a local door to
// the office's data, so it is guarded like one:
// - it listens on the loopback interface only, and refuses any Host header but its own (DNS rebinding);
// - every API call needs the per-launch token, which only the person who started it has (it is
//   in the URL fragment printed at start, never sent to the server except as a header);
// - every API call must come from its own origin (no other site's page can call it);
// - each tab gets its own connection id, made here: it is the caller id the core signs in;
// - a tab hears which tables changed only while signed in, and only of tables its role may read.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../core/core.js';
import type { Logger } from '../core/logger.js';
import type { ChangeTopic } from '../core/router.js';
import type { Identity } from '../core/sessions.js';
import { mayHearOf } from '../../db/policy/readable-tables.js';
import { serveAppFile } from '../security/app-files.js';

export interface BrowserHostOptions {
  core: Core;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  logger: Logger;
}

export interface BrowserHost {
  /** The address to open, with the token in its fragment. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const HEARTBEAT_MS = 25_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core, logger } = options;
  const token = randomBytes(32).toString('base64url');
  const connections = new Set<string>();
  /** Each open event stream, the connection it is for, and its deliveries in order. */
  const streams = new Map<ServerResponse, { connection: string; delivered: Promise<void> }>();
  let origin = '';

  const requireToken = (req: IncomingMessage) => {
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(presented);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new HttpError(401, 'This call needs the token from the address Roomy printed when it started.');
    }
  };
  const requireOrigin = (req: IncomingMessage) => {
    if (req.headers.origin !== origin) throw new HttpError(403, 'Calls are accepted only from Roomy’s own page.');
  };
  const requireConnection = (req: IncomingMessage): string => {
    const id = req.headers['x-roomy-connection'];
    if (typeof id !== 'string' || !connections.has(id)) {
      throw new HttpError(401, 'Unknown connection: reload the page.');
    }
    return id;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method !== 'POST') throw new HttpError(405, 'API calls are POST requests.');
    requireOrigin(req);
    requireToken(req);
    if (path === '/api/connect') {
      const id = `browser:${randomBytes(16).toString('base64url')}`;
      connections.add(id);
      return sendJson(res, 200, { connection: id });
    }
    const connection = requireConnection(req);
    if (path === '/api/call') {
      const body = await readJson(req);
      if (typeof body !== 'object' || body === null || typeof (body as { name?: unknown }).name !== 'string') {
        throw new HttpError(400, 'A call is {"name": "<operation>", "input": ...}.');
      }
      const { name, input } = body as { name: string; input?: unknown };
      const result = await core.call(connection, name as never, input);
      return sendJson(res, 200, result);
    }
    if (path === '/api/events') return openEventStream(res, connection);
    if (path === '/api/disconnect') {
      core.disconnect(connection);
      connections.delete(connection);
      for (const [stream, state] of streams) if (state.connection === connection) stream.end();
      return sendJson(res, 200, { ok: true });
    }
    throw new HttpError(404, 'There is no such API path.');
  };

  const openEventStream = (res: ServerResponse, connection: string) => {
    res.writeHead(200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.write(`${JSON.stringify({ type: 'ready' })}\n`);
    streams.set(res, { connection, delivered: Promise.resolve() });
    const heartbeat = setInterval(() => res.write(`${JSON.stringify({ type: 'heartbeat' })}\n`), HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
    });
  };

  /**
   * Which of these topics the stream's connection may hear: none unless it is signed in (asked of
   * the core at each event, so a sign-out, a deactivation or a new role counts at once), and of
   * tables only those its role may read.
   */
  const audible = async (connection: string, topics: ChangeTopic[]): Promise<ChangeTopic[]> => {
    const me = await core.call(connection, 'auth/me');
    if (!me.ok || !me.value) return [];
    const { role } = me.value as Identity;
    return topics.filter((topic) => mayHearOf(role, topic));
  };

  const unsubscribe = core.onChange((topics) => {
    for (const [stream, state] of streams) {
      // Asked once the code that made the change has returned, and in the order the changes came.
      state.delivered = state.delivered
        .then(() => audible(state.connection, topics))
        .then((tables) => {
          if (tables.length > 0 && !stream.writableEnded)
            stream.write(`${JSON.stringify({ type: 'changed', tables })}\n`);
        })
        .catch((error: unknown) => logger.error('A change event could not be sent', { error: String(error) }));
    }
  });

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const host = req.headers.host ?? '';
        if (`http://${host}` !== origin) throw new HttpError(421, 'Roomy answers only at 127.0.0.1.');
        const path = new URL(req.url ?? '/', origin).pathname;
        if (path.startsWith('/api/')) return await handleApi(req, res, path);
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Only GET for files.');
        const file = await serveAppFile(options.rendererDir, path);
        res.writeHead(file.status, file.headers);
        res.end(req.method === 'HEAD' ? undefined : file.body);
      } catch (error) {
        if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
        logger.error('Browser host request failed', { error: error instanceof Error ? error.stack : String(error) });
        if (!res.headersSent) sendJson(res, 500, { error: 'Something went wrong; the details are in the log.' });
        else res.end();
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  logger.info('Browser host listening', { origin });

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: async () => {
      unsubscribe();
      for (const stream of streams.keys()) stream.end();
      for (const connection of connections) core.disconnect(connection);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'Send the call as application/json.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The call is larger than 1 MB.');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'The call is not valid JSON.');
  }
}
