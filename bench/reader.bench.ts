import { mkdtemp, rm } from 'node:fs/promises';
import { ROOT } from '../e2e/support/glossa';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type Browser, type Page } from '@playwright/test';
import { createHandlers } from '../src/core/handlers';
import { Library } from '../src/core/library';
import { SCHEMA_VERSION } from '../src/core/stored-schema';
import { startServer } from '../src/server/http-server';
import { generate, toHighlights, type Generated } from './generate';
import { report, type BenchRow } from './report';

// `npm run bench`: speed of the real reader in real Chromium, each number a ratio against a
// baseline measured in the same run (absolute times on a shared machine are noise).
// BENCH_QUICK=1 runs the same code on small sizes, so that CI keeps it from rotting.

const QUICK = process.env.BENCH_QUICK === '1';
const BYTES = QUICK ? 100_000 : 1_000_000;
const COUNT = QUICK ? 1_000 : 10_000;
const RUNS = QUICK ? 2 : 5;
const FRAME_MS = 16;

type Result = BenchRow;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function serveLibrary(g: Generated, withHighlights: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'glossa-bench-'));
  const library = await Library.open({ dataDir: dir, owner: 'bench' });
  await library.addDocument({
    schemaVersion: SCHEMA_VERSION,
    meta: {
      id: 'bench',
      title: 'Benchmark text',
      titleSource: 'user',
      source: 'generated',
      added: new Date().toISOString(),
    },
    text: g.text,
    paragraphs: g.paragraphs,
    highlights: withHighlights ? toHighlights('bench', g) : [],
  });
  const server = await startServer({ handlers: createHandlers(library), staticDir: join(ROOT, 'out', 'renderer') });
  return {
    /** A fresh one-time launch address: each new browser context needs its own session. */
    url: () => server.launchUrl(),
    close: async () => {
      await server.close();
      await library.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the reader and returns the time from navigation until the screen is drawn: the text, then
 * the highlights of the paragraphs in and near view (two redraws), and the time those took.
 */
async function open(page: Page, url: string): Promise<{ toDrawn: number; draw: number; screen: number }> {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('glossa:paint').length >= 2, undefined, {
    timeout: 600_000,
  });
  return page.evaluate(() => {
    const [text, screen] = performance.getEntriesByName('glossa:paint');
    return {
      toDrawn: screen.startTime + screen.duration,
      draw: text.duration + screen.duration,
      screen: screen.duration,
    };
  });
}

/** Scrolls through the whole document, so every highlight gets drawn; returns the time spent drawing highlights. */
async function drawEverything(page: Page): Promise<{ ms: number; marks: number }> {
  return page.evaluate(async () => {
    const scroller = document.querySelector('main.reader') as HTMLElement;
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      scroller.scrollTop += scroller.clientHeight;
      await frame();
    }
    await frame();
    // The first redraw only puts the plain text in (the naive baseline's text is not timed either).
    const ms = performance
      .getEntriesByName('glossa:paint')
      .slice(1)
      .reduce((sum, m) => sum + m.duration, 0);
    return { ms, marks: document.querySelectorAll('article mark').length };
  });
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
}

async function freshPage(browser: Browser, bypassCSP = false): Promise<Page> {
  const context = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 860 } });
  return context.newPage();
}

/**
 * The usual approach: the text rendered as paragraphs, as any reader renders it, and one mark.js
 * `markRanges` call over the whole article with every range (mark.js silently drops overlaps).
 */
async function naiveMarkRanges(page: Page, g: Generated): Promise<{ ms: number; drawn: number }> {
  await page.goto('about:blank');
  await page.addScriptTag({ path: join(ROOT, 'node_modules', 'mark.js', 'dist', 'mark.min.js') });
  return page.evaluate(
    ({ text, paragraphs, ranges }) => {
      const root = document.createElement('article');
      for (const p of paragraphs) {
        const el = document.createElement('p');
        el.textContent = text.slice(p.start, p.end);
        root.append(el);
      }
      document.body.append(root);
      // Offsets in the article's text nodes, which lack the blank lines between paragraphs.
      const starts = paragraphs.map((p) => p.start);
      const shift = (offset: number) => {
        let i = 0;
        while (i + 1 < starts.length && starts[i + 1] <= offset) i++;
        return offset - i * 2;
      };
      const sorted = [...ranges]
        .sort((a, b) => a.start - b.start)
        .map((r) => ({ start: shift(r.start), length: r.end - r.start }));
      const t0 = performance.now();
      new (window as unknown as { Mark: new (el: Element) => { markRanges(r: unknown[]): void } }).Mark(
        root,
      ).markRanges(sorted);
      return { ms: performance.now() - t0, drawn: root.querySelectorAll('mark').length };
    },
    { text: g.text, paragraphs: g.paragraphs, ranges: g.ranges },
  );
}

/** Tags a fresh passage with the keyboard, then deletes it: redraw time and key-to-screen time of each. */
async function addAndRemove(page: Page, paragraphIndex: number) {
  const lastPaint = () => page.evaluate(() => performance.getEntriesByName('glossa:paint').at(-1)?.duration ?? NaN);
  const marks = () => page.locator('article mark').count();
  await page.locator('article p').nth(paragraphIndex).scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  const before = await marks();
  await page
    .locator('article p')
    .nth(paragraphIndex)
    .evaluate((p) => {
      // A stretch of text no highlight covers yet.
      const node = [...p.childNodes].find(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim().length >= 12,
      );
      if (!node) throw new Error('no unhighlighted text in this paragraph');
      const at = (node.textContent ?? '').search(/\S/);
      (p.closest('article') as HTMLElement).focus();
      document.getSelection()?.setBaseAndExtent(node, at, node, at + 8);
    });
  let t0 = Date.now();
  await page.keyboard.press('1');
  await page.waitForFunction((n) => document.querySelectorAll('article mark').length > n, before);
  const addTotal = Date.now() - t0;
  const addPaint = await lastPaint();
  t0 = Date.now();
  await page.keyboard.press('Delete');
  await page.waitForFunction((n) => document.querySelectorAll('article mark').length <= n, before);
  const removeTotal = Date.now() - t0;
  const removePaint = await lastPaint();
  if ((await marks()) !== before) throw new Error('the added highlight was not removed');
  return { addTotal, addPaint, removeTotal, removePaint };
}

test('reader speed on a long document with many overlapping highlights', async ({ browser }) => {
  const g = generate(BYTES, COUNT);
  const plain = await serveLibrary(g, false);
  const marked = await serveLibrary(g, true);
  const results: Result[] = [];
  try {
    const plainRuns: Awaited<ReturnType<typeof open>>[] = [];
    const markedRuns: Awaited<ReturnType<typeof open>>[] = [];
    let plainHeap = 0;
    let markedHeap = 0;
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so drift on the machine affects both sides alike.
      const p = await freshPage(browser);
      plainRuns.push(await open(p, plain.url()));
      plainHeap = await heapMB(p);
      await p.context().close();
      const m = await freshPage(browser);
      markedRuns.push(await open(m, marked.url()));
      markedHeap = await heapMB(m);
      if (i < RUNS - 1) await m.context().close();
      else {
        const edits: Awaited<ReturnType<typeof addAndRemove>>[] = [];
        for (let k = 0; k < RUNS; k++) edits.push(await addAndRemove(m, 3 + k * 7));
        const med = (key: keyof (typeof edits)[number]) => median(edits.map((e) => e[key]));
        const frame = (name: string, value: number, target: string) =>
          results.push({
            name,
            value_ms: value,
            baseline: 'one frame (16 ms)',
            baseline_ms: FRAME_MS,
            ratio: value / FRAME_MS,
            unit: 'ms',
            target,
          });
        frame('add a highlight: redraw', med('addPaint'), 'ratio < 1 (under one frame)');
        frame('remove a highlight: redraw', med('removePaint'), 'ratio < 1 (under one frame)');
        frame('add a highlight: key press to drawn, incl. durable save', med('addTotal'), 'reported');
        frame('remove a highlight: key press to drawn, incl. durable save', med('removeTotal'), 'reported');
        await m.context().close();
      }
    }
    const plainOpen = median(plainRuns.map((r) => r.toDrawn));
    const markedOpen = median(markedRuns.map((r) => r.toDrawn));
    results.unshift({
      name: `open ${Math.round(BYTES / 1000)} kB with ${COUNT} highlights, to the screen drawn`,
      value_ms: markedOpen,
      baseline: 'same text, no highlights',
      baseline_ms: plainOpen,
      ratio: markedOpen / plainOpen,
      unit: 'ms',
      target: 'ratio ≤ 1.5',
    });
    const naivePage = await freshPage(browser, true);
    const naive = await naiveMarkRanges(naivePage, g);
    await naivePage.context().close();
    const allPage = await freshPage(browser);
    await open(allPage, marked.url());
    const all = await drawEverything(allPage);
    await allPage.context().close();
    const atOpen = median(markedRuns.map((r) => r.screen));
    results.splice(
      1,
      0,
      {
        name: `open: draw the highlights (those on and near the screen)`,
        value_ms: atOpen,
        baseline: `one naive markRanges call over all ranges at open (drew ${naive.drawn} of ${COUNT}, dropping overlaps)`,
        baseline_ms: naive.ms,
        ratio: naive.ms / atOpen,
        unit: 'ms',
        target: 'ratio ≥ 20 (times faster)',
      },
      {
        name: `draw all ${COUNT} highlights, scrolling through (${all.marks} marks)`,
        value_ms: all.ms,
        baseline: 'the same naive markRanges call',
        baseline_ms: naive.ms,
        ratio: naive.ms / all.ms,
        unit: 'ms',
        target: 'reported (times faster)',
      },
    );
    results.push({
      name: 'memory: JS heap after opening',
      value_ms: markedHeap,
      baseline: 'same text, no highlights',
      baseline_ms: plainHeap,
      ratio: markedHeap / plainHeap,
      unit: 'MB',
      target: 'reported',
    });
  } finally {
    await plain.close();
    await marked.close();
  }

  await report(
    `Glossa reader benchmark (${QUICK ? 'quick' : 'full'}: ${BYTES} characters, ${COUNT} highlights, median of ${RUNS})`,
    results,
    'bench-results.json',
  );
});
