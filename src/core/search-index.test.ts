import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
import { searchDocument, SEARCH_INDEX_FILE } from './search';
import { foldTerm, REBUILD_SAVE, SearchIndex } from './search-index';
import { addHighlight } from '../test-support/at-revision';
import { freshLibrary, reopenLibrary } from '../test-support/temp-library';
import type { Library } from './library';

/** What a search must return: every document read and searched, at word starts as the index sees them. */
async function scanned(library: Library, query: string) {
  const hits = [];
  const words = SearchIndex.canFilter(query);
  for (const d of await library.listDocuments()) {
    hits.push(...searchDocument(await library.readDocument(d.id), query, 200, words));
  }
  return hits.slice(0, 200);
}

const WORDS = [
  'Kabul',
  'café',
  'CAFE',
  'drug',
  'drugs',
  'trafficker',
  'Straße',
  'Ελλάδα',
  'naïve',
  'al-Qaeda',
  "Moscow's",
];

describe('the search index', () => {
  it('never loses a hit a full scan finds: any texts, notes and queries (property)', async () => {
    const { library } = await freshLibrary();
    const text = fc
      .array(fc.constantFrom(...WORDS, ' ', '. ', '\n\n', 'x'), { minLength: 1, maxLength: 30 })
      .map((parts) => parts.join(''));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(
          ...WORDS,
          'caf',
          'drug traff',
          'kabul café',
          'ELLADA',
          'qaeda',
          '-qaeda',
          "'s",
          's',
          'x x',
          'ugs',
          'drugs trafficker',
          'kabul café drugs',
          'café kabul',
          "moscow's x",
          'x drug',
          'x dr',
          'naïve ελλ',
          'naïve ελλάδ',
          'kabul traffi',
          'drug kabul x',
        ),
        async (texts, query) => {
          for (const t of texts) {
            if (!/\S/.test(t)) continue;
            const doc = untitled(`${t} ${n++}`, `doc-${n}.txt`, new Date());
            await library.addDocument(doc);
          }
          expect(await library.search(query)).toEqual(await scanned(library, query));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('follows every change: a new note, a trashed document, an edited paragraph', async () => {
    const { library, seedId } = await freshLibrary();
    expect(await library.search('zebracrossing')).toEqual([]);
    await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['security'], note: 'zebracrossing' });
    expect(await library.search('zebracrossing')).toEqual([expect.objectContaining({ field: 'note' })]);
    await library.setTrashed(seedId, true);
    expect(await library.search('zebracrossing')).toEqual([]);
    await library.setTrashed(seedId, false);
    const doc = await library.getDocument(seedId);
    await library.editParagraph({ documentId: seedId, revision: doc.revision, n: 1, text: 'Okapis were seen.' });
    expect(await library.search('okapis')).toEqual([expect.objectContaining({ field: 'text', n: 1 })]);
    expect((await library.search('contingent of Taliban')).filter((h) => h.n === 1)).toEqual([]);
  });

  it('is saved on close and used again; what changed while it was not looking is indexed again', async () => {
    const { library, dir, seedId } = await freshLibrary();
    expect((await library.search('Kabul')).length).toBeGreaterThan(0);
    await library.close();
    const saved = await stat(join(dir, SEARCH_INDEX_FILE));
    // A change the index never saw (made, then the library closed before any search).
    const second = await reopenLibrary(dir);
    await addHighlight(second, { documentId: seedId, start: 0, end: 10, tags: ['security'], note: 'okapi sighting' });
    await second.close();
    const third = await reopenLibrary(dir);
    expect(await third.search('okapi')).toEqual([expect.objectContaining({ field: 'note' })]);
    expect((await third.search('Kabul')).length).toBeGreaterThan(0);
    expect(saved.size).toBeGreaterThan(1000);
  });

  it('is written after a rebuild, not after each change (a search after an edit writes nothing)', async () => {
    const { library, dir, seedId } = await freshLibrary();
    for (let i = 0; i < REBUILD_SAVE; i++) {
      await library.addDocument(untitled(`Kabul memo ${i}.`, `m${i}.txt`, new Date()));
    }
    await library.search('Kabul');
    const built = await stat(join(dir, SEARCH_INDEX_FILE));
    for (let i = 0; i < REBUILD_SAVE + 5; i++) {
      await addHighlight(library, {
        documentId: seedId,
        start: i * 20,
        end: i * 20 + 5,
        tags: ['security'],
        note: `okapi${i}`,
      });
      expect(await library.search(`okapi${i}`)).toHaveLength(1);
    }
    expect((await stat(join(dir, SEARCH_INDEX_FILE))).mtimeMs).toBe(built.mtimeMs);
  });

  it('reads for a phrase only the documents where its words are neighbours (in text, title or notes)', async () => {
    const index = SearchIndex.empty('/nonexistent/search-index.json');
    const apart = untitled('Talks on the border. Later, drugs and talks again.', 'apart.txt', new Date());
    const together = untitled('Officials held border talks with traffickers.', 'together.txt', new Date());
    const acrossLines = untitled('They reached the border.\n\nTalks began.', 'lines.txt', new Date());
    const noted = {
      ...untitled('Nothing here about it.', 'noted.txt', new Date()),
      highlights: [{ note: 'see the border talks' }],
    };
    for (const doc of [apart, together, acrossLines, noted]) index.put(doc as typeof apart);
    const ids = (query: string) => [...index.candidates(query)].sort();
    // Both words everywhere but one; neighbours only in some.
    expect(ids('border talks')).toEqual([together, acrossLines, noted].map((d) => d.meta.id).sort());
    // The last word may be a word's beginning: five characters or more are checked…
    expect(ids('held borde')).toEqual([together.meta.id]);
    // …fewer are not (any word could follow).
    expect(ids('border talk')).toContain(apart.meta.id);
    expect(ids('talks border')).toEqual([]);
    // Kept through a save and a reopen.
    const dir = await mkdtemp(join(tmpdir(), 'glossa-pairs-'));
    const saved = SearchIndex.empty(join(dir, 'search-index.json'));
    for (const doc of [apart, together]) saved.put(doc);
    await saved.save();
    const reopened = await SearchIndex.open(join(dir, 'search-index.json'));
    expect([...reopened.candidates('border talks')]).toEqual([together.meta.id]);
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its word lists to the documents in use, however often one is indexed again', () => {
    const index = SearchIndex.empty('/nonexistent/search-index.json');
    const doc = untitled('Kabul and Moscow.', 'a.txt', new Date());
    for (let revision = 0; revision < 1_000; revision++) index.put({ ...doc, revision });
    expect(index.size).toBeLessThanOrEqual(2);
    expect(index.candidates('moscow')).toEqual(new Set([doc.meta.id]));
  });

  it('rebuilds from the documents when its file is damaged or from another version', async () => {
    const { library, dir } = await freshLibrary();
    await library.search('Kabul');
    await library.close();
    for (const damage of [
      '{"format":1,"revisions":{',
      JSON.stringify({ format: 999, revisions: {}, index: {} }),
      // The format before word pairs were kept: its documents are indexed again, pairs and all.
      JSON.stringify({ format: 2, ids: [], revisions: {}, words: [] }),
    ]) {
      await writeFile(join(dir, SEARCH_INDEX_FILE), damage);
      const again = await reopenLibrary(dir);
      expect((await again.search('Kabul')).length).toBeGreaterThan(0);
      await again.close();
      expect(JSON.parse(await readFile(join(dir, SEARCH_INDEX_FILE), 'utf8')).format).toBe(3);
    }
  });

  it('does not keep the documents it read for a search in memory', async () => {
    const { library } = await freshLibrary();
    for (let i = 0; i < 20; i++)
      await library.addDocument(untitled(`Kabul okapireport ${i}.`, `r${i}.txt`, new Date()));
    await library.close();
    const again = await reopenLibrary(library.dataDir);
    expect((await again.search('Kabul')).length).toBeGreaterThan(20);
    expect((await again.search('okapireport')).length).toBe(20);
    expect(again.docs.size).toBe(0);
  });

  it('falls back to reading every document where words are not spaced (Chinese), and for punctuation', async () => {
    const { library } = await freshLibrary();
    await library.addDocument(untitled('阿富汗的塔利班与俄罗斯会谈。', 'zh.txt', new Date()));
    expect(await library.search('塔利班')).toEqual([expect.objectContaining({ field: 'text', start: 4, end: 7 })]);
    expect((await library.search('—')).length).toBe((await scanned(library, '—')).length);
  });

  it('finds words and word beginnings, not letters inside a word; a query starting with a separator matches anywhere', async () => {
    const { library } = await freshLibrary();
    const doc = untitled('Drogenhandel and drug traffickers of al-Qaeda.', 'de.txt', new Date());
    await library.addDocument(doc);
    const search = async (q: string) =>
      (await library.search(q)).filter((h) => h.documentId === doc.meta.id && h.field === 'text');
    expect(await search('traffick')).toHaveLength(1);
    expect(await search('handel')).toEqual([]);
    expect(await search('rug traffickers')).toEqual([]);
    expect(await search('-Qaeda')).toEqual([expect.objectContaining({ start: 39 })]);
    expect(await search('Qaeda')).toEqual([expect.objectContaining({ start: 40 })]);
  });

  it('a damaged document file costs its hits, not the search: it is kept aside and reported', async () => {
    const { library, dir, seedId } = await freshLibrary();
    const other = untitled('Kabul again.', 'other.txt', new Date());
    await library.addDocument(other);
    await library.search('Kabul');
    await library.close();
    await writeFile(join(dir, 'documents', `${seedId}.json`), '{"schemaVersion":1,"revision":0,"meta":');
    const again = await reopenLibrary(dir);
    const hits = await again.search('Kabul');
    expect(hits.map((h) => h.documentId)).toEqual([other.meta.id]);
    expect(again.notices.map((n) => n.message).join(' ')).toMatch(/could not be read/);
  });

  it('folds terms one character at a time, as find does', () => {
    expect(foldTerm('ΟΔΟΣ')).toBe('οδοσ');
    expect(foldTerm('Café')).toBe('cafe');
    expect(foldTerm('İstanbul')).toBe('istanbul');
  });
});
