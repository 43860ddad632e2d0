import { test } from '@playwright/test';
import { exportCsv } from '../src/shared/csv-export';
import { exportMarkdown } from '../src/shared/markdown-export';
import { exportCodebook } from '../src/shared/refi-qda';
import { exportWebAnnotations } from '../src/shared/web-annotation';
import type { DocumentView } from '../src/shared/types';
import { DEFAULT_CODEBOOK } from '../src/core/library';
import { qdpxBytes } from '../src/core/interchange/qdpx';
import { generate, toHighlights } from './generate';
import { fromSamples, report } from './report';

// The exporters' own cost: 10,000 highlights on a 1 MB document already in memory, in every
// format, each against JSON.stringify of the same highlights (the cheapest serialization there
// is), the arms interleaved. What a person waits for — `glossa export` as a process, from spawn
// to exit — is measured in library.bench.ts.

const QUICK = process.env.BENCH_QUICK === '1';
const COUNT = QUICK ? 1_000 : 10_000;
const BYTES = QUICK ? 100_000 : 1_000_000;
const RUNS = QUICK ? 5 : 7;

/** Times `work` and `base` alternately, RUNS times each after one warm-up of each. */
function interleaved(work: () => unknown, base: () => unknown): [number[], number[]] {
  const once = (f: () => unknown) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  once(work);
  once(base);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(once(work));
    b.push(once(base));
  }
  return [a, b];
}

test('export speed', async () => {
  const g = generate(BYTES, COUNT);
  const doc: DocumentView = {
    revision: 0,
    meta: { id: 'bench', title: 'Bench', titleSource: 'user', source: 'bench', added: '2026-01-01T00:00:00.000Z' },
    text: g.text,
    paragraphs: g.paragraphs,
    highlights: toHighlights('bench', g).map((h, i) => ({ ...h, note: i % 5 === 0 ? `Note *${i}*` : '' })),
  };
  const codebook = DEFAULT_CODEBOOK;
  const baseline = () => JSON.stringify(doc.highlights);
  const now = new Date('2026-01-01T00:00:00Z');
  const formats: [string, () => unknown, string][] = [
    ['Markdown (by tag)', () => exportMarkdown([doc], codebook, { exported: 'x' }), '< 100 ms'],
    [
      'Markdown (reading order, every option)',
      () =>
        exportMarkdown([doc], codebook, {
          exported: 'x',
          layout: 'reading',
          citation: true,
          obsidianTags: true,
          blockIds: true,
          deepLinks: true,
        }),
      '< 100 ms',
    ],
    ['CSV', () => exportCsv([doc], codebook), 'reported'],
    [
      'W3C Web Annotation JSON-LD',
      () => JSON.stringify(exportWebAnnotations([doc], codebook, { label: 'x' })),
      'reported',
    ],
    ['REFI-QDA project (.qdpx, zipped)', () => qdpxBytes([doc], codebook, { name: 'x', now }), 'reported'],
    ['REFI-QDA codebook (.qdc)', () => exportCodebook(codebook), 'reported'],
  ];
  const rows = formats.map(([name, work, target]) => {
    const [samples, base] = interleaved(work, baseline);
    return fromSamples(
      `export ${COUNT} highlights: ${name}`,
      samples,
      'JSON.stringify of the same highlights',
      base,
      target,
    );
  });
  await report(
    `Glossa export benchmark (${QUICK ? 'quick' : 'full'}: ${COUNT} highlights on ${BYTES} characters, median of ${RUNS})`,
    rows,
    'bench-export-results.json',
  );
});
