import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { freshLibrary, reopenLibrary } from '../test-support/temp-library';
import { addHighlight } from '../test-support/at-revision';
import { GlossaError } from '../shared/errors';
import { Library } from './library';
import { exportAs } from './export';
import { acquireLock, LOCK_FILE } from './store/lock';

const fresh = freshLibrary;
const reopen = reopenLibrary;

describe('revisions: a change made on text this client has not seen', () => {
  it('is found again by its words when the text changed elsewhere (two tabs)', async () => {
    const { library, seedId } = await fresh();
    // Tab A reads the document; tab B then inserts words at the start of the paragraph.
    const seenByA = await library.getDocument(seedId);
    const p = seenByA.paragraphs.find((x) => seenByA.text.slice(x.start, x.end).includes('Andrei Serenko'))!;
    const n = p.n;
    const at = seenByA.text.indexOf('Andrei Serenko');
    await library.editParagraph({
      documentId: seedId,
      revision: seenByA.revision,
      n,
      text: `Some words inserted first. ${seenByA.text.slice(p.start, p.end)}`,
    });
    // Tab A, not reloaded, tags what it shows at its old offsets.
    const h = await library.createHighlight({
      documentId: seedId,
      revision: seenByA.revision,
      start: at,
      end: at + 'Andrei Serenko'.length,
      quote: 'Andrei Serenko',
      prefix: seenByA.text.slice(at - 32, at),
      suffix: seenByA.text.slice(at + 14, at + 46),
      tags: ['security'],
    });
    expect(h.target.quote.exact).toBe('Andrei Serenko');
    const now = await library.getDocument(seedId);
    expect(now.text.slice(h.target.position.start, h.target.position.end)).toBe('Andrei Serenko');
  });

  it('is refused with CONFLICT, changing nothing, when the words are gone', async () => {
    const { library, seedId } = await fresh();
    const seen = await library.getDocument(seedId);
    const p = seen.paragraphs[3];
    await library.editParagraph({ documentId: seedId, revision: seen.revision, n: p.n, text: 'Entirely new words.' });
    const quote = seen.text.slice(p.start, p.start + 20);
    const attempt = library.createHighlight({
      documentId: seedId,
      revision: seen.revision,
      start: p.start,
      end: p.start + 20,
      quote,
      tags: ['drugs'],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await library.getDocument(seedId)).highlights).toEqual([]);
  });

  it('is refused when the words sent are not the stored text at that place (a changed screen)', async () => {
    const { library, seedId } = await fresh();
    const seen = await library.getDocument(seedId);
    const attempt = library.createHighlight({
      documentId: seedId,
      revision: seen.revision,
      start: 0,
      end: 12,
      quote: 'thused than ',
      tags: ['drugs'],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a paragraph edit made on an older revision, which would undo the other edit', async () => {
    const { library, seedId } = await fresh();
    const seen = await library.getDocument(seedId);
    await library.editParagraph({ documentId: seedId, revision: seen.revision, n: 2, text: 'First edit.' });
    await expect(
      library.editParagraph({ documentId: seedId, revision: seen.revision, n: 2, text: 'Second edit.' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const now = await library.getDocument(seedId);
    expect(now.text.slice(now.paragraphs[1].start, now.paragraphs[1].end)).toBe('First edit.');
  });

  it('counts every change, and tells listeners what changed', async () => {
    const { library, seedId } = await fresh();
    const events: unknown[] = [];
    library.subscribe((e) => events.push(e));
    const h = await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['drugs'] });
    await library.deleteHighlight(seedId, h.id);
    expect((await library.getDocument(seedId)).revision).toBe(2);
    expect(events).toEqual([
      expect.objectContaining({ documentId: seedId, revision: 1, put: [h] }),
      expect.objectContaining({ documentId: seedId, revision: 2, del: [h.id] }),
    ]);
  });
});

describe('read-your-writes', () => {
  it('every read sees every write acknowledged before it, with no waits (property)', async () => {
    const { library, seedId } = await fresh();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('trash', 'restore', 'tag'), { minLength: 1, maxLength: 8 }),
        async (ops) => {
          let trashed = (await library.listDocuments({ trashed: true })).length > 0;
          let count = (await library.getDocument(seedId)).highlights.length;
          const pending: Promise<unknown>[] = [];
          for (const op of ops) {
            // Not awaited: the read is issued right after the write, as a hurried client would.
            if (op === 'trash' && !trashed) {
              pending.push(library.setTrashed(seedId, true));
              trashed = true;
            } else if (op === 'restore' && trashed) {
              pending.push(library.setTrashed(seedId, false));
              trashed = false;
            } else if (op === 'tag') {
              const seen = await library.getDocument(seedId);
              const start = 10 * (count + 1);
              pending.push(
                library.createHighlight({
                  documentId: seedId,
                  revision: seen.revision,
                  start,
                  end: start + 5,
                  quote: seen.text.slice(start, start + 5),
                  tags: ['security'],
                }),
              );
              count++;
            }
            const [listed, inTrash, doc] = await Promise.all([
              library.listDocuments(),
              library.listDocuments({ trashed: true }),
              library.getDocument(seedId),
            ]);
            expect(inTrash.some((d) => d.id === seedId)).toBe(trashed);
            expect(listed.some((d) => d.id === seedId)).toBe(!trashed);
            expect(doc.highlights.length).toBe(count);
          }
          await Promise.all(pending);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('disk is data, not trusted code', () => {
  it('never treats an id from library.json as a path: a climbing id sets the index aside', async () => {
    const { library, dir, seedId } = await fresh();
    await library.close();
    const victimDir = await mkdtemp(join(tmpdir(), 'glossa-victim-'));
    afterThisTest(() => rm(victimDir, { recursive: true, force: true }));
    await writeFile(join(victimDir, 'x.json'), '{"precious":true}');
    const index = JSON.parse(await readFile(join(dir, 'library.json'), 'utf8'));
    const evilId = `../../../../../../..${victimDir}/x`;
    index.documents.push({ ...index.documents[0], id: evilId, trashed: '2026-01-01T00:00:00.000Z' });
    await writeFile(join(dir, 'library.json'), JSON.stringify(index));
    const again = await reopen(dir);
    await again.emptyTrash();
    expect(await readFile(join(victimDir, 'x.json'), 'utf8')).toBe('{"precious":true}');
    expect((await again.listDocuments()).map((d) => d.id)).toEqual([seedId]);
    expect((await readdir(dir)).some((n) => n.startsWith('library.json.corrupt-'))).toBe(true);
    expect(again.notices.map((n) => n.message).join()).toMatch(/library\.json could not be read/);
  });

  it('rebuilds a lost index with every tag the documents use', async () => {
    const { library, dir, seedId } = await fresh();
    await library.mergeImport({
      tags: [{ id: 'corruption', name: 'Corruption', color: '#aa3377' }],
      documents: [],
    });
    await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['corruption'] });
    await library.close();
    await rm(join(dir, 'library.json'));
    const again = await reopen(dir);
    expect((await again.getCodebook()).tags.map((t) => t.id)).toContain('corruption');
    const [doc] = await again.listDocuments();
    expect(doc.tagCounts).toEqual({ corruption: 1 });
  });

  it('keeps unknown fields of library.json through a write', async () => {
    const { library, dir, seedId } = await fresh();
    await library.close();
    const index = JSON.parse(await readFile(join(dir, 'library.json'), 'utf8'));
    index.addedByANewerGlossa = { projects: ['x'] };
    await writeFile(join(dir, 'library.json'), JSON.stringify(index));
    const again = await reopen(dir);
    await again.updateDocument({ documentId: seedId, title: 'Renamed' });
    await again.close();
    expect(JSON.parse(await readFile(join(dir, 'library.json'), 'utf8')).addedByANewerGlossa).toEqual({
      projects: ['x'],
    });
  });

  it('removes temp files that dead writers left behind, and nothing else', async () => {
    const { library, dir, seedId } = await fresh();
    await library.close();
    await writeFile(join(dir, 'documents', `.${seedId}.json.999.abcd.tmp`), 'half a write');
    await writeFile(join(dir, '.library.json.999.abcd.tmp'), 'half');
    await writeFile(join(dir, 'documents', 'notes.txt'), 'mine');
    await reopen(dir);
    expect((await readdir(join(dir, 'documents'))).sort()).toEqual([`${seedId}.json`, 'notes.txt']);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the lock', () => {
  it('is taken over by exactly one of several processes starting after a crash (150 trials)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'glossa-lock-'));
    afterThisTest(() => rm(dir, { recursive: true, force: true }));
    // A pid no process has: the lock of a Glossa that crashed.
    const dead = JSON.stringify({
      pid: 2 ** 22 + 12345,
      host: (await import('node:os')).hostname(),
      owner: 'crashed',
      since: 'x',
    });
    for (let trial = 0; trial < 150; trial++) {
      await writeFile(join(dir, LOCK_FILE), dead);
      const results = await Promise.allSettled([0, 1, 2, 3].map((i) => acquireLock(dir, `starter ${i}`)));
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(GlossaError);
      await (winners[0] as PromiseFulfilledResult<() => Promise<void>>).value();
      await expect(readFile(join(dir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('is taken over even when a process died inside the takeover itself (its mutex left behind)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'glossa-lock-'));
    afterThisTest(() => rm(dir, { recursive: true, force: true }));
    const host = (await import('node:os')).hostname();
    const deadPid = 2 ** 22 + 12345;
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host, owner: 'crashed', since: 'x' }));
    // Killed between taking the mutex and replacing the lock: the mutex names the dead process.
    await mkdir(join(dir, 'glossa.lock.takeover'));
    await writeFile(join(dir, 'glossa.lock.takeover', 'holder'), `${deadPid} ${host}`);
    const release = await acquireLock(dir, 'next start');
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).owner).toBe('next start');
    await release();
    // Killed between mkdir and writing its name: cleared once it is old enough, within the wait.
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host, owner: 'crashed', since: 'x' }));
    await mkdir(join(dir, 'glossa.lock.takeover'));
    const old = new Date(Date.now() - 60_000);
    await utimes(join(dir, 'glossa.lock.takeover'), old, old);
    await (
      await acquireLock(dir, 'again')
    )();
  });

  it('leaves no empty lock behind when it cannot be written (full disk; needs root to mount a tmpfs)', async (ctx) => {
    const mount = await tinyMount('16k');
    if (!mount) return ctx.skip();
    await writeFile(join(mount, 'filler'), Buffer.alloc(16 * 1024)).catch(() => undefined);
    await expect(acquireLock(mount, 'test')).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readdir(mount)).not.toContain(LOCK_FILE);
  });
});

/**
 * A small tmpfs of its own (root only, as on the project's machines and CI): the real kernel's
 * ENOSPC and EROFS, not imitations. Null, with the reason printed, where mounting is not allowed.
 */
async function tinyMount(size: string): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'glossa-mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    console.warn(`skipping a disk-fault check: cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`);
    await rm(dir, { recursive: true, force: true });
    return null;
  }
  afterThisTest(async () => {
    execFileSync('umount', ['-l', dir]);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

describe('a disk that takes no writes', () => {
  it('a full disk: the library opens for reading, and a change says why it failed (needs root to mount a tmpfs)', async (ctx) => {
    const { library, dir } = await fresh();
    await library.close();
    const mount = await tinyMount('1m');
    if (!mount) return ctx.skip();
    execFileSync('cp', ['-a', `${dir}/.`, mount]);
    await writeFile(join(mount, 'filler'), Buffer.alloc(1024 * 1024)).catch(() => undefined);
    const full = await Library.open({ dataDir: mount, owner: 'test' });
    afterThisTest(() => full.close());
    const [doc] = await full.listDocuments();
    expect(doc).toBeDefined();
    expect(full.notices.map((n) => n.message).join()).toMatch(/reading only: the disk is full/);
    await expect(full.updateDocument({ documentId: doc.id, title: 'x' })).rejects.toMatchObject({
      code: 'READ_ONLY',
      message: expect.stringMatching(/disk is full.*nothing was changed/),
    });
    expect(await readdir(mount)).not.toContain(LOCK_FILE);
  });

  it('a read-only disk: reading and exporting work, changes are refused clearly (needs root to mount a tmpfs)', async (ctx) => {
    const { library, dir, seedId } = await fresh();
    await addHighlight(library, { documentId: seedId, start: 0, end: 10, tags: ['drugs'] });
    await library.close();
    const mount = await tinyMount('4m');
    if (!mount) return ctx.skip();
    execFileSync('cp', ['-a', `${dir}/.`, mount]);
    execFileSync('mount', ['-o', 'remount,ro', mount]);
    const ro = await Library.open({ dataDir: mount, owner: 'test' });
    afterThisTest(() => ro.close());
    const stored = await ro.getDocument(seedId);
    expect(stored.highlights).toHaveLength(1);
    const exported = await exportAs(ro, {}, 'md');
    expect(exported.content).toContain(`> ${stored.highlights[0].target.quote.exact}`);
    await expect(addHighlight(ro, { documentId: seedId, start: 20, end: 30, tags: ['drugs'] })).rejects.toMatchObject({
      code: 'READ_ONLY',
      message: expect.stringMatching(/read-only/),
    });
  });
});
