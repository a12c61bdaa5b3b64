// The preload: exposes window.wardwatch (three functions, see bridge.ts) and
// nothing else — no ipcRenderer, no channel names, no Node. Bundled into one
// file at build time because a sandboxed preload may only require 'electron'.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY } from '../common/ipc-channels';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(BRIDGE_KEY, createBridge(ipcRenderer));
