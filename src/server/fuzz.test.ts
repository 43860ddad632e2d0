import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { api, methodNames, type MethodName } from '../shared/api';
import { TOKEN_HEADER } from '../shared/http-bridge';
import { createHandlers } from '../core/handlers';
import { afterThisTest } from '../test-support/cleanup';
import { openTempLibrary } from '../test-support/temp-library';
import { startServer } from './http-server';

/** Every file of the library, hashed: a rejected call must leave this exactly as it was. */
async function fingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const sub of ['', 'documents']) {
    const names = (await readdir(join(dir, sub), { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    for (const name of names.sort()) {
      if (name === 'glossa.lock') continue;
      hash.update(name).update(await readFile(join(dir, sub, name)));
    }
  }
  return hash.digest('hex');
}

// Values of every JSON kind, and the field names each method knows with values of the wrong kind:
// most calls are refused, and a refusal must be a clear 4xx that changed nothing.
const anyJson = fc.jsonValue({ maxDepth: 3 });
const FIELDS = [
  'documentId',
  'highlightId',
  'revision',
  'start',
  'end',
  'quote',
  'prefix',
  'suffix',
  'tags',
  'note',
  'n',
  'text',
  'title',
  'date',
  'author',
  'source',
  'trashed',
  'query',
  'fileName',
  'data',
  'scope',
  'format',
  'markdown',
  'highlight',
];
const nearValid = fc.dictionary(
  fc.constantFrom(...FIELDS),
  fc.oneof(
    anyJson,
    fc.constantFrom('security', '../../x', '', 'a'.repeat(300), 'seed', -1, 0, 1e12, 2.5, [], ['security'], {}),
  ),
);

describe('every contract method over HTTP, fuzzed', () => {
  it('answers thousands of arbitrary inputs with no 5xx, and a refused call changes nothing', async () => {
    const t = await openTempLibrary();
    afterThisTest(t.cleanup);
    const staticDir = join(t.dir, 'static');
    await mkdir(staticDir);
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Glossa</title>');
    const server = await startServer({ handlers: createHandlers(t.library), staticDir });
    afterThisTest(() => server.close());
    const [doc] = await t.library.listDocuments();
    const methods = methodNames.filter((m) => !api[m].desktopOnly);
    let calls = 0;
    const call = async (name: MethodName, body: string) => {
      calls++;
      // Writes an earlier accepted call left for later (the index's counts) are made now, so the
      // files are still while this call is judged.
      await t.library.flush();
      const before = await fingerprint(t.dir);
      const res = await fetch(`http://127.0.0.1:${server.port}/api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
        body,
      });
      const answer = (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
      expect(res.status, `${name} ${body.slice(0, 200)} → ${JSON.stringify(answer)}`).toBeLessThan(500);
      if (!answer.ok) {
        expect(answer.error?.message).toMatch(/\S/);
        // Anything the refused call left for later would be written by this flush, and show.
        await t.library.flush();
        expect(await fingerprint(t.dir), `${name} was refused but changed the library`).toBe(before);
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), fc.oneof(anyJson, nearValid), async (name, input) => {
        // Point some inputs at the real document, so checks past the schema are reached too.
        const body =
          input && typeof input === 'object' && !Array.isArray(input) && 'documentId' in input && Math.random() < 0.5
            ? { ...input, documentId: doc.id }
            : input;
        await call(name, JSON.stringify(body));
      }),
      { numRuns: 2500 },
    );
    expect(calls).toBeGreaterThanOrEqual(2500);
  }, 120_000);
});
