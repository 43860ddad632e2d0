import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type Browser } from '@playwright/test';
import { BIN } from '../e2e/support/glossa';
import { Library } from '../src/core/library';
import { SCHEMA_VERSION } from '../src/core/stored-schema';
import { generate, toHighlights, vocabulary } from './generate';
import { fromSamples, compared, report, type BenchRow } from './report';
import { freshPage } from './page';
import { serve, timeProcess, type Served } from './served';

// `npm run bench`: a big library as a user meets it, through `glossa serve` in its own process
// (searches, opening a document, memory) and the CLI as processes. Every figure is a median of
// RUNS samples with min–max, its baseline measured in the same run, arms interleaved.
// BENCH_QUICK=1 runs the same code on a smaller library, so that CI keeps it from rotting.

const QUICK = process.env.BENCH_QUICK === '1';
const DOCS = QUICK ? 100 : 1_000;
const DOC_BYTES = QUICK ? 10_000 : 50_000;
const PER_DOC = QUICK ? 20 : 100;
const BIG_BYTES = QUICK ? 100_000 : 1_000_000;
const BIG_COUNT = QUICK ? 1_000 : 10_000;
const RUNS = 5;
const WORDS = vocabulary(QUICK ? 2_000 : 20_000);
const LIST_SIZES = QUICK ? [1_000] : [1_000, 10_000];

async function makeLibrary(docs: { id: string; bytes: number; count: number; seed: number }[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'glossa-bench-'));
  const library = await Library.open({ dataDir: dir, owner: 'bench' });
  // In batches through mergeImport, which writes the library index once per batch (adding them
  // one by one rewrites it per document: quadratic at 10,000).
  for (let at = 0; at < docs.length; at += 500) {
    await library.mergeImport({
      tags: [],
      documents: docs.slice(at, at + 500).map((d) => {
        const g = generate(d.bytes, d.count, d.seed, WORDS);
        const highlights = toHighlights(d.id, g);
        return {
          documentId: d.id,
          highlights,
          add: {
            schemaVersion: SCHEMA_VERSION,
            meta: {
              id: d.id,
              title: `Report ${d.id}`,
              titleSource: 'user' as const,
              source: 'generated',
              added: '2026-01-01T00:00:00.000Z',
            },
            text: g.text,
            paragraphs: g.paragraphs,
            highlights: [],
          },
        };
      }),
    });
  }
  await library.close();
  return dir;
}

const docsOf = (n: number, bytes: number, count: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `doc${i}`, bytes, count, seed: 1000 + i }));

/** In a fresh browser page: the reader opens, then a click on Library until its rows are drawn. */
async function libraryScreen(browser: Browser, s: Served): Promise<{ ms: number; longest: number }> {
  const page = await freshPage(browser);
  const context = page.context();
  try {
    await context.addCookies([s.cookie]);
    await page.goto(s.origin);
    await page.waitForFunction(() => performance.getEntriesByName('glossa:first-screen').length > 0);
    await page.waitForTimeout(500);
    return await page.evaluate(async () => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Library');
      if (!button) throw new Error('no Library button');
      const t0 = performance.now();
      button.click();
      await new Promise<void>((resolve) => {
        const check = () =>
          document.querySelector('table.documents tbody tr[aria-rowindex]')
            ? requestAnimationFrame(() => setTimeout(resolve))
            : requestAnimationFrame(check);
        check();
      });
      const ms = performance.now() - t0;
      const tasks = (window as unknown as { __longTasks: [number, number][] }).__longTasks;
      return { ms, longest: Math.max(0, ...tasks.filter(([start]) => start >= t0).map(([, d]) => d)) };
    });
  } finally {
    await context.close();
  }
}

/** Runs `a` and `b` alternately, RUNS times each (after one unmeasured call of each). */
async function interleaved(a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    as.push(await a());
    bs.push(await b());
  }
  return [as, bs];
}

function mbRow(name: string, value: number, baseline: string, baselineValue: number, target: string): BenchRow {
  return { ...compared(name, value, baseline, baselineValue, target), unit: 'MB' };
}

test('a big library: search, open, export, memory, the library screen', async ({ browser }) => {
  const big = await makeLibrary(docsOf(DOCS, DOC_BYTES, PER_DOC));
  const one = await makeLibrary([{ id: 'doc0', bytes: DOC_BYTES, count: PER_DOC, seed: 1000 }]);
  const heavy = await makeLibrary([{ id: 'heavy', bytes: BIG_BYTES, count: BIG_COUNT, seed: 42 }]);
  const bare = await makeLibrary([{ id: 'heavy', bytes: BIG_BYTES, count: 0, seed: 42 }]);
  const rows: BenchRow[] = [];
  const servers: Served[] = [];
  try {
    // Words by how often they occur: WORDS is skewed towards its start.
    const rare = WORDS[WORDS.length - 3];
    const common = WORDS[2];
    const phrase = `${WORDS[40]} ${WORDS[41]}`;
    const search = (s: Served, query: string) => async () => (await s.call('searchLibrary', { query })).ms;

    // The index built from nothing: once, the cost of a library's first search ever.
    const fresh = await serve(big);
    servers.push(fresh);
    const rssAtOpen = await fresh.rssMB();
    const built = await fresh.call('searchLibrary', { query: rare });
    const rssAfterBuild = await fresh.rssMB();
    await fresh.stop();
    servers.pop();

    const lib = await serve(big);
    const single = await serve(one);
    servers.push(lib, single);
    const firstAfterStart = await lib.call('searchLibrary', { query: rare });
    const firstSingle = await single.call('searchLibrary', { query: rare });
    rows.push(
      compared(
        `search ${DOCS} documents: index built from nothing (first search ever, n=1)`,
        built.ms,
        '1-document library, first search',
        firstSingle.ms,
        'reported',
      ),
      compared(
        `search ${DOCS} documents: first search after start (index read from disk, n=1)`,
        firstAfterStart.ms,
        '1-document library, first search',
        firstSingle.ms,
        'reported',
      ),
    );
    for (const [label, query] of [
      ['a rare word', rare],
      ['a two-word phrase', phrase],
      ['a common word (stops at 200 hits)', common],
    ] as const) {
      const [many, few] = await interleaved(search(lib, query), search(single, query));
      rows.push(
        fromSamples(`search ${DOCS} documents for ${label}`, many, '1-document library, same query', few, '< 100 ms'),
      );
    }
    // Memory must not grow with use: the same 20 searches and 20 opens, twice; the second round
    // is compared with the first (the first round's growth is the index and caches warming up).
    const round = async () => {
      for (let i = 0; i < 20; i++) await lib.call('searchLibrary', { query: WORDS[100 + i * 37] });
      for (let i = 0; i < 20; i++) await lib.call('getDocument', { documentId: `doc${i * 3}` });
      return lib.rssMB();
    };
    const rssRound1 = await round();
    const rssRound2 = await round();
    // Every document (no ids: the whole library), as the export dialog's "all documents" asks.
    await lib.call('exportFile', { scope: {}, format: 'md' });
    const rssAfterExport = await lib.rssMB();
    rows.push(
      mbRow(
        'server memory: after the first search (index built)',
        rssAfterBuild,
        'the same server after start',
        rssAtOpen,
        'reported',
      ),
      mbRow(
        'server memory: after 20 more searches and 20 opens',
        rssRound2,
        'after the same 40 calls once',
        rssRound1,
        '≈ 1 (flat)',
      ),
      mbRow(
        `server memory: after exporting all ${DOCS} documents`,
        rssAfterExport,
        'after start',
        rssAtOpen,
        'reported',
      ),
    );

    // Opening a document: the same text with and without its highlights.
    const withMarks = await serve(heavy);
    const without = await serve(bare);
    servers.push(withMarks, without);
    const open = (s: Served) => () => s.open('heavy');
    const [warm, warmBare] = await interleaved(open(withMarks), open(without));
    rows.push(
      fromSamples(
        `getDocument, ${BIG_BYTES / 1000} kB with ${BIG_COUNT} highlights (warm)`,
        warm,
        'same text, no highlights (warm)',
        warmBare,
        'ratio ≤ 2',
      ),
    );
    for (const s of servers.splice(0)) await s.stop();
    const firstOpen = (dir: string) => async () => {
      const s = await serve(dir);
      try {
        return await s.open('heavy');
      } finally {
        await s.stop();
      }
    };
    const [cold, coldBare] = await interleaved(firstOpen(heavy), firstOpen(bare));
    rows.push(
      fromSamples(
        `getDocument, ${BIG_BYTES / 1000} kB with ${BIG_COUNT} highlights (first, after start)`,
        cold,
        'same text, no highlights (first)',
        coldBare,
        'ratio ≤ 2',
      ),
    );
    for (const s of servers.splice(0)) await s.stop();

    // The library screen: a click on Library until its rows are drawn, against a 1-document library.
    for (const n of LIST_SIZES) {
      const listDir = await makeLibrary(docsOf(n, 300, 0));
      const small = await makeLibrary(docsOf(1, 300, 0));
      const many = await serve(listDir);
      const few = await serve(small);
      servers.push(many, few);
      const longest: number[] = [];
      const baseLongest: number[] = [];
      const [manyMs, fewMs] = await interleaved(
        async () => {
          const r = await libraryScreen(browser, many);
          longest.push(r.longest);
          return r.ms;
        },
        async () => {
          const r = await libraryScreen(browser, few);
          baseLongest.push(r.longest);
          return r.ms;
        },
      );
      rows.push(
        fromSamples(
          `library screen, ${n} documents: click → rows drawn`,
          manyMs,
          '1-document library',
          fewMs,
          '< 100 ms',
        ),
        fromSamples(
          `library screen, ${n} documents: longest task after the click (0: none over 50 ms)`,
          longest.slice(1),
          '1-document library',
          baseLongest.slice(1),
          '0 (no long task)',
        ),
      );
      for (const s of servers.splice(0)) await s.stop();
      for (const dir of [listDir, small]) await rm(dir, { recursive: true, force: true });
    }

    // The CLI as a person runs it: a process, from spawn to exit.
    const [exported, node] = await interleaved(
      () => timeProcess([BIN, 'export', '--format', 'md', '--data-dir', heavy]),
      () => timeProcess(['-e', '0']),
    );
    const exportRow = fromSamples(
      `glossa export --format md, ${BIG_COUNT} highlights (process)`,
      exported,
      'bare process start (node -e 0)',
      node,
      '< 100 ms above the baseline',
    );
    rows.push(exportRow, {
      ...exportRow,
      name: 'glossa export: time above bare process start',
      value_ms: exportRow.value_ms - exportRow.baseline_ms,
      ratio: (exportRow.value_ms - exportRow.baseline_ms) / 100,
      baseline: 'the target, 100 ms',
      baseline_ms: 100,
      min_ms: undefined,
      max_ms: undefined,
      target: 'ratio < 1',
    });
  } finally {
    for (const s of servers) await s.stop();
    for (const dir of [big, one, heavy, bare]) await rm(dir, { recursive: true, force: true });
  }
  await report(
    `Glossa library benchmark (${QUICK ? 'quick' : 'full'}: ${DOCS} documents of ${DOC_BYTES / 1000} kB with ${PER_DOC} highlights each; medians of ${RUNS}, min–max)`,
    rows,
    'bench-library-results.json',
  );
});
