import { describe, expect, it } from 'vitest';
import { addHighlight } from '../../../test-support/at-revision';
import { realClient } from '../../../test-support/real-client';
import { CodebookState } from './codebook.svelte';
import { ReaderState } from './reader.svelte';

async function setup() {
  const t = await realClient();
  const reader = new ReaderState(t.client, 'web');
  reader.codebook = await t.client.getCodebook({});
  reader.documents = await t.client.listDocuments({});
  return { ...t, reader, codebook: new CodebookState(t.client, reader) };
}

describe('CodebookState', () => {
  it('creates a code, selects it, lists it under its parent and finds it by a few letters', async () => {
    const { codebook } = await setup();
    await codebook.create({ name: 'Border control', parent: 'security' });
    expect(codebook.selectedId).toBe('border-control');
    expect(codebook.rows.map((r) => [r.tag.id, r.depth])).toEqual([
      ['security', 0],
      ['border-control', 1],
      ['diplomacy', 0],
      ['drugs', 0],
    ]);
    codebook.filter = 'BORD';
    expect(codebook.shown.map((r) => r.tag.id)).toEqual(['border-control']);
    codebook.filter = 'secur';
    expect(codebook.shown.map((r) => r.tag.id)).toEqual(['security', 'border-control']);
  });

  it('records each change as one undo step in the reader’s history; a refusal records nothing', async () => {
    const { codebook, reader } = await setup();
    await codebook.update('drugs', { name: 'Narcotics' });
    await codebook.shift('drugs', -1);
    expect(reader.codebook.tags.map((t) => t.name)).toEqual(['security', 'Narcotics', 'diplomacy']);
    const depth = reader.history.depth;
    await codebook.create({ name: 'SECURITY' });
    expect(codebook.error).toMatch(/already exists/);
    expect(reader.history.depth).toBe(depth);
    await reader.undo();
    expect(reader.codebook.tags.map((t) => t.name)).toEqual(['security', 'diplomacy', 'Narcotics']);
    await reader.undo();
    expect(reader.codebook.tags.map((t) => t.name)).toEqual(['security', 'diplomacy', 'drugs']);
    expect(reader.status).toBe('Undid: rename code “drugs” to “narcotics”.');
  });

  it('counts highlights from the library list, says what a delete removes, and deletes on confirmation', async () => {
    const { codebook, reader, client, documentId } = await setup();
    await addHighlight(client, { documentId, start: 0, end: 10, tags: ['security'] });
    await addHighlight(client, { documentId, start: 20, end: 30, tags: ['security', 'drugs'] });
    await reader.refreshDocuments();
    expect(codebook.counts).toEqual({ security: 2, drugs: 1 });
    await codebook.askDelete('security');
    expect(codebook.pendingDelete).toMatchObject({ highlights: 2, documents: 1, emptied: 1 });
    await codebook.confirmDelete();
    expect(codebook.pendingDelete).toBeNull();
    expect(codebook.counts).toEqual({ drugs: 1 });
    await reader.undo();
    expect(codebook.counts).toEqual({ security: 2, drugs: 1 });
  });

  it('warns when the selected code’s colour is hard to tell from another’s', async () => {
    const { codebook } = await setup();
    codebook.selectedId = 'drugs';
    expect(codebook.lookalikes).toEqual([]);
    await codebook.update('drugs', { color: '#e2544c' });
    expect(codebook.lookalikes.map((t) => t.id)).toEqual(['security']);
  });
});
