import { contextBridge, ipcRenderer } from 'electron';
import { CHANGE_CHANNEL, METHOD_NAMES, channelFor } from '../shared/method-names';

// The only bridge between page and main: exactly the contract's methods, each one IPC channel, and
// one subscription to change events. Nothing generic (no raw ipcRenderer, no send/on) crosses, so
// the page can ask for nothing else. Only the names are imported: no schema code in the preload.
const bridge: Record<string, unknown> = Object.fromEntries(
  METHOD_NAMES.map((name) => [name, (input: unknown) => ipcRenderer.invoke(channelFor(name), input)]),
);
bridge.onChange = (listener: (event: unknown) => void): (() => void) => {
  const handler = (_event: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(CHANGE_CHANNEL, handler);
  return () => ipcRenderer.removeListener(CHANGE_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('glossa', bridge);
