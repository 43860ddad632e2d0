import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { Low } from 'lowdb';
import { DurableJsonFile, writeFileDurably } from '../src/core/store/durable-file';
import { Library } from '../src/core/library';
import { SCHEMA_VERSION, type DocumentFile } from '../src/core/stored-schema';
import { generate, random, toHighlights } from './generate';
import { compared, report, type BenchRow } from './report';

// Storage scale: saving a highlight must cost the same in a library of 1,000 documents as in a
// library of one, and little more than writing its document's bytes once with fsync. The naive
// design (one lowdb file holding everything) is measured beside it to show what it avoids.
// Every number is compared with a baseline measured in the same run.

const QUICK = process.env.BENCH_QUICK === '1';
const DOCS = QUICK ? 100 : 1_000;
const PER_DOC = 100;
const SAVES = QUICK ? 20 : 100;
const NAIVE_SAVES = QUICK ? 3 : 10;
const STARTS = QUICK ? 3 : 5;

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** A document of about 12 KB with PER_DOC highlights, different for each seed (so each has its own id). */
function makeDocument(seed: number): DocumentFile {
  const g = generate(12_000, PER_DOC, seed);
  const id = `doc${String(seed).padStart(5, '0')}`;
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: { id, title: `Document ${seed}`, titleSource: 'user', source: 'bench', added: '2026-01-01T00:00:00.000Z' },
    text: g.text,
    paragraphs: g.paragraphs,
    highlights: toHighlights(id, g),
  };
}

async function libraryWith(count: number): Promise<{ dir: string; ids: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'glossa-bench-storage-'));
  const library = await Library.open({ dataDir: dir, owner: 'bench' });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const doc = makeDocument(i + 1);
    await library.addDocument(doc);
    ids.push(doc.meta.id);
  }
  await library.close();
  return { dir, ids };
}

test('storage scale', async () => {
  const big = await libraryWith(DOCS);
  const small = await libraryWith(1);
  const naiveDir = await mkdtemp(join(tmpdir(), 'glossa-bench-naive-'));
  const rows: BenchRow[] = [];
  try {
    // Start-up: open the library and list it, as the app does before showing anything.
    const startTimes = { big: [] as number[], small: [] as number[] };
    for (let run = 0; run < STARTS; run++) {
      for (const [key, dir] of [
        ['big', big.dir],
        ['small', small.dir],
      ] as const) {
        const t0 = performance.now();
        const library = await Library.open({ dataDir: dir, owner: 'bench' });
        library.listDocuments();
        startTimes[key].push(performance.now() - t0);
        await library.close();
      }
    }

    // Save-a-highlight, alternating between the two libraries so both see the same machine load.
    const bigLib = await Library.open({ dataDir: big.dir, owner: 'bench' });
    const smallLib = await Library.open({ dataDir: small.dir, owner: 'bench' });
    const rnd = random(7);
    const saveTimes = { big: [] as number[], small: [] as number[], raw: [] as number[], durable: [] as number[] };
    const save = async (library: Library, documentId: string) => {
      const start = Math.floor(rnd() * 10_000);
      const t0 = performance.now();
      await library.createHighlight({ documentId, start, end: start + 20, tags: ['security'] });
      return performance.now() - t0;
    };
    // The document being worked on is open (read once when the reader opened it), in both libraries;
    // in the big one it sits among DOCS - 1 others.
    const working = big.ids[Math.floor(big.ids.length / 2)];
    await save(bigLib, working);
    await save(smallLib, small.ids[0]);
    const rawPath = join(small.dir, 'raw-write.json');
    for (let i = 0; i < SAVES; i++) {
      saveTimes.big.push(await save(bigLib, working));
      saveTimes.small.push(await save(smallLib, small.ids[0]));
      // The floor: the same document's bytes written once and fsynced, nothing else.
      const bytes = await readFile(join(small.dir, 'documents', `${small.ids[0]}.json`));
      const t0 = performance.now();
      const handle = await open(rawPath, 'w');
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
      saveTimes.raw.push(performance.now() - t0);
      // What crash safety adds to that: temp file, fsync, rename, directory fsync.
      const t1 = performance.now();
      await writeFileDurably(join(small.dir, 'durable-write.json'), bytes.toString('utf8'));
      saveTimes.durable.push(performance.now() - t1);
    }
    await bigLib.close();
    await smallLib.close();

    // The naive design: one lowdb file with every document, rewritten (durably) on every save.
    const everything = { documents: Array.from({ length: DOCS }, (_, i) => makeDocument(i + 1)) };
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

    const p50 = {
      big: percentile(saveTimes.big, 0.5),
      small: percentile(saveTimes.small, 0.5),
      raw: percentile(saveTimes.raw, 0.5),
    };
    const p95 = {
      big: percentile(saveTimes.big, 0.95),
      small: percentile(saveTimes.small, 0.95),
      raw: percentile(saveTimes.raw, 0.95),
    };
    const label = `${DOCS} documents / ${DOCS * PER_DOC} highlights`;
    const start = { big: percentile(startTimes.big, 0.5), small: percentile(startTimes.small, 0.5) };
    const naiveP50 = percentile(naiveTimes, 0.5);
    const durable = percentile(saveTimes.durable, 0.5);
    const one = '1-document library';
    const raw = "raw fsync'd write of the same bytes";
    rows.push(
      compared(`save a highlight p50, ${label}`, p50.big, one, p50.small, '≤ 1.2'),
      compared(`save a highlight p95, ${label}`, p95.big, one, p95.small, '≤ 1.2'),
      compared(`save a highlight p50, ${label}`, p50.big, raw, p50.raw, '≤ 2'),
      compared(`save a highlight p95, ${label}`, p95.big, raw, p95.raw, '≤ 2'),
      compared(
        'durable write alone (temp, fsync, rename, dir fsync) p50',
        durable,
        raw,
        p50.raw,
        'reported (the floor for a crash-safe save)',
      ),
      compared(
        `naive single-file lowdb save p50, ${label}`,
        naiveP50,
        'Glossa save p50 (same library)',
        p50.big,
        'reported (how much the per-document files save)',
      ),
      compared(`start-up (open + list), ${label}`, start.big, one, start.small, 'reported'),
    );
  } finally {
    await rm(big.dir, { recursive: true, force: true });
    await rm(small.dir, { recursive: true, force: true });
    await rm(naiveDir, { recursive: true, force: true });
  }
  await report(
    `Glossa storage benchmark (${QUICK ? 'quick' : 'full'}: ${DOCS} documents × ${PER_DOC} highlights, ${SAVES} saves)`,
    rows,
    'bench-storage-results.json',
  );
});
