import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRange } from '../shared/anchoring';
import { bundleForNode } from '../test-support/bundle';
import { afterThisTest } from '../test-support/cleanup';
import { openTempLibrary, tempDir } from '../test-support/temp-library';
import { documentFromText } from './import/document';
import { Library } from './library';

const DOCUMENTS = 40;
const PER_DOCUMENT = 25;
const KILLS = 8;

/** Runs the merge in its own process and kills it a random moment after it starts. */
function mergeAndKill(writer: string, dir: string, delayMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir, 'drugs', 'security'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const ready = !out.includes('READY') && (out + chunk.toString()).includes('READY');
      out += chunk.toString();
      if (ready) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out.includes('DONE') ? 'finished' : 'killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`the merge failed by itself: ${err}`));
    });
  });
}

describe('codebook changes and crashes', () => {
  it('SIGKILL at any moment of a merge across documents leaves it whole or not done, never half', async () => {
    const writer = await bundleForNode('src/test-support/merge-writer.ts', 'merge-writer');
    const t = await openTempLibrary();
    afterThisTest(t.cleanup);
    for (let d = 0; d < DOCUMENTS; d++) {
      const text = Array.from(
        { length: PER_DOCUMENT },
        (_, i) => `Paragraph ${i} of document ${d} about trafficking.`,
      ).join('\n\n');
      const doc = documentFromText(text, `doc-${d}.txt`, new Date());
      doc.highlights = Array.from({ length: PER_DOCUMENT }, (_, i) => {
        const start = doc.paragraphs[i].start;
        return {
          id: `h-${d}-${i}`,
          documentId: doc.meta.id,
          tags: i % 3 === 0 ? ['drugs', 'security'] : ['drugs'],
          note: '',
          created: '2026-01-01T00:00:00.000Z',
          updated: '2026-01-01T00:00:00.000Z',
          target: describeRange(text, start, start + 9),
        };
      });
      await t.library.addDocument(doc);
    }
    await t.library.close();
    const outcomes: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const copy = await tempDir();
      afterThisTest(copy.cleanup);
      await cp(t.dir, copy.dir, { recursive: true });
      // Spread over the merge's length (about 100–400 ms here): before, during and after.
      outcomes.push(await mergeAndKill(writer, copy.dir, (k * 400) / KILLS));
      const library = await Library.open({ dataDir: copy.dir, owner: 'crash-check' });
      try {
        expect(library.notices.filter((n) => n.level === 'error')).toEqual([]);
        const codebook = await library.getCodebook();
        const merged = !codebook.tags.some((t) => t.id === 'drugs');
        let highlights = 0;
        for (const d of await library.listDocuments()) {
          if (!d.fileName?.startsWith('doc-')) continue; // the seed article
          for (const h of (await library.getDocument(d.id)).highlights) {
            if (!h.id.startsWith('h-')) continue;
            highlights++;
            expect(h.tags).toEqual(merged ? ['security'] : h.tags.length === 2 ? ['drugs', 'security'] : ['drugs']);
          }
          expect(d.tagCounts).toEqual(merged ? { security: PER_DOCUMENT } : { drugs: PER_DOCUMENT, security: 9 });
        }
        expect(highlights).toBe(DOCUMENTS * PER_DOCUMENT);
      } finally {
        await library.close();
      }
    }
    // The kills must have landed before, during and after the merge for the test to mean anything.
    expect(outcomes).toContain('killed');
  }, 120_000);

  it('finishes on open a change cut off after its commit point, from its journal', async () => {
    // The state a crash leaves halfway through a merge, made exactly: half the documents merged,
    // the codebook not yet, library.json naming the pending change.
    const t = await openTempLibrary();
    afterThisTest(t.cleanup);
    const ids: string[] = [];
    for (let d = 0; d < 4; d++) {
      const doc = documentFromText(`Heroin seized at border post ${d}.`, `doc-${d}.txt`, new Date());
      doc.highlights = [
        {
          id: `h-${d}`,
          documentId: doc.meta.id,
          tags: ['drugs'],
          note: '',
          created: '2026-01-01T00:00:00.000Z',
          updated: '2026-01-01T00:00:00.000Z',
          target: describeRange(doc.text, 0, 6),
        },
      ];
      await t.library.addDocument(doc);
      ids.push(doc.meta.id);
    }
    await t.library.close();
    const crashed = await tempDir();
    afterThisTest(crashed.cleanup);
    await cp(t.dir, crashed.dir, { recursive: true });
    const done = await Library.open({ dataDir: t.dir, owner: 'test' });
    const { change } = await done.mergeTags({ from: 'drugs', into: 'security' });
    const expected = await Promise.all(ids.map(async (id) => (await done.getDocument(id)).highlights));
    const expectedCodebook = await done.getCodebook();
    await done.close();

    await mkdir(join(crashed.dir, 'changes'));
    await cp(join(t.dir, 'changes', `${change.id}.json`), join(crashed.dir, 'changes', `${change.id}.json`));
    for (const id of ids.slice(0, 2)) {
      for (const ext of ['json', 'log']) {
        await cp(join(t.dir, 'documents', `${id}.${ext}`), join(crashed.dir, 'documents', `${id}.${ext}`)).catch(
          () => undefined,
        );
      }
    }
    const index = JSON.parse(await readFile(join(crashed.dir, 'library.json'), 'utf8'));
    index.pendingChange = { id: change.id, direction: 'do' };
    await writeFile(join(crashed.dir, 'library.json'), JSON.stringify(index));

    const reopened = await Library.open({ dataDir: crashed.dir, owner: 'test' });
    try {
      expect(reopened.notices.map((n) => n.message).join(' ')).toMatch(/was finished/);
      expect(await reopened.getCodebook()).toEqual(expectedCodebook);
      for (const [i, id] of ids.entries()) expect((await reopened.getDocument(id)).highlights).toEqual(expected[i]);
      expect(JSON.parse(await readFile(join(crashed.dir, 'library.json'), 'utf8')).pendingChange).toBeUndefined();
    } finally {
      await reopened.close();
    }
  });
});
