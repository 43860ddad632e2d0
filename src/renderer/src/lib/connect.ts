import type { Bridge, Client } from '../../../shared/api';
import { clientFromBridge } from '../../../shared/client';
import { createHttpBridge } from '../../../shared/http-bridge';

export type Mode = 'desktop' | 'web';

declare global {
  interface Window {
    glossa?: Bridge;
  }
}

/**
 * The renderer talks only to `window.glossa`. The desktop preload provides it; in web mode it is
 * built here over HTTP. The session is an HttpOnly cookie the launch link set (the page never sees
 * it), so reloads keep it and the address carries nothing secret.
 */
export function connect(): { bridge: Bridge; client: Client; mode: Mode } {
  if (window.glossa) return { bridge: window.glossa, client: clientFromBridge(window.glossa), mode: 'desktop' };
  window.glossa = createHttpBridge();
  return { bridge: window.glossa, client: clientFromBridge(window.glossa), mode: 'web' };
}
