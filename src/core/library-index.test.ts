import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshLibrary, reopenLibrary, SEED_DIR } from '../test-support/temp-library';
import { documentFromText } from './import/document';

/**
 * A document titled by its file name, as texts without a headline were before titles came from
 * their first sentence: these tests search texts, and a title repeating the text would double
 * every hit.
 */
function untitled(raw: string, fileName: string, now: Date) {
  const doc = documentFromText(raw, fileName, now);
  doc.meta.title = fileName.replace(/\.txt$/, '');
  return doc;
}
import { addHighlight } from '../test-support/at-revision';

const fresh = freshLibrary;
const reopen = reopenLibrary;

const indexOf = async (dir: string) => JSON.parse(await readFile(join(dir, 'library.json'), 'utf8'));

describe('the document index', () => {
  it('lists counts per tag from library.json without reading any document', async () => {
    const { library, dir, seedId } = await fresh();
    await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['security', 'drugs'] });
    await addHighlight(library, { documentId: seedId, start: 20, end: 30, tags: ['security'] });
    await library.close();
    const path = join(dir, 'documents', `${seedId}.json`);
    const before = await stat(path);
    // Same size and time, unreadable content: a library that parsed documents at start would notice.
    await writeFile(path, 'x'.repeat(before.size));
    await utimes(path, before.atime, before.mtime);
    const again = await reopen(dir);
    expect(again.notices.map((n) => n.message)).toEqual([]);
    expect(await again.listDocuments()).toEqual([
      expect.objectContaining({ id: seedId, highlightCount: 2, tagCounts: { security: 2, drugs: 1 } }),
    ]);
  });

  it('reads no document at the next start after saves, an early index write and a close that folds the logs', async () => {
    const { library, dir, seedId } = await fresh();
    await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['security'] });
    // The index written now (as after an import), then the log folded into the snapshot at close:
    // the snapshot's new size and time must reach the index.
    await library.flush();
    await addHighlight(library, { documentId: seedId, start: 20, end: 30, tags: ['security'] });
    await library.writeIndex();
    await library.close();
    const again = await reopen(dir);
    expect(again.docs.size).toBe(0);
    expect(await again.listDocuments()).toEqual([expect.objectContaining({ highlightCount: 2 })]);
  });

  it('reads no document when the library was copied without its file times (the revision in each file says it is the same)', async () => {
    const { library, dir, seedId } = await fresh();
    await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['security'] });
    await library.close();
    const path = join(dir, 'documents', `${seedId}.json`);
    const later = new Date(Date.now() + 60_000);
    await utimes(path, later, later);
    const again = await reopen(dir);
    expect(again.docs.size).toBe(0);
    expect(await again.listDocuments()).toEqual([expect.objectContaining({ highlightCount: 1 })]);
    await again.close();
    // And the new time was taken: the start after that reads nothing either.
    expect((await indexOf(dir)).documents[0].stats.stamp.mtimeMs).toBe((await stat(path)).mtimeMs);
  });

  it('still recounts a copied document whose revision differs from the index', async () => {
    const { library, dir, seedId } = await fresh();
    await library.close();
    const index = await indexOf(dir);
    index.documents[0].stats.revision = 7;
    index.documents[0].stats.highlightCount = 99;
    await writeFile(join(dir, 'library.json'), JSON.stringify(index));
    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, 'documents', `${seedId}.json`), later, later);
    const again = await reopen(dir);
    expect(await again.listDocuments()).toEqual([expect.objectContaining({ highlightCount: 0 })]);
  });

  it('recounts a document whose file changed behind the index (a crash before the index caught up)', async () => {
    const { library, dir, seedId } = await fresh();
    await library.close();
    const path = join(dir, 'documents', `${seedId}.json`);
    const doc = JSON.parse(await readFile(path, 'utf8'));
    doc.highlights.push({
      id: 'h1',
      documentId: seedId,
      tags: ['diplomacy'],
      note: '',
      created: '2026-01-01T00:00:00.000Z',
      updated: '2026-01-01T00:00:00.000Z',
      target: {
        position: { type: 'TextPositionSelector', start: 0, end: 2 },
        quote: { type: 'TextQuoteSelector', exact: doc.text.slice(0, 2), prefix: '', suffix: doc.text.slice(2, 34) },
      },
    });
    await writeFile(path, JSON.stringify(doc));
    const again = await reopen(dir);
    expect((await again.listDocuments())[0]).toMatchObject({ highlightCount: 1, tagCounts: { diplomacy: 1 } });
    expect((await indexOf(dir)).documents[0].stats.highlightCount).toBe(1);
  });

  it('saves a highlight by writing its document only; the index follows later and at close', async () => {
    const { library, dir, seedId } = await fresh();
    const indexBefore = await readFile(join(dir, 'library.json'), 'utf8');
    await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['security'] });
    expect(await readFile(join(dir, 'library.json'), 'utf8')).toBe(indexBefore);
    expect((await await library.listDocuments())[0].highlightCount).toBe(1);
    await library.close();
    expect((await indexOf(dir)).documents[0].stats.tagCounts).toEqual({ security: 1 });
  });
});

describe('the trash', () => {
  it('moves a document out of the list and back, keeping its highlights', async () => {
    const { library, seedId } = await fresh();
    await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['security'] });
    await library.setLastOpened(seedId);
    const trashed = await library.setTrashed(seedId, true);
    expect(trashed.trashed).toEqual(expect.any(String));
    expect(await await library.listDocuments()).toEqual([]);
    expect((await await library.listDocuments({ trashed: true })).map((d) => d.id)).toEqual([seedId]);
    expect(await library.getLastOpened()).toBeNull();
    const restored = await library.setTrashed(seedId, false);
    expect(restored.trashed).toBeUndefined();
    expect((await await library.listDocuments())[0]).toMatchObject({ id: seedId, highlightCount: 1 });
  });

  it('empties for good: files gone, other documents untouched, and it survives a restart', async () => {
    const { library, dir, seedId } = await fresh();
    const other = untitled('Another text.\n\nWith two paragraphs.', 'other.txt', new Date());
    await library.addDocument(other);
    await library.setTrashed(seedId, true);
    expect(await library.emptyTrash()).toEqual({ deleted: [seedId] });
    await expect(stat(join(dir, 'documents', `${seedId}.json`))).rejects.toThrow();
    await library.close();
    const again = await reopen(dir);
    expect((await again.listDocuments()).map((d) => d.id)).toEqual([other.meta.id]);
    expect(await again.listDocuments({ trashed: true })).toEqual([]);
  });

  it('refuses unknown documents', async () => {
    const { library } = await fresh();
    await expect(library.setTrashed('nope', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(library.setLastOpened('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('metadata', () => {
  it('corrects title, date, source and author; null clears; the title becomes the user’s', async () => {
    const { library, dir, seedId } = await fresh();
    const updated = await library.updateDocument({
      documentId: seedId,
      title: 'Russia courts the Taliban',
      source: 'Nikkei Asia',
      author: 'A. Reporter',
    });
    expect(updated).toMatchObject({ title: 'Russia courts the Taliban', titleSource: 'user', source: 'Nikkei Asia' });
    expect(updated.titleNote).toBeUndefined();
    const cleared = await library.updateDocument({ documentId: seedId, date: null, author: null });
    expect(cleared.date).toBeUndefined();
    expect(cleared.author).toBeUndefined();
    await library.close();
    const again = await reopen(dir);
    expect((await again.listDocuments())[0]).toMatchObject({
      title: 'Russia courts the Taliban',
      source: 'Nikkei Asia',
    });
    expect((await again.getDocument(seedId)).meta.title).toBe('Russia courts the Taliban');
  });

  it('remembers the last opened document across restarts', async () => {
    const { library, dir, seedId } = await fresh();
    expect(await library.getLastOpened()).toBeNull();
    await library.setLastOpened(seedId);
    await library.close();
    expect(await (await reopen(dir)).getLastOpened()).toBe(seedId);
  });
});

describe('library search', () => {
  it('finds words in text, titles and notes, ignoring case and accents, with context', async () => {
    const { library, seedId } = await fresh();
    const h = await addHighlight(library, {
      documentId: seedId,
      start: 0,
      end: 10,
      tags: ['security'],
      note: 'Compare with the Kabul café report',
    });
    const other = untitled('A café in Kabul.\n\nNothing else.', 'cafe.txt', new Date());
    await library.addDocument(other);
    const hits = await library.search('CAFE');
    expect(hits).toEqual([
      expect.objectContaining({ documentId: seedId, field: 'note', highlightId: h.id, n: 1 }),
      expect.objectContaining({ documentId: other.meta.id, field: 'title', title: 'cafe' }),
      expect.objectContaining({ documentId: other.meta.id, field: 'text', n: 1, start: 2, end: 6 }),
    ]);
    const textHit = hits[2];
    expect(textHit.context.slice(textHit.matchStart, textHit.matchEnd)).toBe('café');
    const kabul = await library.search('kabul');
    expect(kabul.filter((x) => x.field === 'text' && x.documentId === seedId).length).toBeGreaterThan(3);
    const long = kabul.find((x) => x.documentId === seedId && x.field === 'text' && x.start! > 200);
    expect(long?.context.startsWith('…')).toBe(true);
    expect(long?.context.slice(long.matchStart, long.matchEnd)).toBe('Kabul');
    expect((await library.search('Taliban, Russia')).some((x) => x.field === 'title')).toBe(true);
    // Context stays inside the paragraph of the match.
    for (const hit of kabul.filter((x) => x.field === 'text')) expect(hit.context).not.toContain('\n');
    const second = (await library.search("Moscow's difficult history")).find((x) => x.field === 'text');
    expect(second?.context.startsWith("Moscow's difficult history")).toBe(true);
  });

  it('leaves trashed documents out, and finds nothing for words nowhere', async () => {
    const { library, seedId } = await fresh();
    await library.setTrashed(seedId, true);
    expect(await library.search('Kabul')).toEqual([]);
    await library.setTrashed(seedId, false);
    expect(await library.search('zzzqqq')).toEqual([]);
  });
});

describe('importing the same text twice', () => {
  it('reports the existing document instead of adding a copy', async () => {
    const { library, seedId } = await fresh();
    const again = untitled(await readFile(join(SEED_DIR, '000_6a4053b3925a4b14.txt'), 'utf8'), 'copy.txt', new Date());
    expect(await library.addDocument(again)).toEqual({ id: seedId, added: false });
    expect(await await library.listDocuments()).toHaveLength(1);
  });
});
