import { describe, expect, it } from 'vitest';
import { Library } from '../library';
import { afterThisTest } from '../../test-support/cleanup';
import { startCouch } from '../../test-support/pouchdb-server';
import { emptyLibrary, openTempLibrary } from '../../test-support/temp-library';
import { addHighlight } from '../../test-support/at-revision';

// Concurrent codebook edits by two coders who were apart: each has a defined outcome, and none
// drops a highlight that someone made on purpose (README, "Team projects").

async function team() {
  const couch = await startCouch();
  afterThisTest(couch.stop);
  const ana = await openTempLibrary();
  afterThisTest(ana.cleanup);
  await ana.library.setCoder({ coder: 'Ana' });
  await ana.library.shareProject({ server: couch.url, db: 'codebook' });
  const { library: ben } = await emptyLibrary({ coder: 'Ben' });
  await ben.joinProject({ server: couch.url, db: 'codebook' });
  const [doc] = await ben.listDocuments();
  const { text } = await ben.getDocument(doc.id);
  const mark = (library: Library, exact: string, tags: string[]) => {
    const start = text.indexOf(exact);
    return addHighlight(library, { documentId: doc.id, start, end: start + exact.length, tags });
  };
  const settle = async () => {
    for (let i = 0; i < 2; i++) {
      await ana.library.syncProject({});
      await ben.syncProject({});
    }
  };
  const view = async (library: Library) => {
    const { docs, codebook } = await library.consistentView('all');
    return { tags: codebook.tags, highlights: docs[0].highlights.map((h) => `${h.coder}:${h.tags.join('+')}`).sort() };
  };
  return { ana: ana.library, ben, mark, settle, view, documentId: doc.id };
}

describe('concurrent codebook edits in a team project', () => {
  it('delete against use: the code comes back where it is used, and the new highlight is kept everywhere', async () => {
    const { ana, ben, mark, settle, view } = await team();
    await ana.deleteTag({ tagId: 'drugs' });
    const bens = await mark(ben, 'combat drug traffickers', ['drugs']);
    await settle();
    expect(await view(ana)).toEqual(await view(ben));
    const { tags, highlights } = await view(ana);
    expect(tags.map((t) => t.id)).toContain('drugs');
    expect(highlights).toEqual(['Ben:drugs']);
    expect((await ana.getDocument(bens.documentId)).highlights.map((h) => h.id)).toEqual([bens.id]);
    expect((await ana.getProjectStatus()).project?.refused).toEqual([]);
  }, 60_000);

  it('merge against use: merged highlights stay merged, the other coder’s new one keeps its code, which comes back', async () => {
    const { ana, ben, mark, settle, view } = await team();
    await mark(ana, 'surrounded the Russian Embassy', ['drugs']);
    await settle();
    await ana.mergeTags({ from: 'drugs', into: 'security' });
    await mark(ben, 'combat drug traffickers', ['drugs']);
    await settle();
    expect(await view(ana)).toEqual(await view(ben));
    expect((await view(ana)).highlights).toEqual(['Ana:security', 'Ben:drugs']);
  }, 60_000);

  it('rename against rename: one name wins everywhere, the other waits as a conflict to settle', async () => {
    const { ana, ben, settle, view } = await team();
    await ana.updateTag({ tagId: 'drugs', name: 'narcotics' });
    await ben.updateTag({ tagId: 'drugs', name: 'drug trade' });
    await settle();
    expect(await view(ana)).toEqual(await view(ben));
    expect(['narcotics', 'drug trade']).toContain((await view(ana)).tags.find((t) => t.id === 'drugs')?.name);
    const [conflict] = await ana.getConflicts();
    expect(conflict.id).toBe('code:drugs');
    const loser = conflict.versions.find((v) => !v.winner)!;
    await ana.resolveConflict({ id: 'code:drugs', keep: loser.rev });
    await settle();
    expect(await view(ana)).toEqual(await view(ben));
    expect(await ben.getConflicts()).toEqual([]);
  }, 60_000);
});
