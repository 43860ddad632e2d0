import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type BaseWindow, type MenuItem } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toErrorInfo } from '../shared/errors';
import { parseOpenRequest, SCHEME, type OpenRequest } from '../shared/deep-link';
import { CONTENT_SECURITY_POLICY } from '../server/security-headers';
import { createHandlers, type DesktopHost } from '../core/handlers';
import { CHANGE_CHANNEL } from '../shared/method-names';
import { registerIpc, trustedPage } from './ipc';
import { Library } from '../core/library';
import { IMPORT_EXTENSIONS } from '../core/import/import-file';
import { APP_NAME } from '../core/paths';
import { secureWebPreferences } from './web-preferences';
import { keepingProjectPassword, loadProjectPassword } from './project-password';

// Set before anything asks for paths, so userData is ".../Glossa" — the folder the CLI computes.
app.setName(APP_NAME);

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const rendererIndex = here('../renderer/index.html');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;

function dataDirFromArgs(): string {
  const flag = process.argv.find((arg) => arg.startsWith('--data-dir='));
  return flag?.slice('--data-dir='.length) || process.env.GLOSSA_DATA_DIR || app.getPath('userData');
}

// glossa://open?doc=…&highlight=… links (from Markdown exports) open the passage. The page reads
// the same request from its address hash, which changes without a reload (no navigation event).
let pendingLink: OpenRequest | null = linkIn(process.argv);

function linkIn(argv: string[]): OpenRequest | null {
  const url = argv.find((arg) => arg.toLowerCase().startsWith(`${SCHEME}://`));
  return url ? parseOpenRequest(url) : null;
}

function hashFor(link: OpenRequest): string {
  return `open?${new URLSearchParams({ doc: link.documentId, ...(link.highlightId ? { highlight: link.highlightId } : {}) })}`;
}

function deliver(link: OpenRequest | null): void {
  if (!link) return;
  const win = BrowserWindow.getAllWindows()[0];
  if (!win) {
    pendingLink = link;
    return;
  }
  if (win.isMinimized()) win.restore();
  win.focus();
  // The hash is built from validated ids only, and passed as a JSON string literal.
  void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#${hashFor(link)}`)}`);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    title: APP_NAME,
    show: false,
    webPreferences: secureWebPreferences(here('../preload/index.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  // A reader never navigates away or opens windows; links to the web go to the user's browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererIndex, pendingLink ? { hash: hashFor(pendingLink) } : {});
  pendingLink = null;
  return win;
}

function connectIpc(library: Library): void {
  const host: DesktopHost = {
    chooseSavePath: async (defaultName) => {
      const win = BrowserWindow.getFocusedWindow();
      const extension = defaultName.split('.').pop() ?? '';
      const options = {
        defaultPath: defaultName,
        filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
      };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    chooseImportFiles: async () => {
      const win = BrowserWindow.getFocusedWindow();
      const options: Electron.OpenDialogOptions = {
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Documents', extensions: IMPORT_EXTENSIONS.map((e) => e.slice(1)) }],
      };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
  };
  const handlers = keepingProjectPassword(createHandlers(library, { host, importWorker: here('./import-worker.js') }));
  registerIpc(ipcMain, handlers, trustedPage(pathToFileURL(rendererIndex).href, devServerUrl));
  // Every window hears every change (its own, another window's, the CLI's is impossible while we
  // hold the lock), and refreshes what it shows.
  library.subscribe((event) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(CHANGE_CHANNEL, event);
  });
}

/**
 * Menu commands that the page implements (undo, redo, find) are delivered as the same key press
 * the page already handles, so the preload needs no extra channel and menu and keyboard can never
 * disagree. In text fields the key press gets the field's own native undo, as expected.
 */
function pressInPage(keyCode: string, shift = false) {
  return (_item: MenuItem, win: BaseWindow | undefined) => {
    const contents = win instanceof BrowserWindow ? win.webContents : undefined;
    if (!contents) return;
    const modifiers: ('meta' | 'control' | 'shift')[] = [process.platform === 'darwin' ? 'meta' : 'control'];
    if (shift) modifiers.push('shift');
    contents.sendInputEvent({ type: 'keyDown', keyCode, modifiers });
    contents.sendInputEvent({ type: 'keyUp', keyCode, modifiers });
  };
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(isMac ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: pressInPage('O') },
          { type: 'separator' },
          isMac ? { role: 'close' } : { role: 'quit' },
        ],
      },
      {
        label: 'Edit',
        submenu: [
          { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: pressInPage('Z') },
          { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: pressInPage('Z', true) },
          { type: 'separator' },
          { role: 'cut' },
          { role: 'copy' },
          { role: 'paste' },
          { role: 'selectAll' },
          { type: 'separator' },
          { label: 'Find…', accelerator: 'CmdOrCtrl+F', click: pressInPage('F') },
        ],
      },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

async function main(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // The built page carries the same policy in a meta tag; the header also covers anything else
  // loaded. The dev server needs inline styles for hot reload, so it keeps its own relaxed meta tag.
  if (!devServerUrl) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
  }
  let library: Library;
  try {
    library = await Library.open({ dataDir: dataDirFromArgs(), owner: 'Glossa desktop', seedDir: here('../../data') });
  } catch (error) {
    dialog.showErrorBox('Glossa cannot open its library', toErrorInfo(error).message);
    app.exit(1);
    return;
  }
  connectIpc(library);
  // A team project syncs while the app runs, with the password kept by safeStorage (if any).
  library.projectSync.start({}, await loadProjectPassword());
  buildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    // Finish pending writes and release the lock before the process goes.
    event.preventDefault();
    closing = true;
    void library.close().finally(() => app.quit());
  });
}

// In development the app runs as `electron .`, so the handler needs the script's path too.
if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(SCHEME, process.execPath, [process.argv[1]]);
else app.setAsDefaultProtocolClient(SCHEME);
app.on('open-url', (event, url) => {
  event.preventDefault();
  deliver(parseOpenRequest(url));
});
app.on('second-instance', (_event, argv) => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win?.isMinimized()) win.restore();
  win?.focus();
  deliver(linkIn(argv));
});

if (!app.requestSingleInstanceLock()) app.quit();
else void main();
