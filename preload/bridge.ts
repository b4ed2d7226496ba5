// The API the renderer gets, built over the two IPC calls it needs. Only these two functions
// cross into the page: never ipcRenderer itself, Node or any Electron object.
import { IPC_CHANNELS, type ChangeListener, type ChangeTopic, type RoomyApi } from '../main/contract.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: RendererIpc): RoomyApi {
  return {
    call: (name, input) => ipc.invoke(IPC_CHANNELS.call, name, input) as never,
    onChange(listener: ChangeListener) {
      // The event object stays here: the page receives only the list of tables.
      const forward = (_event: unknown, tables: unknown) => {
        if (Array.isArray(tables)) listener(tables.filter((t): t is ChangeTopic => typeof t === 'string'));
      };
      ipc.on(IPC_CHANNELS.changed, forward);
      return () => void ipc.removeListener(IPC_CHANNELS.changed, forward);
    },
  } satisfies RoomyApi;
}
