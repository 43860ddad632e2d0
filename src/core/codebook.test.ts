import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlossaError } from '../shared/errors';
import type { Highlight } from '../shared/types';
import { addHighlight } from '../test-support/at-revision';
import { freshLibrary, reopenLibrary } from '../test-support/temp-library';
import { documentFromText } from './import/document';
import type { Library } from './library';

/** Every document's highlights, by id, and the codebook: what "exactly as before" compares. */
async function everything(library: Library) {
  const docs = await library.listDocuments();
  const highlights: Record<string, Highlight[]> = {};
  for (const d of docs) {
    highlights[d.id] = (await library.getDocument(d.id)).highlights.sort((a, b) => a.id.localeCompare(b.id));
  }
  return { codebook: await library.getCodebook(), highlights };
}

async function fileBytes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = { 'library.json': await readFile(join(dir, 'library.json'), 'utf8') };
  for (const name of await readdir(join(dir, 'documents'))) {
    out[name] = await readFile(join(dir, 'documents', name), 'utf8');
  }
  return out;
}

async function refused(work: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GlossaError);
  expect((error as GlossaError).code).toBe(code);
  expect((error as GlossaError).message).toMatch(message);
}

/** The seed plus a second document, with highlights carrying security, drugs or both. */
async function codedLibrary() {
  const t = await freshLibrary();
  const second = documentFromText(
    'Border guards seized heroin.\n\nTalks on trade resumed in Doha.',
    'b.txt',
    new Date(),
  );
  await t.library.addDocument(second);
  const a = await addHighlight(t.library, { documentId: t.seedId, start: 0, end: 20, tags: ['security'] });
  const b = await addHighlight(t.library, { documentId: t.seedId, start: 10, end: 40, tags: ['security', 'drugs'] });
  const c = await addHighlight(t.library, { documentId: second.meta.id, start: 0, end: 13, tags: ['drugs'] });
  const d = await addHighlight(t.library, { documentId: second.meta.id, start: 30, end: 40, tags: ['diplomacy'] });
  return { ...t, secondId: second.meta.id, a, b, c, d };
}

describe('creating and shaping codes', () => {
  it('creates a code with an id from its name, a colour of its own, nested where asked', async () => {
    const { library } = await freshLibrary();
    const made = await library.createTag({ name: 'Border control', parent: 'security', description: 'Checks' });
    expect(made.tag).toMatchObject({
      id: 'border-control',
      name: 'Border control',
      parent: 'security',
      description: 'Checks',
    });
    expect(['#e0524a', '#3f7fd0', '#3a9d5d']).not.toContain(made.tag?.color);
    const again = await library.createTag({ name: 'Border-control' });
    expect(again.tag?.id).toMatch(/^border-control-[0-9a-f]{6}$/);
    expect((await library.getCodebook()).tags.map((t) => t.name)).toEqual([
      'security',
      'diplomacy',
      'drugs',
      'Border control',
      'Border-control',
    ]);
  });

  it('refuses a duplicate name in any case, an unknown parent, a cycle and a taken key, changing no byte', async () => {
    const { library, dir } = await freshLibrary();
    await library.createTag({ name: 'Border', parent: 'security', shortcut: 'b' });
    await library.flush();
    const before = await fileBytes(dir);
    await refused(library.createTag({ name: 'SECURITY' }), 'INVALID_INPUT', /already exists/);
    await refused(library.createTag({ name: 'x', parent: 'nope' }), 'NOT_FOUND', /no code/);
    await refused(library.updateTag({ tagId: 'security', parent: 'border' }), 'INVALID_INPUT', /inside it/);
    await refused(library.updateTag({ tagId: 'security', parent: 'security' }), 'INVALID_INPUT', /inside it/);
    await refused(library.updateTag({ tagId: 'drugs', shortcut: 'B' }), 'INVALID_INPUT', /already applies/);
    await refused(library.updateTag({ tagId: 'drugs', name: 'Diplomacy' }), 'INVALID_INPUT', /already exists/);
    await refused(library.mergeTags({ from: 'drugs', into: 'drugs' }), 'INVALID_INPUT', /itself/);
    await refused(library.deleteTag({ tagId: 'nope' }), 'NOT_FOUND', /no code/);
    expect(await fileBytes(dir)).toEqual(before);
  });

  it('renames, recolours, describes and reorders in library.json alone: no document file is written', async () => {
    const { library, dir, seedId } = await codedLibrary();
    await library.flush();
    const docFile = join(dir, 'documents', `${seedId}.json`);
    const before = { files: await fileBytes(dir), mtime: (await stat(docFile)).mtimeMs };
    await library.updateTag({
      tagId: 'security',
      name: 'Security & defence',
      color: '#112233',
      description: '*When* force',
    });
    await library.updateTag({ tagId: 'drugs', before: 'security' });
    expect((await library.getCodebook()).tags).toEqual([
      { id: 'drugs', name: 'drugs', color: '#3a9d5d' },
      { id: 'security', name: 'Security & defence', color: '#112233', description: '*When* force' },
      { id: 'diplomacy', name: 'diplomacy', color: '#3f7fd0' },
    ]);
    const { 'library.json': _changed, ...documents } = await fileBytes(dir);
    const { 'library.json': _was, ...documentsBefore } = before.files;
    expect(documents).toEqual(documentsBefore); // snapshots and logs alike
    expect((await stat(docFile)).mtimeMs).toBe(before.mtime);
  });
});

describe('merging and deleting codes', () => {
  it('merges A into B: every highlight of A gets B once, children move, the description is appended; undo and redo are exact', async () => {
    const { library, a, b, c } = await codedLibrary();
    await library.updateTag({ tagId: 'drugs', description: 'Narcotics.' });
    await library.updateTag({ tagId: 'security', description: 'Force.' });
    await library.createTag({ name: 'Trafficking', parent: 'drugs' });
    const before = await everything(library);
    const merged = await library.mergeTags({ from: 'drugs', into: 'security' });
    expect(merged.applied).toEqual({ documents: 2, highlights: 2, deleted: 0, skipped: 0 });
    const after = await everything(library);
    const all = Object.values(after.highlights).flat();
    expect(all.find((h) => h.id === a.id)?.tags).toEqual(['security']);
    expect(all.find((h) => h.id === b.id)?.tags).toEqual(['security']);
    expect(all.find((h) => h.id === c.id)?.tags).toEqual(['security']);
    expect(after.codebook.tags.map((t) => t.id)).toEqual(['security', 'diplomacy', 'trafficking']);
    const security = after.codebook.tags[0];
    expect(security.description).toBe('Force.\n\n*Merged from “drugs”:*\n\nNarcotics.');
    expect(after.codebook.tags[2].parent).toBe('security');
    const counts = Object.fromEntries((await library.listDocuments()).map((d) => [d.id, d.tagCounts]));
    expect(Object.values(counts).some((c) => 'drugs' in c)).toBe(false);

    await library.revertCodebookChange({ changeId: merged.change.id, direction: 'undo' });
    expect(await everything(library)).toEqual(before);
    await library.revertCodebookChange({ changeId: merged.change.id, direction: 'redo' });
    expect(await everything(library)).toEqual(after);
  });

  it('merges a code into one nested inside it without making a cycle', async () => {
    const { library } = await freshLibrary();
    await library.createTag({ name: 'Border', parent: 'security' });
    await library.createTag({ name: 'Checkpoints', parent: 'border' });
    await library.mergeTags({ from: 'security', into: 'checkpoints' });
    const tags = (await library.getCodebook()).tags;
    expect(tags.find((t) => t.id === 'checkpoints')?.parent).toBeUndefined();
    expect(tags.find((t) => t.id === 'border')?.parent).toBe('checkpoints');
  });

  it('deletes a code: its highlights lose it, one left with no code is deleted; undo puts back every one', async () => {
    const { library, a, b, seedId } = await codedLibrary();
    const before = await everything(library);
    expect(await library.tagUsage('security')).toMatchObject({ highlights: 2, documents: 1, emptied: 1 });
    const deleted = await library.deleteTag({ tagId: 'security' });
    expect(deleted.applied).toMatchObject({ documents: 1, highlights: 1, deleted: 1 });
    const doc = await library.getDocument(seedId);
    expect(doc.highlights.find((h) => h.id === a.id)).toBeUndefined();
    expect(doc.highlights.find((h) => h.id === b.id)?.tags).toEqual(['drugs']);
    expect((await library.listDocuments()).find((d) => d.id === seedId)?.tagCounts).toEqual({ drugs: 1 });
    await library.revertCodebookChange({ changeId: deleted.change.id, direction: 'undo' });
    expect(await everything(library)).toEqual(before);
  });

  it('undo leaves alone a highlight changed since, and says so', async () => {
    const { library, b, seedId } = await codedLibrary();
    const merged = await library.mergeTags({ from: 'drugs', into: 'diplomacy' });
    await library.updateHighlight({ documentId: seedId, highlightId: b.id, note: 'newer work' });
    const undone = await library.revertCodebookChange({ changeId: merged.change.id, direction: 'undo' });
    expect(undone.applied.skipped).toBe(1);
    const kept = (await library.getDocument(seedId)).highlights.find((h) => h.id === b.id);
    expect(kept).toMatchObject({ note: 'newer work', tags: ['security', 'diplomacy'] });
  });

  it('keeps a code created since when an earlier change is undone', async () => {
    const { library } = await freshLibrary();
    const renamed = await library.updateTag({ tagId: 'drugs', name: 'narcotics' });
    await library.createTag({ name: 'Elections' });
    await library.revertCodebookChange({ changeId: renamed.change.id, direction: 'undo' });
    expect((await library.getCodebook()).tags.map((t) => t.name)).toEqual([
      'security',
      'diplomacy',
      'drugs',
      'Elections',
    ]);
  });

  it('refuses to undo the creation of a code that highlights now use', async () => {
    const { library, seedId } = await freshLibrary();
    const made = await library.createTag({ name: 'Elections' });
    await addHighlight(library, { documentId: seedId, start: 0, end: 5, tags: ['elections'] });
    await refused(library.revertCodebookChange({ changeId: made.change.id, direction: 'undo' }), 'CONFLICT', /in use/);
  });

  it('a change survives a restart: undo works from its journal after reopening', async () => {
    const { library, dir } = await codedLibrary();
    const before = await everything(library);
    const merged = await library.mergeTags({ from: 'drugs', into: 'security' });
    await library.close();
    const again = await reopenLibrary(dir);
    await again.revertCodebookChange({ changeId: merged.change.id, direction: 'undo' });
    expect(await everything(again)).toEqual(before);
  });
});
