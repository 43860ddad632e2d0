import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addHighlight } from '../test-support/at-revision';
import { freshLibrary, reopenLibrary } from '../test-support/temp-library';
import { CODING_INDEX_FILE } from './coding-index';
import { documentFromText } from './import/document';

async function codedLibrary() {
  const t = await freshLibrary();
  const other = documentFromText('Heroin crossed the border.\n\nTalks resumed.', 'other.txt', new Date());
  await t.library.addDocument(other);
  await t.library.updateDocument({ documentId: other.meta.id, attributes: { country: 'Tajikistan' } });
  await addHighlight(t.library, { documentId: t.seedId, start: 0, end: 30, tags: ['security'] });
  await addHighlight(t.library, { documentId: t.seedId, start: 20, end: 50, tags: ['drugs'] });
  await addHighlight(t.library, { documentId: other.meta.id, start: 0, end: 6, tags: ['drugs', 'security'] });
  return { ...t, otherId: other.meta.id };
}

const quotes = (passages: { highlight: { target: { quote: { exact: string } } } }[]) =>
  passages.map((p) => p.highlight.target.quote.exact);

describe('Passages queries on a library', () => {
  it('finds passages across documents with their context, ¶ and overlaps', async () => {
    const { library, otherId } = await codedLibrary();
    const { passages: both, total } = await library.queryPassages({ query: 'security and drugs' });
    expect(total).toBe(1);
    expect(quotes(both)).toEqual(['Heroin']);
    expect(both[0]).toMatchObject({ n: 1, before: '', after: ' crossed the border.' });
    const { passages: overlapping } = await library.queryPassages({ query: 'security overlapping drugs' });
    expect(overlapping).toHaveLength(1);
    expect(overlapping[0].overlaps).toHaveLength(1);
    expect((await library.queryPassages({ query: 'drugs', documentIds: [otherId] })).passages).toHaveLength(1);
    expect((await library.queryPassages({ query: 'drugs', attributes: { COUNTRY: 'tajikistan' } })).total).toBe(1);
    expect((await library.queryPassages({ query: 'drugs', attributes: { country: 'Russia' } })).passages).toEqual([]);
  });

  it('follows changes at once, and keeps its coding index across a restart', async () => {
    const { library, dir, seedId } = await codedLibrary();
    expect((await library.queryPassages({ query: 'diplomacy' })).total).toBe(0);
    await addHighlight(library, { documentId: seedId, start: 60, end: 80, tags: ['diplomacy'] });
    expect((await library.queryPassages({ query: 'diplomacy' })).total).toBe(1);
    await library.close();
    const saved = JSON.parse(await readFile(join(dir, CODING_INDEX_FILE), 'utf8'));
    expect(Object.keys(saved.documents)).toContain(seedId);
    const again = await reopenLibrary(dir);
    expect((await again.queryPassages({ query: 'diplomacy' })).total).toBe(1);
  });

  it('rebuilds a damaged or stale coding index instead of trusting it', async () => {
    const { library, dir, seedId } = await codedLibrary();
    await library.queryPassages({ query: 'security' });
    await library.close();
    const path = join(dir, CODING_INDEX_FILE);
    const saved = JSON.parse(await readFile(path, 'utf8'));
    // A stale entry at the document's current revision claiming a highlight that is not there.
    saved.documents[seedId].ids.push('ghost');
    saved.documents[seedId].starts.push(0);
    saved.documents[seedId].ends.push(5);
    saved.documents[seedId].tags.push(['diplomacy']);
    saved.documents[seedId].revision = -1;
    await writeFile(path, JSON.stringify(saved));
    const again = await reopenLibrary(dir);
    expect((await again.queryPassages({ query: 'diplomacy' })).total).toBe(0);
    await again.close();
    await writeFile(path, '{"format":1,"documents":');
    const third = await reopenLibrary(dir);
    expect(quotes((await third.queryPassages({ query: 'security and drugs' })).passages)).toEqual(['Heroin']);
  });
});

describe('pages of passages', () => {
  it('pages through the results in library and reading order, with the total', async () => {
    const { library, seedId } = await codedLibrary();
    for (let i = 0; i < 5; i++)
      await addHighlight(library, { documentId: seedId, start: 100 + i * 20, end: 110 + i * 20, tags: ['diplomacy'] });
    const all = (await library.queryPassages({ query: 'diplomacy' })).passages;
    const first = await library.queryPassages({ query: 'diplomacy', limit: 2 });
    const rest = await library.queryPassages({ query: 'diplomacy', offset: 2, limit: 10 });
    expect(first.total).toBe(5);
    expect([...first.passages, ...rest.passages]).toEqual(all);
    expect(all.map((p) => p.highlight.target.position.start)).toEqual([100, 120, 140, 160, 180]);
  });
});

describe('Analysis on a library', () => {
  it('counts per document and per attribute value, with coverage, and the co-occurrence', async () => {
    const { library, seedId, otherId } = await codedLibrary();
    const byDoc = await library.analyze({});
    expect(byDoc.tags).toEqual(['security', 'diplomacy', 'drugs']);
    const col = (id: string) => byDoc.frequencies.groups.findIndex((g) => g.key === id);
    expect(byDoc.frequencies.highlights[0][col(seedId)]).toBe(1);
    expect(byDoc.frequencies.chars[2][col(seedId)]).toBe(30);
    expect(byDoc.frequencies.highlights[2][col(otherId)]).toBe(1);
    expect(byDoc.cooccurrence.both[0][2]).toBe(1);
    expect(byDoc.cooccurrence.overlaps[0][2]).toBe(1);
    expect(byDoc.cooccurrence.chars[0][2]).toBe(10 + 6);
    const byCountry = await library.analyze({ attribute: 'country' });
    expect(byCountry.frequencies.groups.map((g) => g.label).sort()).toEqual(['(no value)', 'Tajikistan']);
    await expect(library.analyze({ tags: ['nope'] })).rejects.toThrow(/Unknown tag "nope"/);
  });
});

describe('the coding index follows changes', () => {
  it('applies saved highlights and codebook merges without reading documents again', async () => {
    const { library, seedId, dir } = await codedLibrary();
    await library.queryPassages({ query: 'security' });
    await addHighlight(library, { documentId: seedId, start: 60, end: 70, tags: ['diplomacy'] });
    await library.mergeTags({ from: 'drugs', into: 'diplomacy' });
    // Closed without another query: only following the changes can have brought the index up to date.
    await library.close();
    const saved = JSON.parse(await readFile(join(dir, CODING_INDEX_FILE), 'utf8'));
    const again = await reopenLibrary(dir);
    const entry = (await again.listDocuments()).find((d) => d.id === seedId);
    // Recorded at the document's current revision: the next session trusts it.
    expect(saved.documents[seedId].revision).toBe((await again.getDocument(seedId)).revision);
    expect(saved.documents[seedId].tags.flat()).not.toContain('drugs');
    expect(entry?.highlightCount).toBe(3);
    expect((await again.queryPassages({ query: 'diplomacy' })).total).toBe(3);
  });
});

describe('a library built by Glossa', () => {
  it('keeps its coding index from the first document on: nothing to build when the first query comes', async () => {
    const { library, dir, seedId, otherId } = await codedLibrary();
    await library.close();
    const saved = JSON.parse(await readFile(join(dir, CODING_INDEX_FILE), 'utf8'));
    const again = await reopenLibrary(dir);
    expect(Object.keys(saved.documents).sort()).toEqual([seedId, otherId].sort());
    for (const id of [seedId, otherId]) {
      expect(saved.documents[id].revision).toBe((await again.getDocument(id)).revision);
    }
    expect(saved.documents[otherId].ids).toHaveLength(1);
  });
});
