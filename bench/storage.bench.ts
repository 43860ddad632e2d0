import { mkdtemp, open, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { Low } from 'lowdb';
import { DurableJsonFile } from '../src/core/store/durable-file';
import { Library } from '../src/core/library';
import { SCHEMA_VERSION, type DocumentFile } from '../src/core/stored-schema';
import { generate, random, toHighlights } from './generate';
import { compared, fromSamples, percentile, report, type BenchRow } from './report';

// Saving a highlight appends one line to its document's operation log and fsyncs it. The floor
// for that is a raw append of the same bytes to an open file with the same fsync, so each save is
// compared with exactly that, measured right after it (the arms interleave, so both see the same
// disk and load). The cost must not grow with the document (1k vs 10k vs 50k highlights) nor with
// the library (1 document vs 1,000). The naive design — one lowdb file holding everything — is
// measured beside it to show what the design avoids.

const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = QUICK ? [1_000, 5_000] : [1_000, 10_000, 50_000];
const DOCS = QUICK ? 100 : 1_000;
const PER_DOC = 100;
const SAVES = QUICK ? 30 : 300;
const NAIVE_SAVES = QUICK ? 3 : 10;
const STARTS = QUICK ? 3 : 5;

/** A document of `bytes` characters with `count` highlights, different for each seed. */
function makeDocument(seed: number, bytes: number, count: number): DocumentFile {
  const g = generate(bytes, count, seed);
  const id = `doc${String(seed).padStart(5, '0')}`;
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: { id, title: `Document ${seed}`, titleSource: 'user', source: 'bench', added: '2026-01-01T00:00:00.000Z' },
    text: g.text,
    paragraphs: g.paragraphs,
    highlights: toHighlights(id, g),
  };
}

async function libraryWith(docs: DocumentFile[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'glossa-bench-storage-'));
  const library = await Library.open({ dataDir: dir, owner: 'bench' });
  for (const doc of docs) await library.addDocument(doc);
  await library.close();
  return dir;
}

/** One save as the reader makes it: a passage of the current revision, named by its words. */
async function saveOne(library: Library, documentId: string, rnd: () => number, text: string, revision: number) {
  let start = Math.floor(rnd() * (text.length - 40));
  while (!text.slice(start, start + 20).trim()) start = (start + 7) % (text.length - 40);
  const t0 = performance.now();
  await library.createHighlight({
    documentId,
    revision,
    start,
    end: start + 20,
    quote: text.slice(start, start + 20),
    tags: ['security'],
  });
  return performance.now() - t0;
}

/** The last line of a document's log: the bytes a save appended. */
async function lastLogLine(dir: string, id: string): Promise<Buffer> {
  const log = await readFile(join(dir, 'documents', `${id}.log`));
  return log.subarray(log.subarray(0, -1).lastIndexOf(0x0a) + 1);
}

/** The floor: the same bytes appended to an open file and fsynced (fdatasync, as the log does). */
async function rawAppend(handle: FileHandle, bytes: Buffer): Promise<number> {
  const t0 = performance.now();
  await handle.write(bytes);
  await handle.datasync();
  return performance.now() - t0;
}

interface Arm {
  glossa: number[];
  raw: number[];
}

/** SAVES saves into one document, each followed by a raw append of the same bytes. */
async function measureSaves(dir: string, documentId: string, seed: number): Promise<Arm> {
  const library = await Library.open({ dataDir: dir, owner: 'bench' });
  const rawFile = await open(join(dir, 'raw-append.log'), 'a');
  const rnd = random(seed);
  const arm: Arm = { glossa: [], raw: [] };
  try {
    let view = await library.getDocument(documentId);
    // One save first, outside the timing: the reader has the document open before anyone tags.
    await saveOne(library, documentId, rnd, view.text, view.revision);
    for (let i = 0; i < SAVES; i++) {
      view = { ...view, revision: view.revision + 1 };
      arm.glossa.push(await saveOne(library, documentId, rnd, view.text, view.revision));
      arm.raw.push(await rawAppend(rawFile, await lastLogLine(dir, documentId)));
    }
  } finally {
    await rawFile.close();
    await library.close();
  }
  return arm;
}

test('storage scale', async () => {
  const rows: BenchRow[] = [];
  const dirs: string[] = [];
  const raw = "raw fsync'd append of the same bytes (same run, interleaved)";
  try {
    // One document of growing size.
    const bySize = new Map<number, Arm>();
    for (const [i, size] of SIZES.entries()) {
      const doc = makeDocument(100 + i, Math.max(200_000, size * 20), size);
      const dir = await libraryWith([doc]);
      dirs.push(dir);
      const arm = await measureSaves(dir, doc.meta.id, 7 + i);
      bySize.set(size, arm);
      const label = `save a highlight, 1 document with ${size.toLocaleString('en')} highlights`;
      rows.push(
        fromSamples(`${label}, p50`, arm.glossa, raw, arm.raw, '≤ 2', 0.5),
        fromSamples(`${label}, p95`, arm.glossa, raw, arm.raw, '≤ 2', 0.95),
      );
    }
    const smallest = bySize.get(SIZES[0])!;
    const largest = bySize.get(SIZES.at(-1)!)!;
    const vs = `the same save at ${SIZES[0].toLocaleString('en')} highlights`;
    rows.push(
      fromSamples(
        `save p50 at ${SIZES.at(-1)!.toLocaleString('en')} highlights`,
        largest.glossa,
        vs,
        smallest.glossa,
        '≤ 1.2',
        0.5,
      ),
      fromSamples(
        `save p95 at ${SIZES.at(-1)!.toLocaleString('en')} highlights`,
        largest.glossa,
        vs,
        smallest.glossa,
        '≤ 1.2',
        0.95,
      ),
    );

    // A library of many documents, against a library of one.
    const docs = Array.from({ length: DOCS }, (_, i) => makeDocument(i + 1, 12_000, PER_DOC));
    const big = await libraryWith(docs);
    const small = await libraryWith([docs[0]]);
    dirs.push(big, small);
    const working = docs[Math.floor(DOCS / 2)].meta.id;
    const inBig = await measureSaves(big, working, 11);
    const inSmall = await measureSaves(small, docs[0].meta.id, 11);
    const label = `save a highlight, ${DOCS.toLocaleString('en')} documents / ${(DOCS * PER_DOC).toLocaleString('en')} highlights`;
    rows.push(
      fromSamples(`${label}, p50`, inBig.glossa, raw, inBig.raw, '≤ 2', 0.5),
      fromSamples(`${label}, p95`, inBig.glossa, raw, inBig.raw, '≤ 2', 0.95),
      fromSamples(`${label}, p50`, inBig.glossa, '1-document library', inSmall.glossa, '≤ 1.2', 0.5),
      fromSamples(`${label}, p95`, inBig.glossa, '1-document library', inSmall.glossa, '≤ 1.2', 0.95),
    );

    // Folding the log into the snapshot (on open, every 2,000 saves, when idle): a whole-file
    // write, off the save path, reported against the raw append it replaces on each save.
    const largestDir = dirs[SIZES.length - 1];
    const logBefore = await stat(
      join(largestDir, 'documents', `doc${String(100 + SIZES.length - 1).padStart(5, '0')}.json`),
    );
    const compactions: number[] = [];
    for (let run = 0; run < STARTS; run++) {
      const library = await Library.open({ dataDir: largestDir, owner: 'bench' });
      const id = `doc${String(100 + SIZES.length - 1).padStart(5, '0')}`;
      const view = await library.getDocument(id);
      await saveOne(library, id, random(run), view.text, view.revision);
      const t0 = performance.now();
      await library.close(); // folds the log
      compactions.push(performance.now() - t0);
    }
    rows.push({
      ...compared(
        `fold the log into the snapshot (close), ${SIZES.at(-1)!.toLocaleString('en')} highlights, ${(logBefore.size / 1e6).toFixed(1)} MB`,
        percentile(compactions, 0.5),
        'raw append p50 (a save)',
        percentile(largest.raw, 0.5),
        'reported (not on the save path)',
      ),
      samples: STARTS,
      min_ms: Math.min(...compactions),
      max_ms: Math.max(...compactions),
    });

    // Start-up of the big library against the small one, interleaved.
    const startTimes = { big: [] as number[], small: [] as number[] };
    for (let run = 0; run < STARTS; run++) {
      for (const [key, dir] of [
        ['big', big],
        ['small', small],
      ] as const) {
        const t0 = performance.now();
        const library = await Library.open({ dataDir: dir, owner: 'bench' });
        await library.listDocuments();
        startTimes[key].push(performance.now() - t0);
        await library.close();
      }
    }
    rows.push(
      fromSamples(
        `start-up (open + list), ${DOCS} documents`,
        startTimes.big,
        '1-document library',
        startTimes.small,
        'reported',
      ),
    );

    // The naive design: one lowdb file with every document, rewritten (durably) on every save.
    const naiveDir = await mkdtemp(join(tmpdir(), 'glossa-bench-naive-'));
    dirs.push(naiveDir);
    const everything = { documents: docs };
    await writeFile(join(naiveDir, 'db.json'), JSON.stringify(everything));
    const naive = new Low(new DurableJsonFile(join(naiveDir, 'db.json'), (d) => d as typeof everything), everything);
    await naive.read();
    const naiveTimes: number[] = [];
    for (let i = 0; i < NAIVE_SAVES; i++) {
      const doc = naive.data.documents[i % DOCS];
      const t0 = performance.now();
      doc.highlights.push({ ...doc.highlights[0], id: `naive${i}` });
      await naive.write();
      naiveTimes.push(performance.now() - t0);
    }
    rows.push({
      ...compared(
        `naive single-file lowdb save p50, ${DOCS} documents`,
        percentile(naiveTimes, 0.5),
        'Glossa save p50 (same library)',
        percentile(inBig.glossa, 0.5),
        'reported (what the per-document log avoids)',
      ),
      samples: NAIVE_SAVES,
      min_ms: Math.min(...naiveTimes),
      max_ms: Math.max(...naiveTimes),
    });
  } finally {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
  await report(
    `Glossa storage benchmark (${QUICK ? 'quick' : 'full'}: ${SAVES} saves per arm)`,
    rows,
    'bench-storage-results.json',
  );
});
