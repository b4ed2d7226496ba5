// The one way the UI reaches main: the preload's `window.roomy` in the desktop app, or the
// browser-host client where the page is served over loopback.
import type { RoomyApi } from '../../main/contract.js';
import { adoptTokenFromAddress, createBrowserHostClient } from './browser-host-client.js';

declare global {
  interface Window {
    roomy?: RoomyApi;
  }
}

function connect(): RoomyApi {
  if (window.roomy) return window.roomy;
  adoptTokenFromAddress();
  return createBrowserHostClient();
}

export const api: RoomyApi = connect();
