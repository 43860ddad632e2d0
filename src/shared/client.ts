import { GlossaError } from './errors';
import { METHOD_NAMES, type MethodName } from './method-names';
import type { Bridge, Client, Envelope } from './api';

// Apart from api.ts (whose schemas are zod's), so the renderer's bundle carries no validator it
// never runs: validation happens where a call arrives, in the main process or the server.

/** A typed client over a bridge: each method's envelope opened, a refusal thrown as GlossaError. */
export function clientFromBridge(bridge: Bridge): Client {
  const client = {} as Record<MethodName, (input: unknown) => Promise<unknown>>;
  for (const name of METHOD_NAMES) {
    client[name] = async (input: unknown) => {
      const envelope = await (bridge[name] as (input: unknown) => Promise<Envelope<unknown>>)(input);
      if (!envelope || typeof envelope !== 'object' || !('ok' in envelope)) {
        throw new GlossaError('INTERNAL', `Glossa gave no valid answer to ${name}.`);
      }
      if (envelope.ok) return envelope.value;
      throw new GlossaError(envelope.error.code, envelope.error.message);
    };
  }
  return client as Client;
}
