// A client that loses the answer to a refresh (the network cut mid-reply) tries again with the same
// token: within a short grace it gets the same successor and keeps its sign-in. Any other second
// use of a refresh token is still a theft, and ends the whole sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../db/sync/protocol.js';
import { REFRESH_RETRY_GRACE_MS } from '../../sync-server/auth/sessions.js';
import { addUser, ApiClient, startSyncServer, type TestSyncServer } from './sync-harness.js';

let env: TestSyncServer;
let clock = Date.now();
let staff: { id: string; email: string };

beforeAll(async () => {
  env = await startSyncServer({ now: () => new Date(clock) });
  staff = await addUser(env.central, 'AGENT');
});

afterAll(async () => {
  await env?.close();
});

const refresh = (refreshToken: string) => new ApiClient(env.url).request('POST', ENDPOINTS.refresh, { refreshToken });

/** Whether an access token is still good for a request. */
async function works(accessToken: string): Promise<boolean> {
  const client = new ApiClient(env.url);
  client.accessToken = accessToken;
  return (await client.request('GET', ENDPOINTS.me)).status === 200;
}

describe('retrying a refresh whose answer was lost', () => {
  it('gets the same successor within the grace, and the sign-in goes on', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const first = await refresh(client.refreshToken);
    expect(first.status).toBe(200);

    clock += REFRESH_RETRY_GRACE_MS - 1_000;
    const retry = await refresh(client.refreshToken);
    expect(retry.status).toBe(200);
    expect(retry.body.refreshToken).toBe(first.body.refreshToken);
    expect(retry.body.refreshTokenExpiresAt).toBe(first.body.refreshTokenExpiresAt);
    expect(await works(retry.body.accessToken)).toBe(true);
    expect(await works(first.body.accessToken)).toBe(true);

    // The successor swaps as any token does.
    const next = await refresh(retry.body.refreshToken);
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(first.body.refreshToken);
    expect(await works(next.body.accessToken)).toBe(true);
  });

  it('two refreshes with one token at once both get the same successor', async () => {
    for (let i = 0; i < 10; i++) {
      const client = await ApiClient.signIn(env.url, staff.email);
      const answers = await Promise.all([0, 1].map(() => refresh(client.refreshToken)));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers[0]!.body.refreshToken).toBe(answers[1]!.body.refreshToken);
      for (const answer of answers) expect(await works(answer.body.accessToken)).toBe(true);
    }
  });
});

/** A spent token presented again is refused, and the sign-in is over: its newest pair too. */
async function reuseEndsSignIn(spent: string, newest: { refreshToken: string; accessToken: string }) {
  const reuse = await refresh(spent);
  expect(reuse.status).toBe(401);
  expect(reuse.body.error.message).toMatch(/already used/);
  expect((await refresh(newest.refreshToken)).status).toBe(401);
  expect(await works(newest.accessToken)).toBe(false);
}

describe('any other reuse of a refresh token', () => {
  it('after the grace, ends every session of that sign-in', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const rotated = await refresh(client.refreshToken);
    expect(rotated.status).toBe(200);

    clock += REFRESH_RETRY_GRACE_MS + 1_000;
    await reuseEndsSignIn(client.refreshToken, rotated.body);
  });

  it('of a token older than the one swapped last, ends it at once', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const second = await refresh(client.refreshToken);
    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);

    // The first token's successor was swapped in its turn: presenting it again is no retry.
    await reuseEndsSignIn(client.refreshToken, third.body);
  });

  it('after a retry, the sign-in ends as soon as the successor was used and the old token comes again', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const first = await refresh(client.refreshToken);
    const retry = await refresh(client.refreshToken);
    expect(retry.body.refreshToken).toBe(first.body.refreshToken);
    const next = await refresh(first.body.refreshToken);
    expect(next.status).toBe(200);

    await reuseEndsSignIn(client.refreshToken, next.body);
  });

  it('a signed-out sign-in is not brought back by a retry', async () => {
    const client = await ApiClient.signIn(env.url, staff.email);
    const first = await refresh(client.refreshToken);
    client.accessToken = first.body.accessToken;
    expect((await client.request('POST', ENDPOINTS.signOut)).status).toBe(204);
    expect((await refresh(client.refreshToken)).status).toBe(401);
  });
});
