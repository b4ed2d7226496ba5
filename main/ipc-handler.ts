// What the Electron shell does with each IPC call, without Electron: check that it comes from the
// app's own top frame, then route it to the core as the window that sent it.
import type { Result } from './contract.js';
import type { Core } from './core/core.js';
import type { Logger } from './core/logger.js';
import { isTrustedSender, type SenderFrame } from './security/ipc-sender.js';

/** The parts of Electron's IpcMainInvokeEvent the handler reads. */
export interface IpcCallEvent {
  senderFrame: SenderFrame | null;
  sender: { id: number };
}

export const callerIdOfWindow = (webContentsId: number) => `window:${webContentsId}`;

export function ipcCallHandler(core: Core, logger: Logger) {
  return async (event: IpcCallEvent, name: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event.senderFrame)) {
      logger.warn('IPC from an untrusted frame refused', { url: event.senderFrame?.url });
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from Roomy’s own page.' } };
    }
    if (typeof name !== 'string') {
      return { ok: false, error: { code: 'validation', message: 'name: must be the name of an operation' } };
    }
    return core.call(callerIdOfWindow(event.sender.id), name as never, input);
  };
}
