import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';
import { ROOT } from '../e2e/support/glossa';
import { createHandlers } from '../src/core/handlers';
import { Library } from '../src/core/library';
import { SCHEMA_VERSION } from '../src/core/stored-schema';
import { startServer } from '../src/server/http-server';
import { ANCHOR_LABELS, serveAnchors, type AnchorKind } from './anchors';
import { generate, toHighlights, type Generated } from './generate';
import { freshPage } from './page';
import { fromSamples, report, type BenchRow } from './report';

// `npm run bench`: the reader in real Chromium, measured as a person waits for it. Every arm does
// the same work to the same end point — navigation to the first frame that shows the first
// screen's text and marks — and the anchors run in the same run, interleaved with the reader: the
// plain static page (the floor), and the same page with every range drawn by the CSS Custom
// Highlight API, by mark.js per paragraph, and by one naive mark.js call. Medians of RUNS with
// min–max. BENCH_QUICK=1 runs the same code on small sizes, so that CI keeps it from rotting.

const QUICK = process.env.BENCH_QUICK === '1';
const BYTES = QUICK ? 100_000 : 1_000_000;
const COUNT = QUICK ? 1_000 : 10_000;
const RUNS = QUICK ? 3 : 5;
/** How long after navigation long tasks are counted (the "first 5 s"). */
const SETTLE_MS = QUICK ? 2_000 : 5_000;

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

interface Opened {
  /** Navigation to the first frame showing the first screen with its marks. */
  drawn: number;
  /** Long tasks (> 50 ms) from navigation until SETTLE_MS, and the longest. */
  longTasks: number;
  longest: number;
  heapMB: number;
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
}

async function open(page: Page, url: string, endMark: string): Promise<Opened> {
  await page.goto(url);
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, endMark, { timeout: 600_000 });
  const drawn = await page.evaluate((name) => performance.getEntriesByName(name)[0].startTime, endMark);
  await page.waitForFunction((ms) => performance.now() >= ms, SETTLE_MS, { timeout: 600_000 });
  const tasks = await page.evaluate(() => (window as unknown as { __longTasks: [number, number][] }).__longTasks);
  const early = tasks.filter(([start]) => start < SETTLE_MS);
  return {
    drawn,
    longTasks: early.length,
    longest: Math.max(0, ...early.map(([, d]) => d)),
    heapMB: await heapMB(page),
  };
}

/** Scrolls to the end a screen per frame; frame times and long tasks while doing so. */
async function scrollThrough(page: Page, scrollerSelector: string): Promise<{ p95: number; longTasks: number }> {
  return page.evaluate(async (selector) => {
    const scroller = document.querySelector(selector) as HTMLElement;
    const w = window as unknown as { __longTasks: [number, number][] };
    const from = performance.now();
    const frames: number[] = [];
    let last = performance.now();
    const frame = () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame((t) => {
          frames.push(t - last);
          last = t;
          resolve();
        }),
      );
    await frame();
    frames.length = 0;
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      scroller.scrollTop += scroller.clientHeight;
      await frame();
    }
    await frame();
    await new Promise((resolve) => setTimeout(resolve, 300));
    frames.sort((a, b) => a - b);
    return {
      p95: frames[Math.min(frames.length - 1, Math.floor(frames.length * 0.95))],
      longTasks: w.__longTasks.filter(([start]) => start >= from).length,
    };
  }, scrollerSelector);
}

/**
 * Key press to the first frame that shows the new mark: a passage near the top of the screen is
 * selected, `1` pressed; the time runs from the key event to a frame after a <mark> holding the
 * passage appears. Then Delete takes it off again (not measured), so every sample starts alike.
 */
async function keyToMark(page: Page, paragraphIndex: number): Promise<number> {
  const p = page.locator('article p').nth(paragraphIndex);
  await p.evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
  await page.waitForTimeout(300);
  await p.evaluate((el) => {
    const node = [...el.childNodes].find(
      (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim().length >= 12,
    );
    if (!node) throw new Error('no unhighlighted text in this paragraph');
    const at = (node.textContent ?? '').search(/\S/);
    (el.closest('article') as HTMLElement).focus();
    document.getSelection()?.setBaseAndExtent(node, at, node, at + 8);
    const w = window as unknown as { __key?: number; __shown?: number };
    w.__key = undefined;
    w.__shown = undefined;
    const before = el.querySelectorAll('mark').length;
    document.addEventListener('keydown', (e) => (w.__key = e.timeStamp), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (el.querySelectorAll('mark').length <= before) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => (w.__shown = performance.now())));
    });
    observer.observe(el, { childList: true, subtree: true, characterData: true });
  });
  await page.keyboard.press('1');
  await page.waitForFunction(() => (window as unknown as { __shown?: number }).__shown !== undefined);
  const ms = await page.evaluate(() => {
    const w = window as unknown as { __key: number; __shown: number };
    return w.__shown - w.__key;
  });
  // Take it off again once it is saved (the list shows it), so the next sample starts alike.
  await page.getByRole('status').filter({ hasText: 'Highlighted' }).waitFor();
  await page.keyboard.press('Delete');
  await page.getByRole('status').filter({ hasText: 'deleted' }).waitFor();
  return ms;
}

test('reader speed on a long document with many overlapping highlights', async ({ browser }) => {
  const g = generate(BYTES, COUNT);
  const plain = await serveLibrary(g, false);
  const marked = await serveLibrary(g, true);
  const anchors = await serveAnchors(g);
  const rows: BenchRow[] = [];
  type Arm = AnchorKind | 'glossa' | 'glossa-plain';
  const arms: Arm[] = ['static', 'glossa', 'css-highlights', 'mark-per-paragraph', 'naive-markRanges', 'glossa-plain'];
  const runs = new Map<Arm, Opened[]>(arms.map((a) => [a, []]));
  const scrolls = new Map<Arm, { p95: number; longTasks: number }[]>([
    ['static', []],
    ['glossa', []],
    ['css-highlights', []],
  ]);
  const keys: { marked: number[]; plain: number[] } = { marked: [], plain: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      // Each round opens every arm once, in the same order, so drift on the machine falls on all.
      for (const arm of arms) {
        const page = await freshPage(browser);
        const glossa = arm === 'glossa' || arm === 'glossa-plain';
        const url = arm === 'glossa' ? marked.url() : arm === 'glossa-plain' ? plain.url() : anchors.url(arm);
        runs.get(arm)!.push(await open(page, url, glossa ? 'glossa:first-screen' : 'bench:drawn'));
        scrolls.get(arm)?.push(await scrollThrough(page, 'main'));
        if (glossa) (arm === 'glossa' ? keys.marked : keys.plain).push(await keyToMark(page, 3 + i * 5));
        await page.context().close();
      }
    }
  } finally {
    await plain.close();
    await marked.close();
    await anchors.close();
  }
  const drawn = (arm: Arm) => runs.get(arm)!.map((r) => r.drawn);
  const title = `${Math.round(BYTES / 1000)} kB with ${COUNT} overlapping highlights`;
  rows.push(
    fromSamples(
      `open ${title}: navigation → first screen drawn`,
      drawn('glossa'),
      ANCHOR_LABELS.static,
      drawn('static'),
      'ratio ≤ 1.5',
    ),
  );
  for (const anchor of ['css-highlights', 'mark-per-paragraph', 'naive-markRanges'] as const) {
    const row = fromSamples(
      `open ${title}: first screen drawn, Glossa vs ${anchor}`,
      drawn('glossa'),
      ANCHOR_LABELS[anchor],
      drawn(anchor),
      anchor === 'naive-markRanges' ? 'ratio ≤ 0.05 (≥ 20× faster)' : 'reported',
    );
    rows.push(row);
  }
  rows.push(
    fromSamples(
      `open the same text without highlights (Glossa)`,
      drawn('glossa-plain'),
      ANCHOR_LABELS.static,
      drawn('static'),
      'reported',
    ),
  );
  const count = (arm: Arm, key: 'longTasks' | 'longest') => runs.get(arm)!.map((r) => r[key]);
  rows.push(
    {
      ...fromSamples(
        `long tasks in the first ${SETTLE_MS / 1000} s (count)`,
        count('glossa', 'longTasks'),
        'static page',
        count('static', 'longTasks'),
        'none',
      ),
      unit: 'count',
    },
    fromSamples(
      `longest task in the first ${SETTLE_MS / 1000} s`,
      count('glossa', 'longest'),
      'static page',
      count('static', 'longest'),
      '< 50 ms',
    ),
  );
  const scroll = (arm: Arm, key: 'p95' | 'longTasks') => scrolls.get(arm)!.map((s) => s[key]);
  rows.push(
    fromSamples(
      'scroll to the end a screen per frame: frame time p95',
      scroll('glossa', 'p95'),
      'static page',
      scroll('static', 'p95'),
      'ratio ≈ 1',
    ),
    fromSamples(
      'scroll to the end: frame time p95, vs CSS highlights',
      scroll('glossa', 'p95'),
      ANCHOR_LABELS['css-highlights'],
      scroll('css-highlights', 'p95'),
      'reported',
    ),
    {
      ...fromSamples(
        'scroll to the end: long tasks (count)',
        scroll('glossa', 'longTasks'),
        'static page',
        scroll('static', 'longTasks'),
        'none',
      ),
      unit: 'count',
    },
    fromSamples(
      'key press → frame showing the new mark',
      keys.marked,
      'same on the text without highlights',
      keys.plain,
      '< 16 ms (one frame)',
    ),
    {
      ...fromSamples(
        'renderer JS heap after opening',
        runs.get('glossa')!.map((r) => r.heapMB),
        'static page',
        runs.get('static')!.map((r) => r.heapMB),
        'reported',
      ),
      unit: 'MB',
    },
  );
  await report(
    `Glossa reader benchmark (${QUICK ? 'quick' : 'full'}: ${title}; medians of ${RUNS}, min–max; arms interleaved)`,
    rows,
    'bench-results.json',
  );
});
