import { clientFromBridge, type Bridge, type Client } from '../../../shared/api';
import { createHttpBridge } from '../../../shared/http-bridge';

export type Mode = 'desktop' | 'web';

const TOKEN_KEY = 'glossa-token';

declare global {
  interface Window {
    glossa?: Bridge;
  }
}

/**
 * The renderer talks only to `window.glossa`. The desktop preload provides it; in web mode it is
 * built here over HTTP, with the session token taken from the address (and then removed from it,
 * so it is not bookmarked or shared by accident) and kept for reloads of this tab only.
 */
export function connect(): { client: Client; mode: Mode } {
  if (window.glossa) return { client: clientFromBridge(window.glossa), mode: 'desktop' };
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url);
  }
  window.glossa = createHttpBridge(sessionStorage.getItem(TOKEN_KEY) ?? '');
  return { client: clientFromBridge(window.glossa), mode: 'web' };
}
