// The options every Roomy window is built with. Pure, so a test can hold them to Electron's
// security checklist; the shell passes them to BrowserWindow unchanged.
import type { WindowBounds } from '../window-state.js';

export interface SecureWebPreferences {
  preload: string;
  sandbox: true;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: boolean;
  devTools: boolean;
}

export interface SecureWindowOptions extends WindowBounds {
  title: string;
  minWidth: number;
  minHeight: number;
  show: false;
  backgroundColor: string;
  autoHideMenuBar: true;
  webPreferences: SecureWebPreferences;
}

export const MIN_WINDOW = { width: 1024, height: 680 } as const;

export function secureWindowOptions(options: {
  preload: string;
  bounds: WindowBounds;
  /** Developer tools only in development builds. */
  devTools: boolean;
}): SecureWindowOptions {
  return {
    ...options.bounds,
    title: 'Roomy CRM',
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    // Shown once the first paint is ready, so the user never sees a white flash.
    show: false,
    backgroundColor: '#f8f9fa',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      devTools: options.devTools,
    },
  };
}
