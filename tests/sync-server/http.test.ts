// The HTTP edges: tokens, refresh rotation and reuse, bad input, body limits, rate limits,
// lockout, health, CORS and security headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, HEADERS } from '../../db/sync/protocol.js';
import { loadConfig } from '../../sync-server/config.js';
import { addUser, ApiClient, newId, PASSWORD, startSyncServer, type TestSyncServer } from './sync-harness.js';

let env: TestSyncServer;
let clock = Date.now();
let staff: { id: string; email: string };

beforeAll(async () => {
  env = await startSyncServer({ now: () => new Date(clock), bodyLimitBytes: 64 * 1024 });
  staff = await addUser(env.central, 'MANAGER');
});

afterAll(async () => {
  await env?.close();
});

const anonymous = () => new ApiClient(env.url);

describe('tokens', () => {
  it('every endpoint but sign-in and health needs a token: no token is 401', async () => {
    for (const [method, path] of [
      ['GET', '/v1/shape?table=properties&offset=-1'],
      ['POST', '/v1/changesets'],
      ['GET', '/v1/auth/me'],
      ['POST', '/v1/auth/sign-out'],
      ['GET', ENDPOINTS.deviceAnchor],
    ] as const) {
      const response = await anonymous().request(method, path, method === 'POST' ? {} : undefined);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body.error.code).toBe('unauthenticated');
    }
    expect((await anonymous().request('GET', '/health/live')).status).toBe(200);
    const ready = await anonymous().request('GET', '/health/ready');
    expect(ready.body).toMatchObject({ status: 'ready' });
  });

  it('a forged token is 401', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const [prefix, payload] = client.accessToken.split('.');
    client.accessToken = `${prefix}.${payload}.${'A'.repeat(43)}`;
    expect((await client.request('GET', '/v1/auth/me')).status).toBe(401);
  });

  it('an expired token is 401; refreshing gives a working one', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    expect((await client.request('GET', '/v1/auth/me')).status).toBe(200);
    clock += 16 * 60_000;
    const expired = await client.request('GET', '/v1/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    const refreshed = await anonymous().request('POST', '/v1/auth/refresh', { refreshToken: client.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(client.refreshToken);
    client.accessToken = refreshed.body.accessToken;
    expect((await client.request('GET', '/v1/auth/me')).body.user.id).toBe(staff.id);
  });

  it('a reused refresh token revokes its whole family', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const first = client.refreshToken;
    const rotated = await anonymous().request('POST', '/v1/auth/refresh', { refreshToken: first });
    expect(rotated.status).toBe(200);
    // Past the grace in which presenting it again is a retry after a lost answer (refresh-retry.test.ts).
    clock += 31_000;
    const reuse = await anonymous().request('POST', '/v1/auth/refresh', { refreshToken: first });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.message).toMatch(/already used/);
    // The thief's reuse ends the legitimate holder's session too: the rotated token and its access token.
    const second = await anonymous().request('POST', '/v1/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(second.status).toBe(401);
    client.accessToken = rotated.body.accessToken;
    expect((await client.request('GET', '/v1/auth/me')).status).toBe(401);
  });

  it('a refresh racing a sign-out or a reuse never outlives them', async () => {
    for (let i = 0; i < 10; i++) {
      const client = await ApiClient.signIn(env.url, staff.email);
      const [refreshed] = await Promise.all([
        anonymous().request('POST', '/v1/auth/refresh', { refreshToken: client.refreshToken }),
        client.request('POST', '/v1/auth/sign-out'),
      ]);
      if (refreshed.status === 200) {
        const survivor = new ApiClient(env.url);
        survivor.accessToken = refreshed.body.accessToken;
        expect((await survivor.request('GET', '/v1/auth/me')).status).toBe(401);
      }
      // A reuse racing a refresh, once the grace for a retry is over: the family is over, the new token too.
      const twice = await ApiClient.signIn(env.url, staff.email);
      const swapped = await anonymous().request('POST', '/v1/auth/refresh', { refreshToken: twice.refreshToken });
      clock += 31_000;
      const answers = await Promise.all([
        anonymous().request('POST', '/v1/auth/refresh', { refreshToken: swapped.body.refreshToken }),
        anonymous().request('POST', '/v1/auth/refresh', { refreshToken: twice.refreshToken }),
      ]);
      expect(answers[1]!.status).toBe(401);
      if (answers[0]!.status === 200) {
        const holder = new ApiClient(env.url);
        holder.accessToken = answers[0]!.body.accessToken;
        expect((await holder.request('GET', '/v1/auth/me')).status).toBe(401);
      }
    }
  });

  it('signing out ends the session at once', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    expect((await client.request('POST', '/v1/auth/sign-out')).status).toBe(204);
    expect((await client.request('GET', '/v1/auth/me')).status).toBe(401);
    const refresh = await anonymous().request('POST', '/v1/auth/refresh', { refreshToken: client.refreshToken });
    expect(refresh.status).toBe(401);
  });

  it('no answer carries a password hash', async () => {
    const signIn = await anonymous().request('POST', '/v1/auth/sign-in', {
      email: staff.email,
      password: PASSWORD,
      deviceId: newId(),
    });
    const client = await ApiClient.signIn(env.url, staff.email);
    const users = await client.request('GET', '/v1/shape?table=users&offset=-1');
    const me = await client.request('GET', '/v1/auth/me');
    for (const body of [signIn.body, users.body, me.body]) expect(JSON.stringify(body)).not.toMatch(/password|argon2/);
    expect(JSON.parse(users.headers.get('electric-schema')!)).not.toHaveProperty('password_hash');
  });
});

describe('passwords', () => {
  it('a manager sets the server password of someone made on a desktop; their old sessions end', async () => {
    const manager = await ApiClient.signIn(env.url, staff.email);
    const agent = await addUser(env.central, 'AGENT');
    const before = await ApiClient.signIn(env.url, agent.email);
    const weak = await manager.request('POST', `/v1/users/${agent.id}/password`, { newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields.newPassword).toMatch(/at least 12/);
    const set = await manager.request('POST', `/v1/users/${agent.id}/password`, {
      newPassword: 'Olive-Tram-Lantern-8',
    });
    expect(set.status).toBe(204);
    expect((await before.request('GET', '/v1/auth/me')).status).toBe(401);
    await expect(ApiClient.signIn(env.url, agent.email, 'Olive-Tram-Lantern-8')).resolves.toBeInstanceOf(ApiClient);
  });

  it('a guessable password is refused saying why, and the old one still works', async () => {
    const manager = await ApiClient.signIn(env.url, staff.email);
    const agent = await addUser(env.central, 'AGENT', { lastName: 'Moreira' });
    const common = await manager.request('POST', `/v1/users/${agent.id}/password`, { newPassword: 'password1234' });
    expect(common.status).toBe(400);
    expect(common.body.error.fields.newPassword).toMatch(
      /^is too easy to guess: this is similar to a commonly used password\./,
    );
    expect(common.body.error.message).toBe(`newPassword: ${common.body.error.fields.newPassword}`);
    expect(JSON.stringify(common.body)).not.toContain('password1234');
    const client = await ApiClient.signIn(env.url, agent.email);
    const personal = await client.request('POST', '/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'Agent-Moreira-1990',
    });
    expect(personal.status).toBe(400);
    expect(personal.body.error.fields).toEqual({
      newPassword: 'is too easy to guess: it contains your name or email address. Leave them out.',
    });
    await expect(ApiClient.signIn(env.url, agent.email, PASSWORD)).resolves.toBeInstanceOf(ApiClient);
  });

  it('nobody sets the password of someone they may not administer', async () => {
    const manager = await ApiClient.signIn(env.url, staff.email);
    const admin = await addUser(env.central, 'ADMIN');
    const agent = await ApiClient.signIn(env.url, (await addUser(env.central, 'AGENT')).email);
    expect(
      (await manager.request('POST', `/v1/users/${admin.id}/password`, { newPassword: 'Olive-Tram-Lantern-8' })).status,
    ).toBe(403);
    expect(
      (await agent.request('POST', `/v1/users/${staff.id}/password`, { newPassword: 'Olive-Tram-Lantern-8' })).status,
    ).toBe(403);
    await expect(ApiClient.signIn(env.url, admin.email)).resolves.toBeInstanceOf(ApiClient);
  });

  it('changing one’s own password needs the current one and keeps this session', async () => {
    const person = await addUser(env.central, 'OWNER');
    const client = await ApiClient.signIn(env.url, person.email);
    const other = await ApiClient.signIn(env.url, person.email);
    const wrong = await client.request('POST', '/v1/auth/password', {
      currentPassword: 'nope',
      newPassword: 'Harbour-Quince-Atlas-5',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toHaveProperty('currentPassword');
    const right = await client.request('POST', '/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'Harbour-Quince-Atlas-5',
    });
    expect(right.status).toBe(204);
    expect((await client.request('GET', '/v1/auth/me')).status).toBe(200);
    expect((await other.request('GET', '/v1/auth/me')).status).toBe(401);
  });
});

describe('guessing a password through a session', () => {
  it('wrong current passwords count as failed sign-ins: the email locks, and even the right one gets 423', async () => {
    const person = await addUser(env.central, 'AGENT');
    const client = await ApiClient.signIn(env.url, person.email);
    const guess = (currentPassword: string) =>
      client.request('POST', ENDPOINTS.ownPassword, { currentPassword, newPassword: 'Harbour-Quince-Atlas-5' });
    // Two wrong sign-ins, then wrong current passwords: one count, one limit (5).
    for (let i = 0; i < 2; i++) {
      const signIn = await anonymous().request('POST', ENDPOINTS.signIn, {
        email: person.email,
        password: 'guess-1',
        deviceId: newId(),
      });
      expect(signIn.status).toBe(401);
    }
    const answers = [];
    for (const attempt of ['guess-2', 'guess-3', 'guess-4']) answers.push(await guess(attempt));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 423]);
    expect(answers[0]!.body.error.fields).toEqual({ currentPassword: 'is not your current password' });
    expect(answers[2]!.body.error.code).toBe('locked');
    expect(Number(answers[2]!.headers.get(HEADERS.retryAfter))).toBeGreaterThan(0);

    const right = await guess(PASSWORD);
    expect(right.status).toBe(423);
    const signIn = await anonymous().request('POST', ENDPOINTS.signIn, {
      email: person.email,
      password: PASSWORD,
      deviceId: newId(),
    });
    expect(signIn.status).toBe(423);
    // Nothing secret comes back, and the password is unchanged once the lock is over.
    expect(JSON.stringify([...answers.map((a) => a.body), right.body])).not.toMatch(/guess-|Harbour|Lighthouse/);
    expect(JSON.stringify([...answers.map((a) => a.body), right.body])).not.toContain(PASSWORD);
    clock += 16 * 60_000;
    await expect(ApiClient.signIn(env.url, person.email)).resolves.toBeInstanceOf(ApiClient);
  });

  it('the right current password clears the count', async () => {
    const person = await addUser(env.central, 'OWNER');
    const client = await ApiClient.signIn(env.url, person.email);
    for (let i = 0; i < 4; i++) {
      const wrong = await client.request('POST', ENDPOINTS.ownPassword, {
        currentPassword: `guess-${i}`,
        newPassword: 'Harbour-Quince-Atlas-5',
      });
      expect(wrong.status).toBe(400);
    }
    const right = await client.request('POST', ENDPOINTS.ownPassword, {
      currentPassword: PASSWORD,
      newPassword: 'Harbour-Quince-Atlas-5',
    });
    expect(right.status).toBe(204);
    const slip = await anonymous().request('POST', ENDPOINTS.signIn, {
      email: person.email,
      password: PASSWORD,
      deviceId: newId(),
    });
    expect(slip.status).toBe(401);
    await expect(ApiClient.signIn(env.url, person.email, 'Harbour-Quince-Atlas-5')).resolves.toBeInstanceOf(ApiClient);
  });
});

describe('bad input', () => {
  it('bad JSON is 400', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const response = await client.request('POST', '/v1/changesets', '{"changesets": [', {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation');
  });

  it('wrong types are 400 naming the field, and nothing is written', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const before = await env.central.query(`SELECT count(*) FROM applied_changesets`);
    const response = await client.request('POST', '/v1/changesets', {
      changesets: [
        { id: 'not-an-id', deviceId: 'd', createdAt: 'yesterday', ops: [{ table: 'nope', op: 'insert', id: 5 }] },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toMatchObject({
      'changesets.0.id': 'must be a UUIDv7 id',
      'changesets.0.ops.0.table': expect.stringContaining('must be one of'),
    });
    expect(await env.central.query(`SELECT count(*) FROM applied_changesets`)).toEqual(before);
  });

  it('a sign-in without a password is 400 naming it', async () => {
    const response = await anonymous().request('POST', '/v1/auth/sign-in', { email: staff.email, deviceId: newId() });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual({ password: 'is required' });
  });

  it('a shape request without an offset, or live from -1, is 400 naming the parameter', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const noOffset = await client.request('GET', '/v1/shape?table=properties');
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.error.fields).toHaveProperty('offset');
    const liveFromStart = await client.request('GET', '/v1/shape?table=properties&offset=-1&live=true');
    expect(liveFromStart.body.error.fields).toHaveProperty('live');
    const sqlInWhere = await client.request(
      'GET',
      `/v1/shape?table=properties&offset=-1&where=${encodeURIComponent('1=1; DROP TABLE users')}`,
    );
    expect(sqlInWhere.status).toBe(400);
    expect(sqlInWhere.body.error.fields).toHaveProperty('where');
  });

  it('an oversized body is 413', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const response = await client.request('POST', '/v1/changesets', { padding: 'x'.repeat(100 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });
});

describe('abuse', () => {
  it('repeated wrong passwords lock the account', async () => {
    const victim = await addUser(env.central, 'AGENT');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (
          await anonymous().request('POST', '/v1/auth/sign-in', {
            email: victim.email,
            password: 'wrong-guess-123',
            deviceId: newId(),
          })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const right = await anonymous().request('POST', '/v1/auth/sign-in', {
      email: victim.email,
      password: PASSWORD,
      deviceId: newId(),
    });
    expect(right.status).toBe(423);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('wrong guesses sent in parallel all count, and lock out the right password too', async () => {
    const victim = await addUser(env.central, 'AGENT');
    const guesses = await Promise.all(
      Array.from({ length: 9 }, () =>
        anonymous().request('POST', '/v1/auth/sign-in', {
          email: victim.email,
          password: 'wrong-guess-123',
          deviceId: newId(),
        }),
      ),
    );
    expect(guesses.map((g) => g.status)).toContain(423);
    const right = await anonymous().request('POST', '/v1/auth/sign-in', {
      email: victim.email,
      password: PASSWORD,
      deviceId: newId(),
    });
    expect(right.status).toBe(423);
  });

  it('a sign-in flood is 429', async () => {
    const tight = await startSyncServer({ signInRateLimit: 5 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 12 }, () =>
          new ApiClient(tight.url)
            .request('POST', '/v1/auth/sign-in', { email: 'nobody@example.com', password: 'x', deviceId: newId() })
            .then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      expect((await new ApiClient(tight.url).request('GET', '/health/live')).status).toBe(200);
    } finally {
      await tight.close();
    }
  });
});

describe('behind a proxy', () => {
  const signInFrom = (url: string, client: string) =>
    new ApiClient(url)
      .request(
        'POST',
        ENDPOINTS.signIn,
        { email: 'nobody@example.com', password: 'x', deviceId: newId() },
        { 'x-forwarded-for': client },
      )
      .then((r) => r.status);

  it('with the proxy trusted, each client behind it has its own sign-in limit', async () => {
    // The test's requests come from 127.0.0.1: here, the proxy.
    const behind = await startSyncServer({ signInRateLimit: 3, trustProxy: ['127.0.0.1'] });
    try {
      const first: number[] = [];
      for (let i = 0; i < 4; i++) first.push(await signInFrom(behind.url, '203.0.113.10'));
      expect(first).toEqual([401, 401, 401, 429]);
      expect(await signInFrom(behind.url, '203.0.113.20')).toBe(401);
      // The proxy appends the address it saw: what a client wrote before it is not believed.
      expect(await signInFrom(behind.url, '198.51.100.7, 203.0.113.10')).toBe(429);
    } finally {
      await behind.close();
    }
  });

  it('without it, X-Forwarded-For is ignored: a client cannot spoof its way past the limit', async () => {
    const direct = await startSyncServer({ signInRateLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push(await signInFrom(direct.url, `203.0.113.${i + 1}`));
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await direct.close();
    }
  });

  it('is set by ROOMY_SYNC_TRUST_PROXY, off by default; a count or a wrong address is refused by name', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ ROOMY_SYNC_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'loopback',
      'fd00::/8',
    ]);
    expect(() => loadConfig({ ROOMY_SYNC_TRUST_PROXY: '2' })).toThrow(/ROOMY_SYNC_TRUST_PROXY: must list the proxies/);
    expect(() => loadConfig({ ROOMY_SYNC_TRUST_PROXY: '10.0.0.0/33,nginx' })).toThrow(
      /not an address: 10\.0\.0\.0\/33, nginx/,
    );
  });
});

describe('headers', () => {
  it('security headers, no caching, a request id, and CORS only for the configured origins', async () => {
    const allowed = await fetch(`${env.url}/health/live`, { headers: { origin: 'https://office.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://office.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('electric-handle');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('cache-control')).toBe('private, no-store');
    expect(allowed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const other = await fetch(`${env.url}/health/live`, { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${env.url}/v1/shape`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://office.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
