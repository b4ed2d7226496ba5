// RoomyApi over HTTP, for the browser host. The per-launch token arrives in the address's
// fragment (#token=…), is kept for this tab only, and goes with every call as a header; the
// host gives the tab its own connection, which is who the core signs in.
import type { ChangeListener, ChangeTopic, OperationName, Result, RoomyApi } from '../../main/contract.js';

const TOKEN_KEY = 'roomy.token';
const CONNECTION_KEY = 'roomy.connection';

/** Takes the token out of the address bar (so it is not bookmarked or shared) and keeps it for this tab. */
export function adoptTokenFromAddress(): void {
  const match = /^#token=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(TOKEN_KEY, match[1]);
  sessionStorage.removeItem(CONNECTION_KEY);
  window.history.replaceState(null, '', `${window.location.pathname}#/`);
}

export class HostUnavailableError extends Error {}

export function createBrowserHostClient(): RoomyApi {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const listeners = new Set<ChangeListener>();
  let connecting: Promise<string> | null = null;

  const headers = (connection?: string): Record<string, string> => ({
    Authorization: `Bearer ${token ?? ''}`,
    'Content-Type': 'application/json',
    ...(connection ? { 'X-Roomy-Connection': connection } : {}),
  });

  const connection = (): Promise<string> => {
    const kept = sessionStorage.getItem(CONNECTION_KEY);
    if (kept) return Promise.resolve(kept);
    connecting ??= (async () => {
      if (!token) {
        throw new HostUnavailableError(
          'Open Roomy with the address printed by `npm start` (it ends with #token=…): this tab has no access token.',
        );
      }
      const response = await fetch('/api/connect', { method: 'POST', headers: headers(), body: '{}' });
      if (!response.ok) throw new HostUnavailableError(await messageOf(response));
      const { connection: id } = (await response.json()) as { connection: string };
      sessionStorage.setItem(CONNECTION_KEY, id);
      return id;
    })().finally(() => (connecting = null));
    return connecting;
  };

  async function call(name: OperationName, input?: unknown): Promise<Result<unknown>> {
    for (let attempt = 0; ; attempt++) {
      const id = await connection();
      const response = await fetch('/api/call', {
        method: 'POST',
        headers: headers(id),
        body: JSON.stringify({ name, input }),
      });
      // The host was restarted: its connections are gone, so make a new one once.
      if (response.status === 401 && attempt === 0 && sessionStorage.getItem(CONNECTION_KEY) === id) {
        sessionStorage.removeItem(CONNECTION_KEY);
        continue;
      }
      if (!response.ok) {
        return { ok: false, error: { code: 'internal', message: await messageOf(response) } };
      }
      return (await response.json()) as Result<unknown>;
    }
  }

  /** One stream of change events per tab, reopened with a growing pause if it breaks. */
  async function listen(): Promise<void> {
    let pause = 500;
    for (;;) {
      try {
        const response = await fetch('/api/events', {
          method: 'POST',
          headers: headers(await connection()),
          body: '{}',
        });
        if (!response.ok || !response.body) throw new Error(await messageOf(response));
        pause = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffered = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffered += value;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            const event = JSON.parse(line) as { type: string; tables?: ChangeTopic[] };
            if (event.type === 'changed' && event.tables) for (const listener of listeners) listener(event.tables);
          }
        }
      } catch (error) {
        if (error instanceof HostUnavailableError) return;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 10_000);
    }
  }

  let listening = false;
  return {
    call: call as RoomyApi['call'],
    onChange(listener) {
      listeners.add(listener);
      if (!listening) {
        listening = true;
        void listen();
      }
      return () => listeners.delete(listener);
    },
  };
}

async function messageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: string };
    return body.error ?? `The Roomy host answered ${response.status}.`;
  } catch {
    return `The Roomy host answered ${response.status}.`;
  }
}
