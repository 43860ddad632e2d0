import type { Browser, Page } from '@playwright/test';

// Collects long tasks from the very start of each page (the observer is registered before any
// of the page's own scripts run), into `window.__longTasks` as [start, duration] pairs.
const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
`;

/** A page in a fresh browser context (no cache, no session), window-sized as in every bench. */
export async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.addInitScript(LONG_TASKS);
  return page;
}
