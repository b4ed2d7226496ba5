// The preload script of every Roomy window (sandboxed: bundled into one CommonJS file that
// requires nothing but electron). It exposes one object, `window.roomy`, typed as RoomyApi.
import { contextBridge, ipcRenderer } from 'electron';
import type { RoomyApi } from '../main/contract.js';
import { createBridge } from './bridge.js';

const api: RoomyApi = createBridge(ipcRenderer);
contextBridge.exposeInMainWorld('roomy', api);
