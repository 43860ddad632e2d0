import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { Library } from '../src/core/library';
import { SCHEMA_VERSION, type DocumentFile } from '../src/core/stored-schema';
import { describeRange } from '../src/shared/anchoring';
import type { Highlight } from '../src/shared/types';
import { startCouch } from '../src/test-support/pouchdb-server';
import { generate, random } from './generate';
import { fromSamples, percentile, report, type BenchRow } from './report';

// Team projects (CouchDB replication through pouchdb-server on 127.0.0.1, LevelDB on disk), each
// measured as a researcher waits for it, against a baseline measured in the same run, interleaved:
//
// - Joining a project of DOCS documents and DOCS × PER_DOC highlights, until the new library is
//   usable, against fetching the same bytes (the size of the project's `_all_docs` with every
//   document) in one plain HTTP response over loopback: the floor of moving that data at all.
// - One highlight reaching the other coder's library with both apps running as shipped (a change
//   goes out 1.5 s after it is made; the other side looks for news every 3 s), and the same with
//   a sync asked for on each side at once (the engine's own cost), against a raw HTTP round trip
//   to the same server. p50 and p95.
// - Agreement between two coders over DOCS documents (target < 1 s) against reading and parsing
//   every document file, the least any measure over the whole library pays.

const QUICK = process.env.BENCH_QUICK === '1';
const DOCS = QUICK ? 50 : 1_000;
const PER_DOC = QUICK ? 20 : 100;
const SAMPLES = QUICK ? 3 : 5;
const TRIPS = QUICK ? 5 : 20;

function makeDocument(seed: number, coders: string[]): DocumentFile {
  const g = generate(6_000, PER_DOC, seed);
  const id = `doc${String(seed).padStart(5, '0')}`;
  const rnd = random(seed + 7);
  const tags = ['security', 'diplomacy', 'drugs'];
  const highlights: Highlight[] = g.ranges.slice(0, PER_DOC).map((r, i) => ({
    id: `h${i}`,
    documentId: id,
    tags: [tags[Math.floor(rnd() * 3)]],
    note: '',
    coder: coders[i % coders.length],
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
    target: describeRange(g.text, r.start, r.end),
  }));
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: { id, title: `Document ${seed}`, titleSource: 'user', source: 'bench', added: '2026-01-01T00:00:00.000Z' },
    text: g.text,
    paragraphs: g.paragraphs,
    highlights,
  };
}

async function libraryOf(dir: string, coders: string[]): Promise<Library> {
  const library = await Library.open({ dataDir: dir, owner: 'bench' });
  for (let at = 0; at < DOCS; at += 250) {
    const docs = Array.from({ length: Math.min(250, DOCS - at) }, (_, k) => makeDocument(at + k, coders));
    await library.mergeImport({
      tags: [],
      documents: docs.map((d) => ({ documentId: d.meta.id, highlights: d.highlights, add: { ...d, highlights: [] } })),
    });
  }
  return library;
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

/** A loopback HTTP server answering every GET with `bytes` bytes: the floor for moving them. */
async function blobServer(bytes: number): Promise<{ url: string; close: () => Promise<void> }> {
  const body = Buffer.alloc(bytes, 0x61);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function fetchAll(url: string): Promise<number> {
  return (await (await fetch(url)).arrayBuffer()).byteLength;
}

test('team projects: join, a highlight reaching the other coder, agreement', async () => {
  const couch = await startCouch();
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'glossa-sync-bench-'));
    dirs.push(dir);
    return dir;
  };
  const rows: BenchRow[] = [];
  try {
    // The project: shared once (not measured here: a share happens once per project).
    const leadDir = await tempDir();
    const lead = await libraryOf(leadDir, ['Ana', 'Ben']);
    await lead.shareProject({ server: couch.url, db: 'bench' });
    const projectBytes = await fetchAll(`${couch.url}/bench/_all_docs?include_docs=true`);
    const blob = await blobServer(projectBytes);

    // 1. Join, interleaved with the same bytes over plain HTTP.
    const joins: number[] = [];
    const copies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const dir = await tempDir();
      const joiner = await Library.open({ dataDir: dir, owner: 'bench' });
      joins.push(await timed(() => joiner.joinProject({ server: couch.url, db: 'bench' })));
      await joiner.close();
      await rm(dir, { recursive: true, force: true });
      copies.push(await timed(() => fetchAll(blob.url)));
    }
    await blob.close();
    rows.push(
      fromSamples(
        `join a project of ${DOCS} documents and ${DOCS * PER_DOC} highlights (until the library is usable)`,
        joins,
        `the same ${(projectBytes / 1e6).toFixed(1)} MB in one HTTP response on loopback`,
        copies,
        'report',
      ),
    );

    // 2. One highlight from Ana's library to Ben's.
    const anaDir = await tempDir();
    const ana = await Library.open({ dataDir: anaDir, owner: 'bench' });
    await ana.joinProject({ server: couch.url, db: 'bench' });
    await ana.setCoder({ coder: 'Ana' });
    const benDir = await tempDir();
    const ben = await Library.open({ dataDir: benDir, owner: 'bench' });
    await ben.joinProject({ server: couch.url, db: 'bench' });
    const documentId = 'doc00000';
    const { text } = await ana.getDocument(documentId);
    const rnd = random(99);
    const mark = async () => {
      const start = Math.floor(rnd() * (text.length - 200));
      const doc = await ana.getDocument(documentId);
      return ana.createHighlight({
        documentId,
        revision: doc.revision,
        start,
        end: start + 40,
        quote: text.slice(start, start + 40),
        tags: ['security'],
      });
    };
    const arrives = async (id: string) => {
      const t0 = performance.now();
      while (!(await ben.getDocument(documentId)).highlights.some((h) => h.id === id)) {
        await new Promise((r) => setTimeout(r, 10));
      }
      return performance.now() - t0;
    };
    const roundTrips: number[] = [];
    const asked: number[] = [];
    for (let i = 0; i < TRIPS; i++) {
      const h = await mark();
      asked.push(
        await timed(async () => {
          await ana.syncProject({});
          await ben.syncProject({});
        }),
      );
      if (!(await ben.getDocument(documentId)).highlights.some((x) => x.id === h.id)) throw new Error('not synced');
      roundTrips.push(await timed(() => fetchAll(`${couch.url}/`)));
    }
    ana.projectSync.start();
    ben.projectSync.start();
    const live: number[] = [];
    const liveTrips: number[] = [];
    for (let i = 0; i < TRIPS; i++) {
      const t0 = performance.now();
      const h = await mark();
      await arrives(h.id);
      live.push(performance.now() - t0);
      liveTrips.push(await timed(() => fetchAll(`${couch.url}/`)));
    }
    for (const p of [0.5, 0.95] as const) {
      const label = p === 0.5 ? 'p50' : 'p95';
      rows.push(
        fromSamples(
          `a highlight reaches the other coder, apps running as shipped (${label})`,
          live,
          `a raw HTTP round trip to the same server (${label})`,
          liveTrips,
          'report (the loop waits 1.5 s after a change and looks for news every 3 s)',
          p,
        ),
        fromSamples(
          `a highlight reaches the other coder, sync asked for on both sides (${label})`,
          asked,
          `a raw HTTP round trip to the same server (${label})`,
          roundTrips,
          'report',
          p,
        ),
      );
    }
    await ana.close();
    await ben.close();

    // 3. Agreement between two coders over every document, in a library just opened (the first
    // measure of a session reads every document), against reading and parsing them all.
    await lead.close();
    const agreement: number[] = [];
    const scans: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const library = await Library.open({ dataDir: leadDir, owner: 'bench' });
      agreement.push(await timed(() => library.getAgreement({ coders: ['Ana', 'Ben'] })));
      await library.close();
      scans.push(
        await timed(async () => {
          const folder = join(leadDir, 'documents');
          for (const name of (await readdir(folder)).filter((n) => n.endsWith('.json'))) {
            JSON.parse(await readFile(join(folder, name), 'utf8'));
          }
        }),
      );
    }
    rows.push(
      fromSamples(
        `agreement of 2 coders over ${DOCS} documents (${DOCS * PER_DOC} highlights)`,
        agreement,
        'read and parse every document file',
        scans,
        '< 1000 ms',
      ),
    );
    console.log(`round trip p50 ${percentile(roundTrips, 0.5).toFixed(2)} ms`);
  } finally {
    await couch.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
  await report(
    `Glossa team-project benchmark (${QUICK ? 'quick' : 'full'}: ${DOCS} documents, ${DOCS * PER_DOC} highlights)`,
    rows,
    'bench-sync-results.json',
  );
});

// Where a document's text lives in CouchDB: a field of its JSON document (what Glossa does) or an
// attachment. Both arms replicate the same 1 MB text from a local replica to pouchdb-server and
// into a fresh replica (a share, then a join), then the same after a change to the document's
// title only (an attachment is not sent again when the document changes; a field is).
test('team projects: a document text inline or as an attachment', async () => {
  const { default: PouchDB } = await import('pouchdb');
  const couch = await startCouch();
  const dirs: string[] = [];
  const BYTES = QUICK ? 100_000 : 1_000_000;
  const text = generate(BYTES, 0, 5).text;
  const rows: BenchRow[] = [];
  try {
    const arm = async (kind: 'inline' | 'attachment', round: number) => {
      const dir = await mkdtemp(join(tmpdir(), 'glossa-text-bench-'));
      dirs.push(dir);
      const local = new PouchDB(join(dir, 'a'));
      const remote = new PouchDB(`${couch.url}/text-${kind}-${round}`);
      const other = new PouchDB(join(dir, 'b'));
      const doc: Record<string, unknown> =
        kind === 'inline'
          ? { _id: 'document:d', type: 'document', title: 'One', text }
          : {
              _id: 'document:d',
              type: 'document',
              title: 'One',
              _attachments: {
                text: { content_type: 'text/plain', data: Buffer.from(text).toString('base64') },
              },
            };
      const first = await local.put(doc);
      const share = await timed(async () => {
        await local.replicate.to(remote);
        await other.replicate.from(remote);
      });
      const current = await local.get('document:d');
      await local.put({ ...current, _rev: first.rev, title: 'Two' });
      const again = await timed(async () => {
        await local.replicate.to(remote);
        await other.replicate.from(remote);
      });
      await Promise.all([local.close(), remote.close(), other.close()]);
      return [share, again];
    };
    const inline: number[][] = [];
    const attached: number[][] = [];
    for (let i = 0; i < SAMPLES; i++) {
      inline.push(await arm('inline', i));
      attached.push(await arm('attachment', i));
    }
    const mb = (BYTES / 1e6).toFixed(1);
    rows.push(
      fromSamples(
        `${mb} MB text as a field: share and join (replicated out and in)`,
        inline.map((x) => x[0]),
        'the same text as an attachment',
        attached.map((x) => x[0]),
        'report',
      ),
      fromSamples(
        `${mb} MB text as a field: after a title change, replicated out and in again`,
        inline.map((x) => x[1]),
        'the same text as an attachment',
        attached.map((x) => x[1]),
        'report',
      ),
    );
  } finally {
    await couch.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
  await report(
    `Glossa team-project text storage (${QUICK ? 'quick' : 'full'}: ${BYTES} characters)`,
    rows,
    'bench-sync-text-results.json',
  );
});
