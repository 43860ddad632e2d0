import { channelFor, methodNames, type Envelope } from '../shared/api';
import { invoke, type Handlers } from '../core/handlers';

/** The part of Electron's ipcMain this needs; tests pass a stand-in, the app passes ipcMain itself. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, input: unknown) => Promise<unknown>,
  ): void;
}

/**
 * Registers one IPC channel per contract method. Each call is answered only for frames showing
 * Glossa's own page (`isTrustedUrl`), then validated by the method's schema in `invoke`.
 */
export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers, isTrustedUrl: (url: string) => boolean): void {
  for (const name of methodNames) {
    ipcMain.handle(channelFor(name), async (event, input): Promise<Envelope<unknown>> => {
      const url = event.senderFrame?.url;
      if (!url || !isTrustedUrl(url)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This page may not use Glossa.' } };
      }
      return invoke(handlers, name, input);
    });
  }
}

/** Glossa's own page: the built index.html (any query or hash), or the dev server's origin. */
export function trustedPage(indexFileUrl: string, devServerUrl?: string): (url: string) => boolean {
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    return (url) => URL.canParse(url) && new URL(url).origin === origin;
  }
  return (url) => url.split(/[?#]/)[0] === indexFileUrl;
}
