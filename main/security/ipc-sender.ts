// Every IPC message is checked before the router sees it: it must come from the top frame of a
// page on the app's own origin. A page that was somehow navigated elsewhere, or an iframe, gets
// nothing, whatever it sends.
import { isAppUrl } from './app-origin.js';

/** The parts of Electron's WebFrameMain the check reads. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}
