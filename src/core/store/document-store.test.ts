import { copyFile, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRange } from '../../shared/anchoring';
import type { Highlight } from '../../shared/types';
import { afterThisTest } from '../../test-support/cleanup';
import { tempDir } from '../../test-support/temp-library';
import { documentFromText } from '../import/document';
import { DocumentStore, type DocState } from './document-store';

const TEXT = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} speaks of borders, envoys and opium.`).join('\n\n');
const NOW = () => new Date('2026-01-01T00:00:00.000Z');

async function freshStore(): Promise<{ dir: string; store: DocumentStore; id: string }> {
  const t = await tempDir();
  afterThisTest(t.cleanup);
  const doc = documentFromText(TEXT, 'a.txt', NOW());
  const store = new DocumentStore(doc.meta.id, join(t.dir, `${doc.meta.id}.json`), () => undefined, NOW);
  await store.rewrite({ meta: doc.meta, text: doc.text, paragraphs: doc.paragraphs, highlights: new Map() }, true);
  return { dir: t.dir, store, id: doc.meta.id };
}

function highlight(id: string, documentId: string, start: number, end: number, note = ''): Highlight {
  return {
    id,
    documentId,
    tags: ['security'],
    note,
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
    target: describeRange(TEXT, start, end),
  };
}

const plain = (state: DocState | null) =>
  state && { revision: state.revision, meta: state.meta, highlights: [...state.highlights.values()] };

async function reload(path: string, id: string): Promise<DocState | null> {
  return new DocumentStore(id, path, () => undefined, NOW).load();
}

describe('the document store', () => {
  it('appends one line per change: the file written grows by the change, not by the document', async () => {
    const { store, id } = await freshStore();
    const snapshot = (await stat(store.snapshotPath)).size;
    await store.commit({ put: [highlight('a', id, 0, 9)] });
    const one = (await stat(store.logPath)).size;
    await store.commit({ put: [highlight('b', id, 20, 29)] });
    const two = (await stat(store.logPath)).size;
    expect((await stat(store.snapshotPath)).size).toBe(snapshot);
    // The second line is about as long as the first: what a save writes does not grow with the document.
    expect(Math.abs(two - one - one)).toBeLessThan(40);
    expect(one).toBeLessThan(snapshot / 4);
    expect(store.state?.revision).toBe(2);
    const lines = (await readFile(store.logPath, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).rev)).toEqual([1, 2]);
  });

  it('refuses, before writing anything, what a read would refuse', async () => {
    const { store, id } = await freshStore();
    const bad: [Highlight, RegExp][] = [
      [highlight('a', id, 0, 9, 'n'.repeat(20_001)), /note is longer than 20,000/],
      [{ ...highlight('b', id, 0, 9), created: '' }, /created/],
      [{ ...highlight('c', id, 0, 9), documentId: 'other' }, /documentId is other/],
      [{ ...highlight('d', id, 0, 9), target: describeRange(TEXT, 1, 10) }, /does not match|quote/],
      [{ ...highlight('e', id, 0, 9), tags: [] }, /tags/],
      [{ ...highlight('f', id, 0, 9), id: '../x' }, /id may only hold/],
    ];
    for (const [h, message] of bad) {
      h.target.quote.exact = h.id === 'd' ? 'not the text' : h.target.quote.exact;
      await expect(store.commit({ put: [h] })).rejects.toThrow(message);
    }
    await expect(readFile(store.logPath)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(store.state?.highlights.size).toBe(0);
    expect(store.state?.revision).toBe(0);
  });

  it('replays to the same state after a crash at any byte of the last line (property)', async () => {
    const { dir, store, id } = await freshStore();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('put' as const), n: fc.nat(30), at: fc.nat(1500), note: fc.string() }),
            fc.record({ kind: fc.constant('del' as const), n: fc.nat(30) }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        async (ops) => {
          const before: ReturnType<typeof plain>[] = [];
          for (const op of ops) {
            before.push(plain(store.state));
            if (op.kind === 'put') {
              const start = op.at % (TEXT.length - 12);
              const h = highlight(`h${op.n}`, id, start, start + 10, op.note);
              // Ranges that fail the checks (white space only) are refused; that is not a change.
              await store.commit({ put: [h] }).catch(() => before.pop());
            } else if (store.state?.highlights.has(`h${op.n}`)) {
              await store.commit({ del: [`h${op.n}`] });
            } else before.pop();
          }
          const after = plain(store.state);
          const log = await readFile(store.logPath).catch(() => Buffer.alloc(0));
          if (log.length === 0) return;
          const lastStart = log.subarray(0, -1).lastIndexOf(0x0a) + 1;
          // Every cut inside the last line is a crash before that change was acknowledged.
          const cuts = [
            lastStart,
            ...fc.sample(fc.integer({ min: lastStart + 1, max: log.length - 1 }), 4),
            log.length,
          ];
          for (const cut of cuts) {
            const copy = join(dir, `crash-${cut}`);
            await mkdir(copy, { recursive: true });
            await copyFile(store.snapshotPath, join(copy, `${id}.json`));
            await writeFile(join(copy, `${id}.log`), log.subarray(0, cut));
            const replayed = plain(await reload(join(copy, `${id}.json`), id));
            expect(replayed).toEqual(cut === log.length ? after : before.at(-1));
          }
          await store.compact();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('repairs a torn last line on open and folds the log into the snapshot', async () => {
    const { store, id } = await freshStore();
    await store.commit({ put: [highlight('a', id, 0, 9)] });
    await writeFile(store.logPath, '{"rev":2,"put":[{"id":"b"', { flag: 'a' });
    const state = await reload(store.snapshotPath, id);
    expect([...(state?.highlights.keys() ?? [])]).toEqual(['a']);
    expect(state?.revision).toBe(1);
    await expect(readFile(store.logPath)).rejects.toMatchObject({ code: 'ENOENT' });
    const file = JSON.parse(await readFile(store.snapshotPath, 'utf8'));
    expect(file.revision).toBe(1);
  });

  it('skips log lines a crash mid-compaction left behind (already in the snapshot)', async () => {
    const { store, id } = await freshStore();
    await store.commit({ put: [highlight('a', id, 0, 9)] });
    const log = await readFile(store.logPath);
    await store.compact();
    await writeFile(store.logPath, log);
    await store.commit({ del: ['a'] });
    const state = await reload(store.snapshotPath, id);
    expect(state?.revision).toBe(2);
    expect(state?.highlights.size).toBe(0);
  });

  it('quarantines a damaged highlight, keeps it in the file and the rest of the document', async () => {
    const { store, id } = await freshStore();
    await store.commit({ put: [highlight('a', id, 0, 9), highlight('b', id, 20, 29)] });
    await store.compact();
    const file = JSON.parse(await readFile(store.snapshotPath, 'utf8'));
    file.highlights[1].created = '';
    file.highlights.push({ id: 'c', nonsense: true });
    await writeFile(store.snapshotPath, JSON.stringify(file));
    const reports: string[] = [];
    const state = await new DocumentStore(id, store.snapshotPath, (_l, m) => reports.push(m), NOW).load();
    expect([...(state?.highlights.keys() ?? [])]).toEqual(['a']);
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatch(/created/);
    const kept = JSON.parse(await readFile(store.snapshotPath, 'utf8'));
    expect(kept.quarantine.map((q: { data: { id: string } }) => q.data.id)).toEqual(['b', 'c']);
    expect(await readdir(join(store.snapshotPath, '..'))).not.toContainEqual(expect.stringMatching(/corrupt/));
  });

  it('keeps fields it does not know through a write', async () => {
    const { store, id } = await freshStore();
    const file = JSON.parse(await readFile(store.snapshotPath, 'utf8'));
    file.fromTheFuture = { keep: 'me' };
    file.meta.futureField = 42;
    await writeFile(store.snapshotPath, JSON.stringify(file));
    const again = new DocumentStore(id, store.snapshotPath, () => undefined, NOW);
    await again.load();
    await again.commit({ put: [highlight('a', id, 0, 9)] });
    await again.compact();
    const written = JSON.parse(await readFile(store.snapshotPath, 'utf8'));
    expect(written.fromTheFuture).toEqual({ keep: 'me' });
    expect(written.meta.futureField).toBe(42);
  });
});
