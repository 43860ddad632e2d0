import { clientFromBridge, methodNames, type Bridge } from '../shared/api';
import { createHandlers, invoke } from '../core/handlers';
import { afterThisTest } from './cleanup';
import { openTempLibrary } from './temp-library';

/**
 * The client the renderer uses, over the real handlers of a fresh temp library (the seed article
 * in it): everything but the transport, closed and deleted after the test.
 */
export async function realClient() {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  const handlers = createHandlers(t.library);
  const bridge = Object.fromEntries(
    methodNames.map((m) => [m, (input: unknown) => invoke(handlers, m, input)]),
  ) as unknown as Bridge;
  const client = clientFromBridge(bridge);
  const [doc] = await client.listDocuments({});
  return { ...t, client, documentId: doc.id };
}
