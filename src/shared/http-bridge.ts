import type { Bridge, Envelope } from './api';
import { METHOD_NAMES as methodNames } from './method-names';
import type { ChangeEvent } from './types';
import { isPackedView, PACKED_VIEW_MEDIA_TYPE, unpackView } from './view-wire';

/** The header a program may send its web-mode session secret in (the browser uses the cookie). */
export const TOKEN_HEADER = 'x-glossa-token';
/** The HttpOnly cookie a launch link sets: the browser's session. */
export const SESSION_COOKIE = 'glossa_session';
/** `GET /api/events`: server-sent events, one per change to the library. */
export const EVENTS_PATH = 'events';

export interface HttpBridgeOptions {
  /** For programs; a browser page leaves it out and its cookie carries the session. */
  token?: string;
  baseUrl?: string;
  fetchImpl?: typeof fetch;
}

/**
 * `window.glossa` for web mode: the same methods the Electron preload exposes, carried over
 * `POST /api/<method>` to the loopback server, and change events over server-sent events. Built
 * from the contract, so it cannot drift.
 */
export function createHttpBridge(options: HttpBridgeOptions = {}): Bridge {
  const { token, baseUrl = '', fetchImpl = fetch } = options;
  const bridge: Record<string, unknown> = {};
  for (const name of methodNames) {
    bridge[name] = async (input: unknown): Promise<Envelope<unknown>> => {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/api/${name}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: `${PACKED_VIEW_MEDIA_TYPE}, application/json`,
            ...(token ? { [TOKEN_HEADER]: token } : {}),
          },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: 'Glossa’s local server cannot be reached. Is it still running?' },
        };
      }
      try {
        const envelope = (await response.json()) as Envelope<unknown>;
        if (envelope?.ok && isPackedView(envelope.value)) return { ok: true, value: unpackView(envelope.value) };
        return envelope;
      } catch {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `Glossa’s local server answered ${response.status} without JSON.` },
        };
      }
    };
  }
  if (typeof EventSource !== 'undefined') {
    bridge.onChange = (listener: (event: ChangeEvent) => void) => {
      const source = new EventSource(`${baseUrl}/api/${EVENTS_PATH}`);
      source.onmessage = (message) => {
        try {
          listener(JSON.parse(message.data as string) as ChangeEvent);
        } catch {
          // A malformed event is ignored; the next one still arrives.
        }
      };
      return () => source.close();
    };
  }
  return bridge as unknown as Bridge;
}
