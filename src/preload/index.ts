import { contextBridge, ipcRenderer } from 'electron';
import { channelFor, methodNames } from '../shared/api';

// The only bridge between page and main: exactly the contract's methods, each one IPC channel.
// Nothing generic (no raw ipcRenderer, no send/on) crosses, so the page can ask for nothing else.
const bridge = Object.fromEntries(
  methodNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(channelFor(name), input)]),
);

contextBridge.exposeInMainWorld('glossa', bridge);
