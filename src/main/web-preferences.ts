/**
 * The renderer's privileges, kept in one place so they can be tested without Electron: a sandboxed
 * page with its own JavaScript world, no Node, web security on. The preload is the only bridge.
 */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}
