import { describe, expect, it, vi } from 'vitest';
import { afterThisTest } from '../../test-support/cleanup';
import { startCouch } from '../../test-support/pouchdb-server';
import { emptyLibrary, openTempLibrary } from '../../test-support/temp-library';
import { addHighlight } from '../../test-support/at-revision';

describe('sync while the app runs', () => {
  it('sends a change soon after it is made and brings in the other coder’s, with the status telling syncing from synced and offline', async () => {
    const couch = await startCouch();
    afterThisTest(couch.stop);
    const ana = await openTempLibrary();
    afterThisTest(ana.cleanup);
    await ana.library.shareProject({ server: couch.url, db: 'live' });
    const { library: ben } = await emptyLibrary();
    await ben.joinProject({ server: couch.url, db: 'live' });
    const seen: boolean[] = [];
    ana.library.subscribe((e) => {
      if (e.project) seen.push(true);
    });
    // No timed syncs: Ana's change goes out because she made it, and Ben fetches it because his
    // look at the server's sequence saw news.
    ana.library.projectSync.start({ intervalMs: 600_000, settleMs: 50, pollMs: 100 });
    ben.projectSync.start({ intervalMs: 600_000, settleMs: 50, pollMs: 100 });
    expect((await ana.library.getProjectStatus()).project?.auto).toBe(true);

    const [doc] = await ana.library.listDocuments();
    const { text } = await ana.library.getDocument(doc.id);
    const at = text.indexOf('combat drug traffickers');
    const h = await addHighlight(ana.library, { documentId: doc.id, start: at, end: at + 23, tags: ['drugs'] });
    await vi.waitFor(async () => expect((await ben.getDocument(doc.id)).highlights.map((x) => x.id)).toContain(h.id), {
      timeout: 15_000,
      interval: 100,
    });
    expect(seen.length).toBeGreaterThan(1);

    // The server goes away: the loop keeps the change locally and says it is offline.
    await couch.stop();
    await ben.updateHighlight({ documentId: doc.id, highlightId: h.id, note: 'made offline' });
    await vi.waitFor(async () => expect((await ben.getProjectStatus()).project?.state).toBe('offline'), {
      timeout: 15_000,
      interval: 100,
    });
    expect((await ben.getDocument(doc.id)).highlights.find((x) => x.id === h.id)?.note).toBe('made offline');
    await ben.close();
    const status = (await ana.library.getProjectStatus()).project;
    expect(status).toMatchObject({ server: couch.url, db: 'live' });
  }, 60_000);
});

describe('sync asked for by hand, without the loop', () => {
  it('sends every change made since the last sync, round after round', async () => {
    const couch = await startCouch();
    afterThisTest(couch.stop);
    const ana = await openTempLibrary();
    afterThisTest(ana.cleanup);
    await ana.library.shareProject({ server: couch.url, db: 'by-hand' });
    const { library: ben } = await emptyLibrary();
    await ben.joinProject({ server: couch.url, db: 'by-hand' });
    const [doc] = await ana.library.listDocuments();
    const { text } = await ana.library.getDocument(doc.id);
    for (const words of ['combat drug traffickers', 'surrounded the Russian Embassy', 'Taliban']) {
      const at = text.indexOf(words);
      const h = await addHighlight(ana.library, {
        documentId: doc.id,
        start: at,
        end: at + words.length,
        tags: ['drugs'],
      });
      await ana.library.syncProject({});
      await ben.syncProject({});
      expect((await ben.getDocument(doc.id)).highlights.map((x) => x.id)).toContain(h.id);
    }
  }, 60_000);
});

describe('status announcements', () => {
  it('announce a sync and a settling, never a reading of the conflicts (the app rereads on each)', async () => {
    const couch = await startCouch();
    afterThisTest(couch.stop);
    const ana = await openTempLibrary();
    afterThisTest(ana.cleanup);
    await ana.library.shareProject({ server: couch.url, db: 'announce' });
    let heard = 0;
    ana.library.subscribe((e) => {
      if (e.project) heard++;
    });
    await ana.library.getConflicts();
    await ana.library.getProjectStatus();
    expect(heard).toBe(0);
    await ana.library.syncProject({});
    expect(heard).toBe(2);
  }, 30_000);
});
