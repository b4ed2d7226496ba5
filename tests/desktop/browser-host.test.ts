// The browser host is a local door to the office's data: it must answer only its own page, on
// loopback, with the launch token, and keep each tab's sign-in to that tab.
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../main/host/browser-host.js';
import { silentLogger } from '../../main/core/logger.js';
import { seedStaff } from '../core/seed.js';
import { createTestCore, STRONG_PASSWORD, type TestCore } from '../core/test-core.js';
import { tempDir } from '../harness/databases.js';

describe('the browser host', () => {
  let core: TestCore;
  let host: BrowserHost;
  let files: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    core = createTestCore();
    files = tempDir('roomy-renderer-');
    writeFileSync(
      join(files.path, 'index.html'),
      '<!doctype html><meta name="style-nonce" content="__ROOMY_STYLE_NONCE__">',
    );
    host = await startBrowserHost({ core, rendererDir: files.path, logger: silentLogger });
  });
  afterEach(async () => {
    await host.close();
    core.dispose();
    files.remove();
  });

  const api = (
    path: string,
    init: {
      token?: string;
      origin?: string | null;
      connection?: string;
      body?: string;
      contentType?: string;
      method?: string;
    } = {},
  ) =>
    fetch(`${host.origin}${path}`, {
      method: init.method ?? 'POST',
      headers: {
        ...(init.token !== undefined ? { Authorization: `Bearer ${init.token}` } : {}),
        ...(init.origin !== null ? { Origin: init.origin ?? host.origin } : {}),
        ...(init.connection ? { 'X-Roomy-Connection': init.connection } : {}),
        'Content-Type': init.contentType ?? 'application/json',
      },
      body: init.method === 'GET' ? undefined : (init.body ?? '{}'),
    });

  const connect = async () => {
    const response = await api('/api/connect', { token: host.token });
    expect(response.status).toBe(200);
    return ((await response.json()) as { connection: string }).connection;
  };

  const call = async (connection: string, name: string, input?: unknown) => {
    const response = await api('/api/call', { token: host.token, connection, body: JSON.stringify({ name, input }) });
    expect(response.status).toBe(200);
    return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string } };
  };

  it('listens on loopback only, and gives the token in the address fragment, never the query', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const url = new URL(host.url);
    expect(url.search).toBe('');
    expect(url.hash).toBe(`#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the page with its security headers and a fresh style nonce', async () => {
    const first = await fetch(`${host.origin}/`);
    const second = await fetch(`${host.origin}/`);
    expect(first.status).toBe(200);
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(await first.text()).toContain(`content="${nonce}"`);
    expect(await second.text()).not.toContain(`content="${nonce}"`);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'not-the-token'],
    ['a token one character short', 'x'],
  ])('refuses a call with %s', async (_case, token) => {
    const response = await api('/api/connect', { token });
    expect(response.status).toBe(401);
  });

  it('refuses calls from another origin, or with no origin at all', async () => {
    expect((await api('/api/connect', { token: host.token, origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('/api/connect', { token: host.token, origin: 'http://localhost:1' })).status).toBe(403);
    expect((await api('/api/connect', { token: host.token, origin: null })).status).toBe(403);
  });

  it('refuses a request addressed to another host name (DNS rebinding)', async () => {
    const { port } = new URL(host.origin);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/', method: 'GET', headers: { Host: `rebound.example:${port}` } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('refuses an unknown connection, GET calls, non-JSON and bad JSON, and bodies over 1 MB', async () => {
    const connection = await connect();
    expect((await api('/api/call', { token: host.token, connection: 'browser:made-up' })).status).toBe(401);
    expect((await api('/api/call', { token: host.token, connection, method: 'GET' })).status).toBe(405);
    expect((await api('/api/call', { token: host.token, connection, contentType: 'text/plain' })).status).toBe(415);
    expect((await api('/api/call', { token: host.token, connection, body: '{"name":' })).status).toBe(400);
    expect((await api('/api/call', { token: host.token, connection, body: '{"input":1}' })).status).toBe(400);
    const huge = JSON.stringify({ name: 'auth/status', input: { pad: 'x'.repeat(1_100_000) } });
    expect((await api('/api/call', { token: host.token, connection, body: huge })).status).toBe(413);
  });

  it('routes calls to the core, and keeps each tab signed in on its own', async () => {
    const tabA = await connect();
    const tabB = await connect();
    expect(tabA).not.toBe(tabB);
    const setup = await call(tabA, 'auth/setup', {
      email: 'admin@example.com',
      firstName: 'Marta',
      lastName: 'Costa',
      password: STRONG_PASSWORD,
    });
    expect(setup.ok).toBe(true);
    expect((await call(tabA, 'auth/me')).ok).toBe(true);
    // The other tab holds the same launch token but is not signed in.
    expect((await call(tabB, 'auth/me')).error?.code).toBe('unauthenticated');
    // A closed tab's session ends.
    expect((await api('/api/disconnect', { token: host.token, connection: tabA })).status).toBe(200);
    expect((await api('/api/call', { token: host.token, connection: tabA, body: '{"name":"auth/me"}' })).status).toBe(
      401,
    );
  });

  /** A tab's event stream: every 'changed' event it has received, in order. */
  const listen = async (connection: string) => {
    const response = await api('/api/events', { token: host.token, connection });
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const heard: string[][] = [];
    const waiters = new Set<() => void>();
    void (async () => {
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffered += value;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const event = JSON.parse(line) as { type: string; tables?: string[] };
          if (event.type === 'changed') heard.push(event.tables!);
        }
        for (const wake of waiters) wake();
      }
    })();
    return {
      heard,
      /** Resolves once an event naming `table` has come, `times` times in all. */
      async until(table: string, times = 1) {
        while (heard.filter((tables) => tables.includes(table)).length < times) {
          await new Promise<void>((resolve) => waiters.add(resolve));
        }
      },
      close: () => reader.cancel(),
    };
  };

  it('tells only signed-in tabs which tables changed, and only tables their role may read', async () => {
    const admin = await connect();
    expect(
      (
        await call(admin, 'auth/setup', {
          email: 'admin@example.com',
          firstName: 'Marta',
          lastName: 'Costa',
          password: STRONG_PASSWORD,
        })
      ).ok,
    ).toBe(true);
    const cleanerUser = await seedStaff(core, 'CLEANER');
    const cleaner = await connect();
    const signInCleaner = () => call(cleaner, 'auth/sign-in', { email: cleanerUser.email, password: STRONG_PASSWORD });
    expect((await signInCleaner()).ok).toBe(true);
    const stranger = await connect();
    const [adminHears, cleanerHears, strangerHears] = await Promise.all([
      listen(admin),
      listen(cleaner),
      listen(stranger),
    ]);
    const newLocation = async (name: string) =>
      expect(
        (
          await call(admin, 'locations/create', {
            name,
            city: 'Porto',
            country: 'PT',
            timeZone: 'Europe/Lisbon',
            currency: 'EUR',
          })
        ).ok,
      ).toBe(true);

    // A guest record and the audit row: the cleaner may read neither, the stranger nothing at all.
    expect(
      (
        await call(admin, 'users/create', {
          email: 'guest@example.com',
          firstName: 'Ana',
          lastName: 'Silva',
          role: 'GUEST',
        })
      ).ok,
    ).toBe(true);
    await newLocation('Ribeira');
    await adminHears.until('locations');
    await cleanerHears.until('locations');
    expect(adminHears.heard).toEqual([
      expect.arrayContaining(['users', 'audit_log']),
      expect.arrayContaining(['locations', 'audit_log']),
    ]);
    expect(cleanerHears.heard).toEqual([['locations']]);

    // Signed out, the cleaner's tab hears nothing more; signed in again, it does.
    expect((await call(cleaner, 'auth/sign-out')).ok).toBe(true);
    await newLocation('Foz');
    expect((await signInCleaner()).ok).toBe(true);
    await newLocation('Boavista');
    await cleanerHears.until('locations', 2);
    await adminHears.until('locations', 3);
    expect(cleanerHears.heard).toEqual([['locations'], ['locations']]);

    // The tab that never signed in heard none of it: signed in now, it hears from here on.
    expect((await call(stranger, 'auth/sign-in', { email: cleanerUser.email, password: STRONG_PASSWORD })).ok).toBe(
      true,
    );
    await newLocation('Bonfim');
    await strangerHears.until('locations');
    expect(strangerHears.heard).toEqual([['locations']]);
    await Promise.all([adminHears, cleanerHears, strangerHears].map((l) => l.close()));
  });

  it('streams change events to open tabs', async () => {
    const tab = await connect();
    const events = await api('/api/events', { token: host.token, connection: tab });
    expect(events.status).toBe(200);
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    const lines: string[] = [];
    const changed = (async () => {
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return null;
        buffered += value;
        lines.push(...buffered.split('\n').slice(0, -1));
        buffered = buffered.split('\n').at(-1) ?? '';
        const event = lines
          .map((l) => JSON.parse(l) as { type: string; tables?: string[] })
          .find((e) => e.type === 'changed');
        if (event) return event;
      }
    })();
    await call(tab, 'auth/setup', {
      email: 'admin@example.com',
      firstName: 'Marta',
      lastName: 'Costa',
      password: STRONG_PASSWORD,
    });
    const event = await changed;
    expect(event?.tables).toContain('users');
    await reader.cancel();
  });
});
