import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generate, toHighlights, vocabulary } from '../../../bench/generate';
import { bundleForNode } from '../../test-support/bundle';
import { afterThisTest } from '../../test-support/cleanup';
import { startFaultProxy } from '../../test-support/fault-proxy';
import { startCouch } from '../../test-support/pouchdb-server';
import { emptyLibrary, tempDir } from '../../test-support/temp-library';
import { Library } from '../library';
import { SCHEMA_VERSION } from '../stored-schema';
import { joinProject, projectStatus, shareProject, syncProject } from './project';

/** A library of one generated document with `count` highlights, and the server it will share to. */
async function bigLibrary(count: number, options: { now?: () => Date } = {}) {
  const { dir, cleanup } = await tempDir();
  const library = await Library.open({ dataDir: dir, owner: 'test', ...options });
  afterThisTest(async () => {
    await library.close();
    await cleanup();
  });
  const g = generate(20_000 + count * 60, count, 11, vocabulary(500));
  await library.mergeImport({
    tags: [],
    documents: [
      {
        documentId: 'doc',
        highlights: toHighlights('doc', g),
        add: {
          schemaVersion: SCHEMA_VERSION,
          meta: {
            id: 'doc',
            title: 'Field notes',
            titleSource: 'user',
            source: 'test',
            added: '2026-01-01T00:00:00.000Z',
          },
          text: g.text,
          paragraphs: g.paragraphs,
          highlights: [],
        },
      },
    ],
  });
  return { dir, library };
}

const highlightsOf = async (library: Library) =>
  (await library.consistentView('all')).docs.flatMap((d) => d.highlights).sort((a, b) => a.id.localeCompare(b.id));

async function docCount(url: string, db: string): Promise<number> {
  const answer = await fetch(`${url}/${db}`);
  return answer.ok ? ((await answer.json()) as { doc_count: number }).doc_count : 0;
}

describe('team project sync under faults (pouchdb-server behind a fault-injecting proxy)', () => {
  it('a 500, an answer that is not JSON and a cut connection each fail the sync with a reason; the next sync finishes the job', async () => {
    const couch = await startCouch();
    afterThisTest(couch.stop);
    const proxy = await startFaultProxy(couch.url);
    afterThisTest(proxy.close);
    const ana = await bigLibrary(400);
    const before = await highlightsOf(ana.library);

    proxy.set('http-500');
    await expect(shareProject(ana.library, ana.dir, { server: proxy.url, db: 'faults' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/server failed \(HTTP 500\)/),
    });
    proxy.set('garbage');
    await expect(shareProject(ana.library, ana.dir, { server: proxy.url, db: 'faults' })).rejects.toMatchObject({
      message: expect.stringMatching(/not CouchDB's JSON/),
    });
    // Cut halfway: some batches of the first push get through, then the connection drops.
    proxy.set('none');
    await shareProject(ana.library, ana.dir, { server: proxy.url, db: 'faults' }).catch(() => undefined);
    expect(await projectStatus(ana.dir)).not.toBeNull();
    proxy.set('drop', 6);
    await ana.library.updateHighlight({ documentId: 'doc', highlightId: 'h1', note: 'changed while offline' });
    await expect(syncProject(ana.library, ana.dir, {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect((await projectStatus(ana.dir))?.state).toMatch(/offline|error/);
    expect(await highlightsOf(ana.library)).toHaveLength(before.length);

    proxy.set('none');
    const resumed = await syncProject(ana.library, ana.dir, {});
    expect(resumed.refused).toEqual([]);
    expect((await projectStatus(ana.dir))?.state).toBe('synced');
    // Everything once on the server: the document, codes, order and each highlight.
    expect(await docCount(couch.url, 'faults')).toBe(before.length + 1 + 3 + 1);
    const ben = await emptyLibrary();
    await joinProject(ben.library, ben.dir, { server: couch.url, db: 'faults' });
    expect(await highlightsOf(ben.library)).toEqual(await highlightsOf(ana.library));
    expect((await highlightsOf(ben.library)).find((h) => h.id === 'h1')?.note).toBe('changed while offline');
  }, 120_000);

  it('a share SIGKILLed halfway resumes from its checkpoint: nothing lost, nothing twice, no conflict', async () => {
    const couch = await startCouch();
    afterThisTest(couch.stop);
    const ana = await bigLibrary(3000);
    const all = await highlightsOf(ana.library);
    const total = all.length + 1 + 3 + 1;
    await ana.library.close();

    const script = await bundleForNode('src/test-support/sync-once.ts', 'sync-once');
    const outcome = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [script, ana.dir, 'share', couch.url, 'killed'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      // Killed once the server holds several batches (PouchDB sends 100 documents a batch and
      // checkpoints after each) but not all: in the middle of replicating.
      let polling = false;
      const watch = setInterval(() => {
        if (polling) return;
        polling = true;
        void docCount(couch.url, 'killed').then((n) => {
          polling = false;
          if (n >= 500 && n < total) child.kill('SIGKILL');
        });
      }, 2);
      child.on('close', (_code, signal) => {
        clearInterval(watch);
        if (signal === 'SIGKILL') resolve('killed');
        else if (out.includes('DONE')) resolve('finished');
        else reject(new Error(`the sync stopped by itself: ${err}`));
      });
    });
    // Which case this run exercised: a kill mid-push is the one this test is for.
    expect(outcome).toBe('killed');
    const partial = await docCount(couch.url, 'killed');
    expect(partial).toBeLessThan(total);

    const after = await Library.open({ dataDir: ana.dir, owner: 'test' });
    afterThisTest(() => after.close());
    // The share never finished, so it is shared again; PouchDB resumes from its last checkpoint.
    const report = await shareProject(after, ana.dir, { server: couch.url, db: 'killed' });
    expect(report.conflicts).toEqual([]);
    expect(report.pushed).toBeLessThan(total);
    expect(report.pushed).toBeGreaterThanOrEqual(total - partial);
    expect(await docCount(couch.url, 'killed')).toBe(total);
    const ben = await emptyLibrary();
    const joined = await joinProject(ben.library, ben.dir, { server: couch.url, db: 'killed' });
    expect(joined.conflicts).toEqual([]);
    expect(await highlightsOf(ben.library)).toEqual(await highlightsOf(after));
  }, 180_000);

  it('coders whose clocks disagree by days still converge, and no edit is lost to the skew', async () => {
    const couch = await startCouch();
    afterThisTest(couch.stop);
    const ana = await bigLibrary(20);
    await shareProject(ana.library, ana.dir, { server: couch.url, db: 'skew' });
    const days = 3 * 24 * 3600 * 1000;
    const ben = await emptyLibrary({ now: () => new Date(Date.now() + days) });
    await joinProject(ben.library, ben.dir, { server: couch.url, db: 'skew' });
    // Ben (clock ahead) edits first; Ana (clock right) edits another highlight later.
    await ben.library.updateHighlight({ documentId: 'doc', highlightId: 'h2', note: 'Ben, from the future' });
    await syncProject(ben.library, ben.dir, {});
    await ana.library.updateHighlight({ documentId: 'doc', highlightId: 'h3', note: 'Ana, on time' });
    await syncProject(ana.library, ana.dir, {});
    await syncProject(ben.library, ben.dir, {});
    const mine = await highlightsOf(ana.library);
    expect(await highlightsOf(ben.library)).toEqual(mine);
    expect(mine.find((h) => h.id === 'h2')?.note).toBe('Ben, from the future');
    expect(mine.find((h) => h.id === 'h3')?.note).toBe('Ana, on time');
  }, 60_000);
});
