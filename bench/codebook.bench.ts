import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { Library } from '../src/core/library';
import { CODING_INDEX_FILE } from '../src/core/coding-index';
import { SCHEMA_VERSION, type DocumentFile } from '../src/core/stored-schema';
import { describeRange } from '../src/shared/anchoring';
import type { Highlight, Passage, Tag } from '../src/shared/types';
import { generate, random } from './generate';
import { fromSamples, report, type BenchRow } from './report';

// The codebook's operations on a big library: 1,000 documents with 100 highlights each (100,000)
// and a codebook of 500 codes. Each is measured as a program calling the library waits for it
// (the contract's work, durable on disk), against a plain scan of every document file measured
// in the same run, arms interleaved:
//
// - "read every document file": the bytes of each document read from disk, nothing else — the
//   least any design that looks into every document must pay, and what a rename must not.
// - "read and parse every document file": the same plus JSON.parse — the least a query or a
//   matrix pays without an index of its own.
//
// The targets are the absolute ones (a rename < 50 ms, a merge across 1,000 documents
// < 2 s, a query or matrix < 300 ms); the ratios show where each stands against the scan.

const QUICK = process.env.BENCH_QUICK === '1';
const DOCS = QUICK ? 100 : 1_000;
const PER_DOC = 100;
const CODES = 500;
const SAMPLES = QUICK ? 3 : 5;

/** Codes: `everywhere` (on a highlight in every document), `merge-a` and `merge-b`, then the rest. */
function codebook(): Tag[] {
  const tags: Tag[] = [
    { id: 'everywhere', name: 'Everywhere', color: '#e0524a' },
    { id: 'merge-a', name: 'Merge A', color: '#3f7fd0' },
    { id: 'merge-b', name: 'Merge B', color: '#3a9d5d' },
  ];
  for (let i = tags.length; i < CODES; i++) tags.push({ id: `code-${i}`, name: `Code ${i}`, color: '#6b7a8f' });
  return tags;
}

function makeDocument(seed: number, tags: Tag[]): DocumentFile {
  const g = generate(6_000, PER_DOC, seed);
  const id = `doc${String(seed).padStart(5, '0')}`;
  const rnd = random(seed + 1);
  // A skewed choice: the first 50 codes carry most highlights, as a real codebook's core does.
  const pick = () => tags[3 + Math.floor(rnd() ** 2 * (tags.length - 3))].id;
  const highlights: Highlight[] = g.ranges.slice(0, PER_DOC).map((r, i) => ({
    id: `h${i}`,
    documentId: id,
    tags: [
      ...new Set([
        i === 0 ? 'everywhere' : i === 1 ? 'merge-a' : i === 2 ? 'merge-b' : pick(),
        ...(i % 3 === 0 ? [pick()] : []),
        ...(i === 1 ? ['merge-b'] : []),
      ]),
    ],
    note: '',
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

/** Opens the library (without its coding index, if asked) and times its first query. */
async function firstQuery(dir: string, withoutIndex = false): Promise<[number, number]> {
  if (withoutIndex) await rm(join(dir, CODING_INDEX_FILE), { force: true });
  const library = await Library.open({ dataDir: dir, owner: 'bench' });
  try {
    const [ms, page] = await timed(() => library.queryPassages({ query: 'everywhere', limit: 1 }));
    return [ms, page.total];
  } finally {
    await library.close();
  }
}

/** Every page of a query's passages, as `glossa passages` reads them. */
async function allPassages(library: Library, query: string): Promise<Passage[]> {
  const out: Passage[] = [];
  for (;;) {
    const page = await library.queryPassages({ query, offset: out.length, limit: 5_000 });
    out.push(...page.passages);
    if (page.passages.length === 0 || out.length >= page.total) return out;
  }
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await work();
  return [performance.now() - t0, value];
}

/** The baselines: every document file read (and parsed), as a plain scan would. */
async function scan(dir: string, parse: boolean): Promise<number> {
  const folder = join(dir, 'documents');
  const names = (await readdir(folder)).filter((n) => n.endsWith('.json'));
  let n = 0;
  for (const name of names) {
    const text = await readFile(join(folder, name), 'utf8');
    n += parse ? (JSON.parse(text) as DocumentFile).highlights.length : text.length;
  }
  return n;
}

test('codebook operations on 1,000 documents, 100,000 highlights, 500 codes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'glossa-bench-codebook-'));
  const rows: BenchRow[] = [];
  try {
    const tags = codebook();
    const setup = await Library.open({ dataDir: dir, owner: 'bench' });
    await setup.mergeImport({ tags, documents: [] });
    for (let d = 0; d < DOCS; d++) await setup.addDocument(makeDocument(d, tags));
    await setup.close();

    // The first query of a session: with the coding index the library keeps as documents are
    // added (saved when the last session closed), and with none (a library from before it, or one
    // whose index was lost): every document read once to build it.
    const [saved] = await firstQuery(dir);
    const [built] = await firstQuery(dir, true);
    const [parsed] = await timed(() => scan(dir, true));
    rows.push(
      fromSamples(
        'first Passages query of a session (coding index saved by the last; one passage shown)',
        [saved],
        'read and parse every document file',
        [parsed],
        '< 300 ms',
      ),
      fromSamples(
        'first Passages query of a library without a coding index (built from every document)',
        [built],
        'read and parse every document file',
        [parsed],
        'reported',
      ),
    );

    const library = await Library.open({ dataDir: dir, owner: 'bench' });
    try {
      const fifty = tags.slice(3, 53).map((t) => t.id);
      const arms = {
        rename: [] as number[],
        merge: [] as number[],
        query: [] as number[],
        common: [] as number[],
        commonAll: [] as number[],
        overlap: [] as number[],
        matrix: [] as number[],
        read: [] as number[],
        parse: [] as number[],
      };
      // Reads and renames first: a merge loads every document it changes into memory (they stay
      // open with their logs), which would make later queries read texts from memory, not disk.
      for (let i = 0; i < SAMPLES; i++) {
        arms.read.push((await timed(() => scan(dir, false)))[0]);
        arms.rename.push((await timed(() => library.updateTag({ tagId: 'everywhere', name: `Everywhere ${i}` })))[0]);
        arms.parse.push((await timed(() => scan(dir, true)))[0]);
        arms.query.push((await timed(() => library.queryPassages({ query: `"Code 3" and "Code 4"` })))[0]);
        arms.common.push((await timed(() => library.queryPassages({ query: `"Code 3"` })))[0]);
        arms.commonAll.push((await timed(() => allPassages(library, `"Code 3"`)))[0]);
        arms.overlap.push((await timed(() => library.queryPassages({ query: `"Code 3" overlapping "Code 5"` })))[0]);
        arms.matrix.push((await timed(() => library.analyze({ tags: fifty })))[0]);
      }
      const mergeBaseline: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        mergeBaseline.push((await timed(() => scan(dir, false)))[0]);
        const [mergeMs, merged] = await timed(() => library.mergeTags({ from: 'merge-a', into: 'merge-b' }));
        arms.merge.push(mergeMs);
        // Put it back for the next sample (not measured).
        await library.revertCodebookChange({ changeId: merged.change.id, direction: 'undo' });
      }
      const passages = (await library.queryPassages({ query: `"Code 3" and "Code 4"` })).passages;
      const common = await library.queryPassages({ query: `"Code 3"` });
      const commonDocs = new Set(common.passages.map((p) => p.highlight.documentId)).size;
      const everyDoc = new Set((await allPassages(library, `"Code 3"`)).map((p) => p.highlight.documentId)).size;
      const merged = await library.mergeTags({ from: 'merge-a', into: 'merge-b' });
      rows.push(
        fromSamples(
          'rename a code used in every document',
          arms.rename,
          'read every document file',
          arms.read,
          '< 50 ms',
        ),
        fromSamples(
          `merge two codes across ${merged.applied.documents} documents (${merged.applied.highlights} highlights)`,
          arms.merge,
          'read every document file',
          mergeBaseline,
          '< 2,000 ms',
        ),
        fromSamples(
          `Passages query "Code 3 and Code 4" (${passages.length} passages), after the first`,
          arms.query,
          'read and parse every document file',
          arms.parse,
          '< 300 ms',
        ),
        fromSamples(
          `Passages query "Code 3": the first page (${common.passages.length} of ${common.total} passages, from ${commonDocs} documents read for context)`,
          arms.common,
          'read and parse every document file',
          arms.parse,
          '< 300 ms',
        ),
        fromSamples(
          `Passages query "Code 3": all ${common.total} passages (${everyDoc} documents read for context)`,
          arms.commonAll,
          'read and parse every document file',
          arms.parse,
          'reported',
        ),
        fromSamples(
          'Passages query "Code 3 overlapping Code 5", after the first',
          arms.overlap,
          'read and parse every document file',
          arms.parse,
          '< 300 ms',
        ),
        fromSamples(
          'co-occurrence matrix and frequencies for 50 codes',
          arms.matrix,
          'read and parse every document file',
          arms.parse,
          '< 300 ms',
        ),
      );
    } finally {
      await library.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await report(
    `Glossa codebook benchmark (${QUICK ? 'quick' : 'full'}: ${DOCS} documents, ${DOCS * PER_DOC} highlights, ${CODES} codes)`,
    rows,
    'bench-codebook-results.json',
  );
});
