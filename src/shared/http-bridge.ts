import { methodNames, type Bridge, type Envelope } from './api';

/** The header web mode's API reads its session token from. */
export const TOKEN_HEADER = 'x-glossa-token';

/**
 * `window.glossa` for web mode: the same methods the Electron preload exposes, carried over
 * `POST /api/<method>` to the loopback server. Built from the contract, so it cannot drift.
 */
export function createHttpBridge(token: string, baseUrl = '', fetchImpl: typeof fetch = fetch): Bridge {
  const bridge: Record<string, (input: unknown) => Promise<Envelope<unknown>>> = {};
  for (const name of methodNames) {
    bridge[name] = async (input: unknown) => {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: 'Glossa’s local server cannot be reached. Is it still running?' },
        };
      }
      try {
        return (await response.json()) as Envelope<unknown>;
      } catch {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `Glossa’s local server answered ${response.status} without JSON.` },
        };
      }
    };
  }
  return bridge as Bridge;
}
