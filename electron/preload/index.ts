import { contextBridge, ipcRenderer } from 'electron';
import { buildConsoleApi } from './api';

// Sandboxed preload: bundled into one file; exposes the contract as window.api and nothing else.
const api = buildConsoleApi(ipcRenderer);
contextBridge.exposeInMainWorld('api', {
  contractVersion: api.contractVersion,
  query: api.query,
  command: api.command,
  on: api.on,
});
