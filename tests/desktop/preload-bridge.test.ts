// The preload bridge and the shell's IPC handler, joined by an in-process channel that behaves
// as Electron's does (invoke → handle, send → on), over a real core: the page gets exactly two
// functions, calls reach the router as their window, and frames that are not the app are refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type ChangeTopic, type RoomyApi } from '../../main/contract.js';
import { silentLogger } from '../../main/core/logger.js';
import { ipcCallHandler, type IpcCallEvent } from '../../main/ipc-handler.js';
import { createBridge, type RendererIpc } from '../../preload/bridge.js';
import { createTestCore, STRONG_PASSWORD, type TestCore } from '../core/test-core.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** One window's IPC: what its frame is, and the two directions of the channel. */
function windowIpc(core: TestCore, frame: IpcCallEvent['senderFrame'], webContentsId: number) {
  const handle = ipcCallHandler(core, silentLogger);
  const listeners = new Map<string, Set<Listener>>();
  const ipc: RendererIpc = {
    invoke: async (channel, ...args) => {
      expect(channel).toBe(IPC_CHANNELS.call);
      // Electron clones what crosses the process boundary.
      const [name, input] = structuredClone(args);
      return structuredClone(await handle({ senderFrame: frame, sender: { id: webContentsId } }, name, input));
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const send = (channel: string, ...args: unknown[]) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'main' }, ...structuredClone(args));
  };
  return { ipc, send, listeners };
}

const APP_FRAME = { url: 'app://roomy/index.html', parent: null };
const ADMIN = { email: 'admin@example.com', firstName: 'Marta', lastName: 'Costa', password: STRONG_PASSWORD };

describe('the preload bridge', () => {
  let core: TestCore;
  beforeEach(() => (core = createTestCore()));
  afterEach(() => core.dispose());

  it('exposes only call and onChange: no ipcRenderer, no Node', () => {
    const bridge = createBridge(windowIpc(core, APP_FRAME, 1).ipc);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onChange']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
  });

  it('routes calls to the core as the sending window', async () => {
    const one: RoomyApi = createBridge(windowIpc(core, APP_FRAME, 1).ipc);
    const two: RoomyApi = createBridge(windowIpc(core, APP_FRAME, 2).ipc);
    const setup = await one.call('auth/setup', ADMIN);
    expect(setup).toMatchObject({ ok: true, value: { email: ADMIN.email, role: 'ADMIN' } });
    expect(await one.call('auth/me')).toMatchObject({ ok: true });
    // Window 2 shares nothing with window 1's session.
    expect(await two.call('auth/me')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it.each([
    ['an iframe of the app', { url: 'app://roomy/index.html', parent: {} }],
    ['a page on another origin', { url: 'https://evil.example/', parent: null }],
    ['a file page', { url: 'file:///tmp/page.html', parent: null }],
    ['no frame (it was destroyed)', null],
  ])('refuses calls from %s before the router sees them', async (_case, frame) => {
    const bridge = createBridge(windowIpc(core, frame, 3).ipc);
    expect(await bridge.call('auth/status')).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Calls are accepted only from Roomy’s own page.' },
    });
  });

  it('refuses a call without an operation name', async () => {
    const { ipc } = windowIpc(core, APP_FRAME, 1);
    expect(await ipc.invoke(IPC_CHANNELS.call, 42)).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('hands listeners the changed tables only, and unsubscribes', () => {
    const channel = windowIpc(core, APP_FRAME, 1);
    const bridge = createBridge(channel.ipc);
    const seen: ChangeTopic[][] = [];
    const unsubscribe = bridge.onChange((tables) => seen.push(tables));
    channel.send(IPC_CHANNELS.changed, ['properties', 42, 'tasks']);
    expect(seen).toEqual([['properties', 'tasks']]);
    unsubscribe();
    channel.send(IPC_CHANNELS.changed, ['users']);
    expect(seen).toHaveLength(1);
    expect(channel.listeners.get(IPC_CHANNELS.changed)?.size).toBe(0);
  });
});
