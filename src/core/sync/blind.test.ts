import { describe, expect, it } from 'vitest';
import { Library } from '../library';
import { afterThisTest } from '../../test-support/cleanup';
import { startCouch } from '../../test-support/pouchdb-server';
import { emptyLibrary, openTempLibrary } from '../../test-support/temp-library';
import { addHighlight } from '../../test-support/at-revision';
import { coderDatabase } from './blind';

async function mark(library: Library, exact: string, tags: string[]) {
  const [doc] = await library.listDocuments();
  const { text } = await library.getDocument(doc.id);
  const start = text.indexOf(exact);
  return addHighlight(library, { documentId: doc.id, start, end: start + exact.length, tags });
}

const coders = async (library: Library) => {
  const [doc] = await library.listDocuments();
  return (await library.getDocument(doc.id)).highlights.map((h) => h.coder).sort();
};

async function rawIds(url: string, db: string): Promise<string[]> {
  const answer = await fetch(`${url}/${db}/_all_docs`);
  if (!answer.ok) return [];
  return ((await answer.json()) as { rows: { id: string }[] }).rows.map((r) => r.id);
}

describe('blind coding', () => {
  it('keeps each coder’s highlights out of the shared database and the other coder’s library until the lead reveals them', async () => {
    const couch = await startCouch();
    afterThisTest(couch.stop);
    const ana = await openTempLibrary();
    afterThisTest(ana.cleanup);
    await ana.library.setCoder({ coder: 'Ana' });
    await ana.library.shareProject({ server: couch.url, db: 'blind' });
    const report = await ana.library.setProjectBlind({ blind: true });
    expect(report.refused).toEqual([]);
    expect((await ana.library.getProjectStatus()).project?.blind).toBe(true);

    const { library: ben } = await emptyLibrary({ coder: 'Ben' });
    await ben.joinProject({ server: couch.url, db: 'blind' });
    // Ben learns the project is blind from the shared settings.
    expect((await ben.getProjectStatus()).project?.blind).toBe(true);

    await mark(ana.library, 'surrounded the Russian Embassy in Kabul', ['security']);
    await mark(ben, 'surrounded the Russian Embassy', ['security']);
    for (let round = 0; round < 2; round++) {
      await ana.library.syncProject({});
      await ben.syncProject({});
    }
    expect(await coders(ana.library)).toEqual(['Ana']);
    expect(await coders(ben)).toEqual(['Ben']);
    // Read raw: the shared database holds no highlight; each coder's own database holds theirs.
    expect((await rawIds(couch.url, 'blind')).filter((id) => id.startsWith('highlight:'))).toEqual([]);
    const benDb = coderDatabase('blind', 'Ben');
    expect((await rawIds(couch.url, benDb)).filter((id) => id.startsWith('highlight:'))).toHaveLength(1);
    expect(
      (await rawIds(couch.url, coderDatabase('blind', 'Ana'))).filter((id) => id.startsWith('highlight:')),
    ).toHaveLength(1);

    // Ben's work is on the server, not only on his machine: a new library of his gets it back.
    const { library: benAgain } = await emptyLibrary({ coder: 'Ben' });
    await benAgain.joinProject({ server: couch.url, db: 'blind' });
    await benAgain.syncProject({});
    expect(await coders(benAgain)).toEqual(['Ben']);

    // The reveal: each next sync shares the highlights, and everyone sees everyone's.
    await ana.library.setProjectBlind({ blind: false });
    await ben.syncProject({});
    await ana.library.syncProject({});
    expect(await coders(ana.library)).toEqual(['Ana', 'Ben']);
    expect(await coders(ben)).toEqual(['Ana', 'Ben']);
    expect((await rawIds(couch.url, 'blind')).filter((id) => id.startsWith('highlight:'))).toHaveLength(2);
  }, 60_000);

  it('names a coder database from any name, apart for names that differ only in case or script', () => {
    expect(coderDatabase('p', 'Ana')).toMatch(/^p-coder-ana-[0-9a-f]{8}$/);
    expect(coderDatabase('p', 'Ana')).not.toBe(coderDatabase('p', 'ana'));
    expect(coderDatabase('p', 'أحمد')).toMatch(/^p-coder-[0-9a-f]{8}$/);
    expect(coderDatabase('p', 'José Núñez')).toMatch(/^p-coder-jose-nunez-[0-9a-f]{8}$/);
  });
});
