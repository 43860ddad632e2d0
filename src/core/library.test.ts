import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { openTempLibrary, SEED_DIR, tempDir } from '../test-support/temp-library';
import { GlossaError } from '../shared/errors';
import { Library } from './library';

type NewHighlight = Parameters<typeof addHighlight>[1];
import { LOCK_FILE } from './store/lock';
import { addHighlight } from '../test-support/at-revision';

async function fresh() {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  return t;
}

async function seedId(library: Library): Promise<string> {
  const [doc] = await library.listDocuments();
  return doc.id;
}

/**
 * What is on disk for a document, read without Glossa's store: the snapshot, with the changes of
 * its operation log (one JSON line each) applied in order.
 */
async function documentFile(dir: string, id: string): Promise<{ highlights: { id: string }[] }> {
  const doc = JSON.parse(await readFile(join(dir, 'documents', `${id}.json`), 'utf8')) as {
    revision?: number;
    highlights: { id: string }[];
  };
  const log = await readFile(join(dir, 'documents', `${id}.log`), 'utf8').catch(() => '');
  for (const line of log.split('\n').filter(Boolean)) {
    const change = JSON.parse(line) as { rev: number; put?: { id: string }[]; del?: string[] };
    if (change.rev <= (doc.revision ?? 0)) continue;
    doc.highlights = doc.highlights.filter((h) => !change.del?.includes(h.id));
    for (const h of change.put ?? []) {
      const at = doc.highlights.findIndex((x) => x.id === h.id);
      if (at >= 0) doc.highlights[at] = h;
      else doc.highlights.push(h);
    }
  }
  return doc;
}

describe('a new library', () => {
  it('starts with the seed article and the default codebook', async () => {
    const { library, dir } = await fresh();
    const docs = await await library.listDocuments();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      date: '2021-10-26',
      dateline: 'MOSCOW',
      titleSource: 'derived',
      highlightCount: 0,
    });
    expect((await library.getCodebook()).tags.map((t) => t.name)).toEqual(['security', 'diplomacy', 'drugs']);
    const index = JSON.parse(await readFile(join(dir, 'library.json'), 'utf8'));
    expect(index.schemaVersion).toBe(1);
    expect(await readdir(join(dir, 'documents'))).toEqual([`${docs[0].id}.json`]);
  });
});

describe('highlights', () => {
  it('are durable on disk when createHighlight resolves, with both selectors', async () => {
    const { library, dir } = await fresh();
    const id = await seedId(library);
    const doc = await library.getDocument(id);
    const start = doc.text.indexOf('Taliban fighters');
    const h = await addHighlight(library, { documentId: id, start, end: start + 16, tags: ['security'] });
    const onDisk = (await documentFile(dir, id)) as { highlights: unknown[] };
    expect(onDisk.highlights).toEqual([h]);
    expect(h.target.quote).toMatchObject({ exact: 'Taliban fighters', prefix: doc.text.slice(start - 32, start) });
    expect(h.target.position).toEqual({ type: 'TextPositionSelector', start, end: start + 16 });
    // No temp file is left behind by the atomic write.
    expect((await readdir(join(dir, 'documents'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('write only their document file, not library.json', async () => {
    const { library, dir } = await fresh();
    const id = await seedId(library);
    const before = await readFile(join(dir, 'library.json'), 'utf8');
    await addHighlight(library, { documentId: id, start: 0, end: 10, tags: ['drugs'] });
    expect(await readFile(join(dir, 'library.json'), 'utf8')).toBe(before);
  });

  it('survive closing and reopening exactly', async () => {
    const { library, dir } = await fresh();
    const id = await seedId(library);
    await addHighlight(library, { documentId: id, start: 0, end: 40, tags: ['security'], note: 'outer' });
    await addHighlight(library, { documentId: id, start: 10, end: 20, tags: ['drugs', 'diplomacy'] });
    const before = await library.getDocument(id);
    await library.close();
    const again = await Library.open({ dataDir: dir, owner: 'test', seedDir: SEED_DIR });
    afterThisTest(() => again.close());
    expect(await again.getDocument(id)).toEqual(before);
    expect((await again.listDocuments())[0].highlightCount).toBe(2);
  });

  it('keep overlapping and nested highlights separately', async () => {
    const { library } = await fresh();
    const id = await seedId(library);
    const a = await addHighlight(library, { documentId: id, start: 0, end: 50, tags: ['security'] });
    const b = await addHighlight(library, { documentId: id, start: 20, end: 30, tags: ['drugs'] });
    const c = await addHighlight(library, { documentId: id, start: 40, end: 70, tags: ['diplomacy'] });
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect((await library.getDocument(id)).highlights).toHaveLength(3);
  });

  it('merge tags into an existing highlight of exactly the same passage', async () => {
    const { library } = await fresh();
    const id = await seedId(library);
    const a = await addHighlight(library, { documentId: id, start: 0, end: 10, tags: ['security'] });
    const b = await addHighlight(library, { documentId: id, start: 0, end: 10, tags: ['drugs'] });
    expect(b.id).toBe(a.id);
    expect(b.tags).toEqual(['security', 'drugs']);
    expect((await library.getDocument(id)).highlights).toHaveLength(1);
  });

  it('trim white space that a selection dragged along', async () => {
    const { library } = await fresh();
    const id = await seedId(library);
    const doc = await library.getDocument(id);
    const end = doc.paragraphs[0].end;
    const h = await addHighlight(library, { documentId: id, start: end - 7, end: end + 2, tags: ['security'] });
    expect(h.target.quote.exact).toBe('inside.');
  });

  it('can be retagged and deleted', async () => {
    const { library, dir } = await fresh();
    const id = await seedId(library);
    const h = await addHighlight(library, { documentId: id, start: 0, end: 10, tags: ['security'] });
    const updated = await library.updateHighlight({
      documentId: id,
      highlightId: h.id,
      tags: ['security', 'drugs'],
      note: 'n',
    });
    expect(updated).toMatchObject({ id: h.id, tags: ['security', 'drugs'], note: 'n', created: h.created });
    await library.deleteHighlight(id, h.id);
    expect(((await documentFile(dir, id)) as { highlights: unknown[] }).highlights).toEqual([]);
  });

  it.each<[Partial<NewHighlight>, RegExp]>([
    [{ start: 5, end: 5 }, /empty/],
    [{ start: 0, end: 10_000_000 }, /outside/],
    [{ start: 0, end: 10, tags: ['weather'] }, /Unknown tag "weather"/],
  ])('reject %j with a clear error and change nothing', async (change, message) => {
    const { library, dir } = await fresh();
    const id = await seedId(library);
    const before = await readFile(join(dir, 'documents', `${id}.json`), 'utf8');
    const input: NewHighlight = { documentId: id, start: 0, end: 10, tags: ['security'], ...change };
    await expect(addHighlight(library, input)).rejects.toThrow(message);
    expect(await readFile(join(dir, 'documents', `${id}.json`), 'utf8')).toBe(before);
  });

  it('name a missing document or highlight', async () => {
    const { library } = await fresh();
    const id = await seedId(library);
    await expect(library.getDocument('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(library.deleteHighlight(id, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('are all kept when many are added at once', async () => {
    const { library, dir } = await fresh();
    const id = await seedId(library);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        addHighlight(library, { documentId: id, start: i * 3, end: i * 3 + 2, tags: ['security'] }),
      ),
    );
    expect(((await documentFile(dir, id)) as { highlights: unknown[] }).highlights).toHaveLength(25);
  });
});

describe('corrupt files', () => {
  it('keeps a corrupt library.json aside, rebuilds the list and tells the user', async () => {
    const { dir, cleanup } = await tempDir();
    afterThisTest(cleanup);
    const first = await Library.open({ dataDir: dir, owner: 'test', seedDir: SEED_DIR });
    const id = await seedId(first);
    await addHighlight(first, { documentId: id, start: 0, end: 10, tags: ['security'] });
    await first.close();
    await writeFile(join(dir, 'library.json'), '{"schemaVersion": 1, "codebo');

    const second = await Library.open({ dataDir: dir, owner: 'test', seedDir: SEED_DIR });
    afterThisTest(() => second.close());
    const aside = (await readdir(dir)).filter((n) => n.startsWith('library.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, aside[0]), 'utf8')).toBe('{"schemaVersion": 1, "codebo');
    expect(second.notices[0].message).toMatch(/library\.json could not be read.*kept as/);
    expect((await second.listDocuments()).map((d) => [d.id, d.highlightCount])).toEqual([[id, 1]]);
  });

  it('keeps a corrupt document file aside instead of overwriting it', async () => {
    const { library, dir } = await fresh();
    const id = await seedId(library);
    await library.close();
    const path = join(dir, 'documents', `${id}.json`);
    await writeFile(path, '{"schemaVersion": 1, "meta": {}}');
    const again = await Library.open({ dataDir: dir, owner: 'test', seedDir: SEED_DIR });
    afterThisTest(() => again.close());
    // Its file changed since the index counted it, so opening the library read it, found it
    // corrupt, kept it aside and took it off the list.
    await expect(again.getDocument(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const aside = (await readdir(join(dir, 'documents'))).filter((n) => n.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, 'documents', aside[0]), 'utf8')).toBe('{"schemaVersion": 1, "meta": {}}');
    expect(again.notices.map((n) => n.message).join()).toMatch(/kept as/);
    expect(await again.listDocuments()).toEqual([]);
  });

  it('refuses a library written by a newer Glossa without touching it', async () => {
    const { dir, cleanup } = await tempDir();
    afterThisTest(cleanup);
    const future = JSON.stringify({ schemaVersion: 99, codebook: { tags: [] }, documents: [] });
    await writeFile(join(dir, 'library.json'), future);
    const library = await Library.open({ dataDir: dir, owner: 'test', seedDir: SEED_DIR });
    afterThisTest(() => library.close());
    expect(library.notices[0].message).toMatch(/schemaVersion is not 1/);
    const aside = (await readdir(dir)).filter((n) => n.startsWith('library.json.corrupt-'));
    expect(await readFile(join(dir, aside[0]), 'utf8')).toBe(future);
  });
});

describe('the lock', () => {
  it('lets only one process write a library, naming the holder', async () => {
    const { dir } = await fresh();
    const error = await Library.open({ dataDir: dir, owner: 'second', seedDir: SEED_DIR }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GlossaError);
    expect((error as GlossaError).code).toBe('LOCKED');
    expect((error as GlossaError).message).toMatch(new RegExp(`in use by test \\(process ${process.pid}`));
  });

  it('is released on close', async () => {
    const { dir, cleanup } = await tempDir();
    afterThisTest(cleanup);
    const first = await Library.open({ dataDir: dir, owner: 'a', seedDir: SEED_DIR });
    await first.close();
    expect(await readdir(dir)).not.toContain(LOCK_FILE);
    const second = await Library.open({ dataDir: dir, owner: 'b', seedDir: SEED_DIR });
    await second.close();
  });

  it('is taken over when its holder died', async () => {
    const { dir, cleanup } = await tempDir();
    afterThisTest(cleanup);
    await mkdir(dir, { recursive: true });
    const { hostname } = await import('node:os');
    await writeFile(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), owner: 'ghost', since: 'then' }),
    );
    const library = await Library.open({ dataDir: dir, owner: 'alive', seedDir: SEED_DIR });
    afterThisTest(() => library.close());
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).owner).toBe('alive');
  });

  it('refuses changes after close', async () => {
    const { library } = await fresh();
    const id = await seedId(library);
    await library.close();
    await expect(addHighlight(library, { documentId: id, start: 0, end: 3, tags: ['security'] })).rejects.toThrow(
      /closed/,
    );
  });
});
