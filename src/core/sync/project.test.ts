import { describe, expect, it } from 'vitest';
import { Library } from '../library';
import { afterThisTest } from '../../test-support/cleanup';
import { startCouch, type TestCouch } from '../../test-support/pouchdb-server';
import { emptyLibrary, openTempLibrary } from '../../test-support/temp-library';
import { addHighlight } from '../../test-support/at-revision';
import { joinProject, projectStatus, shareProject, syncProject } from './project';

async function couch(options?: Parameters<typeof startCouch>[0]): Promise<TestCouch> {
  const server = await startCouch(options);
  afterThisTest(server.stop);
  return server;
}

async function coderLibrary(coder: string) {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  await t.library.setCoder({ coder });
  return t;
}

async function mark(library: Library, exact: string, tags: string[], note?: string) {
  const [doc] = await library.listDocuments();
  const { text } = await library.getDocument(doc.id);
  const start = text.indexOf(exact);
  if (start < 0) throw new Error(`not in the text: ${exact}`);
  return addHighlight(library, { documentId: doc.id, start, end: start + exact.length, tags, note });
}

/** Everything a team shares, in a form two libraries can be compared by. */
async function shared(library: Library) {
  const { docs, codebook } = await library.consistentView('all');
  return {
    codebook,
    docs: docs.map((d) => ({
      meta: d.meta,
      text: d.text,
      highlights: [...d.highlights].sort((a, b) => a.id.localeCompare(b.id)),
    })),
  };
}

describe('team projects over CouchDB replication (pouchdb-server on 127.0.0.1)', () => {
  it('shares a library, a colleague joins it, both code offline and after syncing both hold the same', async () => {
    const server = await couch();
    const ana = await coderLibrary('Ana');
    await mark(ana.library, 'combat drug traffickers', ['drugs'], 'Ana’s note');
    const shareReport = await shareProject(ana.library, ana.dir, { server: server.url, db: 'fieldwork' });
    expect(shareReport.pushed).toBeGreaterThan(3);

    const ben = await emptyLibrary({ coder: 'Ben' });
    const joined = await joinProject(ben.library, ben.dir, { server: server.url, db: 'fieldwork' });
    expect(joined.refused).toEqual([]);
    expect(await shared(ben.library)).toEqual(await shared(ana.library));

    // Offline, each codes something; Ben also adds a code of his own.
    await mark(ana.library, 'surrounded the Russian Embassy', ['security']);
    await ben.library.createTag({ name: 'protest', color: '#336699' });
    const benOwn = await mark(ben.library, 'in Kabul', ['protest'], 'Ben’s note');
    expect(benOwn.coder).toBe('Ben');

    await syncProject(ben.library, ben.dir, {});
    await syncProject(ana.library, ana.dir, {});
    await syncProject(ben.library, ben.dir, {});
    expect(await shared(ben.library)).toEqual(await shared(ana.library));
    const [doc] = (await shared(ana.library)).docs;
    expect(doc.highlights.map((h) => h.coder).sort()).toEqual(['Ana', 'Ana', 'Ben']);

    // A deletion travels as a tombstone.
    await ana.library.deleteHighlight(benOwn.documentId, benOwn.id);
    await syncProject(ana.library, ana.dir, {});
    await syncProject(ben.library, ben.dir, {});
    expect(await shared(ben.library)).toEqual(await shared(ana.library));
    expect((await shared(ben.library)).docs[0].highlights).toHaveLength(2);

    const status = await projectStatus(ben.dir);
    expect(status).toMatchObject({ server: server.url, db: 'fieldwork', state: 'synced', conflicts: [], refused: [] });
  }, 60_000);

  it('keeps both versions when two coders change the same highlight offline, and applies the same winner on both', async () => {
    const server = await couch();
    const ana = await coderLibrary('Ana');
    const h = await mark(ana.library, 'combat drug traffickers', ['drugs']);
    await shareProject(ana.library, ana.dir, { server: server.url, db: 'conflicts' });
    const ben = await emptyLibrary({ coder: 'Ben' });
    await joinProject(ben.library, ben.dir, { server: server.url, db: 'conflicts' });

    await ana.library.updateHighlight({ documentId: h.documentId, highlightId: h.id, note: 'Ana says so' });
    await ben.library.updateHighlight({
      documentId: h.documentId,
      highlightId: h.id,
      note: 'Ben disagrees',
      tags: ['security'],
    });
    await syncProject(ana.library, ana.dir, {});
    const benReport = await syncProject(ben.library, ben.dir, {});
    await syncProject(ana.library, ana.dir, {});
    const id = `highlight:${h.documentId}:${h.id}`;
    expect(benReport.conflicts).toEqual([id]);
    expect((await projectStatus(ana.dir))?.conflicts).toEqual([id]);
    // One winner (CouchDB's deterministic choice), the same in both libraries.
    expect(await shared(ben.library)).toEqual(await shared(ana.library));
    const note = (await ana.library.getDocument(h.documentId)).highlights.find((x) => x.id === h.id)?.note;
    expect(['Ana says so', 'Ben disagrees']).toContain(note);

    // Both versions are there to look at, on both sides, until settled.
    const [conflict] = await ben.library.getConflicts();
    expect(conflict.id).toBe(id);
    const notes = conflict.versions.map((v) => (v.doc.type === 'highlight' ? v.doc.highlight.note : '')).sort();
    expect(notes).toEqual(['Ana says so', 'Ben disagrees']);
    expect(conflict.versions.filter((v) => v.winner)).toHaveLength(1);
    await expect(ben.library.resolveConflict({ id: 'highlight:nope:nope', merge: true })).rejects.toThrow(
      /no conflict on highlight:nope:nope/,
    );
    await expect(ben.library.resolveConflict({ id, keep: '9-abc' })).rejects.toThrow(/has no version 9-abc/);

    // Ben merges: codes joined, both notes kept; after a sync each way, both hold the merge.
    expect(await ben.library.resolveConflict({ id, merge: true })).toEqual([]);
    const merged = (await ben.library.getDocument(h.documentId)).highlights.find((x) => x.id === h.id);
    expect(merged?.tags).toEqual(['security', 'drugs']);
    expect(merged?.note.split('\n\n').sort()).toEqual(['Ana says so', 'Ben disagrees']);
    await syncProject(ben.library, ben.dir, {});
    const after = await syncProject(ana.library, ana.dir, {});
    expect(after.conflicts).toEqual([]);
    expect(await ana.library.getConflicts()).toEqual([]);
    expect(await shared(ana.library)).toEqual(await shared(ben.library));

    // Again, settled the other way: Ana keeps the version that lost.
    await ana.library.updateHighlight({ documentId: h.documentId, highlightId: h.id, note: 'second round: Ana' });
    await ben.library.updateHighlight({ documentId: h.documentId, highlightId: h.id, note: 'second round: Ben' });
    await syncProject(ana.library, ana.dir, {});
    await syncProject(ben.library, ben.dir, {});
    await syncProject(ana.library, ana.dir, {});
    const [again] = await ana.library.getConflicts();
    const loser = again.versions.find((v) => !v.winner)!;
    await ana.library.resolveConflict({ id, keep: loser.rev });
    await syncProject(ana.library, ana.dir, {});
    await syncProject(ben.library, ben.dir, {});
    const kept = loser.doc.type === 'highlight' ? loser.doc.highlight.note : '';
    for (const lib of [ana.library, ben.library]) {
      expect((await lib.getDocument(h.documentId)).highlights.find((x) => x.id === h.id)?.note).toBe(kept);
      expect(await lib.getConflicts()).toEqual([]);
    }
  }, 60_000);

  it('refuses what a hostile server sends, reports it, and leaves the library as it was', async () => {
    const server = await couch();
    const ana = await coderLibrary('Ana');
    const h = await mark(ana.library, 'combat drug traffickers', ['drugs']);
    await shareProject(ana.library, ana.dir, { server: server.url, db: 'hostile' });
    const before = await shared(ana.library);
    const put = (id: string, body: unknown) =>
      fetch(`${server.url}/hostile/${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = {
      oversized: { ...h, id: 'h-oversized', note: 'x'.repeat(200_001) },
      misquoted: {
        ...h,
        id: 'h-misquoted',
        target: { ...h.target, quote: { ...h.target.quote, exact: 'not the text' } },
      },
      outside: {
        ...h,
        id: 'h-outside',
        target: { ...h.target, position: { type: 'TextPositionSelector', start: 10_000_000, end: 10_000_010 } },
      },
    };
    for (const [, hl] of Object.entries(bad)) {
      expect((await put(`highlight:${h.documentId}:${hl.id}`, { type: 'highlight', highlight: hl })).ok).toBe(true);
    }
    expect((await put('code:evil', { type: 'code', tag: { id: 'evil', name: 'x', color: 'red' } })).ok).toBe(true);
    expect((await put('highlight:wrong:id', { type: 'highlight', highlight: h })).ok).toBe(true);
    expect((await put('junk', { type: 'nonsense' })).ok).toBe(true);

    const report = await syncProject(ana.library, ana.dir, {});
    expect(report.refused.map((r) => r.id).sort()).toEqual(
      [
        'code:evil',
        'highlight:wrong:id',
        'junk',
        ...Object.values(bad).map((b) => `highlight:${h.documentId}:${b.id}`),
      ].sort(),
    );
    expect(report.refused.find((r) => r.id === 'code:evil')?.problem).toMatch(/colour/);
    expect(await shared(ana.library)).toEqual(before);
    expect((await projectStatus(ana.dir))?.refused).toHaveLength(6);
  }, 60_000);

  it('says what went wrong when the server is down, refuses the password, or lost the database', async () => {
    const server = await couch({ admin: { user: 'lead', password: 'right horse battery' } });
    const ana = await coderLibrary('Ana');
    await expect(
      shareProject(ana.library, ana.dir, { server: server.url, db: 'locked', user: 'lead', password: 'wrong' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/refused the user name or password/) });
    expect(await projectStatus(ana.dir)).toBeNull();

    const ben = await coderLibrary('Ben');
    await shareProject(ben.library, ben.dir, {
      server: server.url,
      db: 'open-project',
      user: 'lead',
      password: 'right horse battery',
    });
    await fetch(`${server.url}/open-project`, {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from('lead:right horse battery').toString('base64')}` },
    });
    await expect(syncProject(ben.library, ben.dir, { password: 'right horse battery' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/not on the server/),
    });

    await server.stop();
    await mark(ben.library, 'combat drug traffickers', ['drugs']);
    await expect(syncProject(ben.library, ben.dir, { password: 'right horse battery' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/Cannot reach .*offline/),
    });
    // A join that cannot reach the server leaves the new library as it was: its codebook, no project.
    const late = await emptyLibrary({ coder: 'Cleo' });
    await expect(joinProject(late.library, late.dir, { server: server.url, db: 'open-project' })).rejects.toMatchObject(
      {
        code: 'UNAVAILABLE',
      },
    );
    expect((await late.library.getCodebook()).tags.map((t) => t.id)).toEqual(['security', 'diplomacy', 'drugs']);
    expect(await projectStatus(late.dir)).toBeNull();
    const status = await projectStatus(ben.dir);
    expect(status?.state).toBe('offline');
    // Never the password, anywhere the status is kept.
    expect(JSON.stringify(status)).not.toMatch(/horse/);
  }, 60_000);
});
