import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { test, expect } from './support/glossa';
import type { ReaderPage } from './pages/reader';

// Every screen at the widths people use, in both themes, at 200% zoom, and through a screen
// reader's eyes (axe-core): nothing off-screen, nothing to scroll sideways, no serious or critical
// accessibility violation. Screenshots are kept with the test's results.

const SCREENS = ['Reader', 'Library', 'Codebook', 'Passages', 'Analysis', 'Memos', 'Team'] as const;
const SIZES = [
  { width: 800, height: 900 },
  { width: 1280, height: 900 },
  { width: 1920, height: 1080 },
];

async function sixCodes(reader: ReaderPage, page: Page): Promise<void> {
  const search = reader.toolbar.getByRole('searchbox', { name: 'Find or create a code' });
  for (const [text, code] of [
    ['combat drug traffickers', 'Counter-narcotics policy'],
    ['sworn enemies', 'Historical enmity'],
    ['a potential ally', 'Alliance building'],
  ]) {
    await reader.selectWithMouse(text);
    await search.fill(code);
    await search.press('Enter');
    await expect(reader.tagButton(code)).toBeVisible();
  }
  await reader.article.focus();
  await page.keyboard.press('Escape');
}

function view(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
}

/** Fails with the offending elements when anything sticks out sideways or off the top bar. */
async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const root = document.scrollingElement as HTMLElement;
    const wide = [...document.querySelectorAll<HTMLElement>('header button, header select, .library-bar button')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return el.checkVisibility() && r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1);
      })
      .map((el) => el.textContent?.trim() || el.getAttribute('aria-label') || el.tagName);
    return { scroll: root.scrollWidth - root.clientWidth, wide };
  });
  expect(overflow, where).toEqual({ scroll: 0, wide: [] });
}

async function axe(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    );
  expect(bad, where).toEqual([]);
}

async function keep(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen at 800, 1280 and 1920 px in the ${scheme} theme: all controls reachable, axe clean`, async ({
    reader,
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    await sixCodes(reader, page);
    await view(page, 'Analysis').click();
    await expect(page.getByRole('table', { name: 'Co-occurrence' })).toBeVisible();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const screen of SCREENS) {
        await view(page, screen).click();
        const where = `${screen} at ${size.width} px, ${scheme}`;
        await expectNoSidewaysScroll(page, where);
        if (screen === 'Library') {
          const row = page.getByRole('row').filter({ hasText: 'The Taliban' });
          for (const name of [/^Edit details of/, /^Move .* to the trash/]) {
            const button = row.getByRole('button', { name });
            await button.scrollIntoViewIfNeeded();
            await expect(button).toBeInViewport();
          }
        }
        if (screen === 'Reader' && size.width >= 1280) {
          // The reading column sits in the middle of the reading area.
          const [pane, column] = await Promise.all([
            page.locator('main.reader').boundingBox(),
            reader.paragraphs().first().boundingBox(),
          ]);
          expect(Math.abs(pane!.x + pane!.width / 2 - (column!.x + column!.width / 2)), where).toBeLessThan(24);
        }
        if (size.width === 1280) await axe(page, where);
        await keep(page, testInfo, `${screen.toLowerCase()}-${size.width}-${scheme}`);
      }
    }
  });
}

test('at 200% zoom (a 1280 px window: 640 CSS px) the article is on the first screen and every control is reachable', async ({
  reader,
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 640, height: 450 });
  await expectNoSidewaysScroll(page, 'reader at 200%');
  const first = await reader.paragraphs().first().boundingBox();
  expect(first, 'the first paragraph is on screen').not.toBeNull();
  expect(first!.y).toBeLessThan(450);
  for (const name of ['Export…', 'Find', 'Edit text', 'Keyboard shortcuts']) {
    const button = page.getByRole('button', { name, exact: true });
    await button.scrollIntoViewIfNeeded();
    await expect(button).toBeInViewport();
  }
  await keep(page, testInfo, 'reader-200-percent');
});

test('the note box never takes the keys: n, Esc, then j, 2, k act on the reader, and selections leave the note alone', async ({
  reader,
  page,
}) => {
  await reader.selectWithMouse('combat drug traffickers');
  await page.keyboard.press('3');
  await reader.selectWithMouse('sworn enemies');
  await page.keyboard.press('1');
  await expect(reader.highlightItems).toHaveCount(2);
  await page.keyboard.press('n');
  const note = () => reader.sidebar.getByRole('textbox', { name: /^Note/ });
  await expect(note()).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('j');
  await page.keyboard.press('2');
  await page.keyboard.press('k');
  await expect(note()).not.toBeFocused();
  await expect(note()).toHaveValue('');
  // Every way of selecting afterwards leaves the focus where the person put it.
  await reader.highlightItems.filter({ hasText: 'combat drug traffickers' }).click();
  await expect(note()).toBeVisible();
  await expect(note()).not.toBeFocused();
  await reader.article.focus();
  await page.keyboard.press('j');
  await expect(note()).not.toBeFocused();
  await page.keyboard.press('2');
  await expect(note()).toHaveValue('');
});

test('the View menu closes on Esc and on a click outside; its theme radios sit beside their labels', async ({
  reader,
  page,
}) => {
  const menu = page.locator('details.settings-menu');
  await page.getByText('View', { exact: true }).click();
  const panel = page.getByRole('group', { name: 'Reading settings' });
  await expect(panel).toBeVisible();
  const dark = panel.getByRole('radio', { name: 'Dark' });
  // From the radio's right edge to where its label's words start.
  const gap = await dark.evaluate((input) => {
    const label = input.closest('label') as HTMLLabelElement;
    const words = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()) as Text;
    const range = document.createRange();
    range.selectNodeContents(words);
    return range.getBoundingClientRect().left - input.getBoundingClientRect().right;
  });
  expect(gap).toBeGreaterThanOrEqual(0);
  expect(gap).toBeLessThan(16);
  await dark.focus();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(page.getByText('View', { exact: true })).toBeFocused();
  await page.getByText('View', { exact: true }).click();
  await expect(panel).toBeVisible();
  await reader.paragraphs().first().click();
  await expect(panel).toBeHidden();
  await expect(menu).not.toHaveAttribute('open');
});

test('smaller things: Space pages the text, Edit text focuses the text, “at this spot” follows the filter and the pointer', async ({
  reader,
  page,
}) => {
  // Space pages the text while the caret is in it; Shift+Space pages back.
  const main = page.getByRole('main');
  await reader.paragraphs().first().click();
  await page.keyboard.press('Space');
  await expect.poll(() => main.evaluate((m) => m.scrollTop)).toBeGreaterThan(200);
  await page.keyboard.press('Shift+Space');
  await expect.poll(() => main.evaluate((m) => m.scrollTop)).toBeLessThan(50);

  // The Edit text dialog opens with the text focused, not the ¶ number.
  await page.keyboard.press('e');
  const dialog = page.getByRole('dialog', { name: 'Edit paragraph text' });
  await expect(dialog.getByRole('textbox', { name: 'Text' })).toBeFocused();
  await page.keyboard.press('Escape');

  // Two highlights on one spot; hiding one code's highlights takes it out of "at this spot" too.
  await reader.selectWithMouse('combat drug traffickers');
  await page.keyboard.press('3');
  await reader.selectWithMouse('drug traffickers');
  await page.keyboard.press('1');
  // The caret elsewhere, so only the pointer says where "this spot" is.
  await reader.paragraph('sworn enemies').click();
  await reader.marks.filter({ hasText: 'drug traffickers' }).first().hover();
  const here = page.getByRole('region', { name: 'Highlights at this spot' });
  await expect(here.getByRole('button')).toHaveCount(2);
  await page.mouse.move(5, 5);
  await expect(here).toBeHidden();
  await reader.sidebar.getByRole('checkbox', { name: /^drugs/ }).uncheck();
  await reader.marks.filter({ hasText: 'drug traffickers' }).first().hover();
  await expect(here).toBeHidden();
});

test('a right-to-left quote reads right to left in the sidebar', async ({ reader, page }) => {
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  await page.getByRole('button', { name: 'Paste text…' }).click();
  const paste = page.getByRole('dialog', { name: /Paste/ });
  await paste.getByRole('textbox', { name: 'Text', exact: true }).fill('مجلس الأمن يناقش الوضع في أفغانستان اليوم.');
  await paste.getByRole('button', { name: 'Add to library' }).click();
  await expect(paste).toBeHidden();
  await view(page, 'Reader').click();
  await reader.openDocument(/^(?!The Taliban)/);
  await reader.selectProgrammatically('مجلس الأمن');
  await page.keyboard.press('1');
  const quote = reader.sidebar.locator('.quote').first();
  await expect(quote).toHaveAttribute('dir', 'auto');
  expect(await quote.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
});

test('colour is never the only cue: each code also has its own underline style', async ({ reader, page }, testInfo) => {
  await reader.selectWithMouse('combat drug traffickers');
  await page.keyboard.press('3');
  await reader.selectWithMouse('sworn enemies');
  await page.keyboard.press('1');
  // Saved: a mark still saving is drawn in the saving style, not yet its code's.
  await expect(reader.highlightItems).toHaveCount(2);
  const style = (text: string) =>
    reader.marks
      .filter({ hasText: text })
      .first()
      .evaluate((m) => getComputedStyle(m).textDecorationStyle);
  // security is the first code, drugs the third: solid against dashed, whatever the colours look like.
  expect(await style('sworn enemies')).toBe('solid');
  expect(await style('combat drug traffickers')).toBe('dashed');
  // As a deuteranope sees it (Chromium's own vision-deficiency emulation), kept for review:
  // red and green fills look alike there, the solid and dashed underlines do not.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setEmulatedVisionDeficiency', { type: 'deuteranopia' });
  await reader.paragraph('combat drug traffickers').scrollIntoViewIfNeeded();
  const path = testInfo.outputPath('reader-deuteranopia.png');
  await page.screenshot({ path });
  await testInfo.attach('reader-deuteranopia', { path, contentType: 'image/png' });
});

test('for screen readers each highlight says its codes once, paragraphs say their number; the focus ring marks one paragraph, not the page', async ({
  reader,
  page,
}) => {
  await reader.selectWithMouse('surrounded the Russian Embassy in Kabul');
  await page.keyboard.press('1');
  await reader.selectWithMouse('Russian Embassy');
  await page.keyboard.press('2');
  await expect(reader.highlightItems).toHaveCount(2);
  const pieces = reader.paragraph('Their mission').locator('mark');
  await expect(pieces).toHaveText(['surrounded the ', 'Russian Embassy', ' in Kabul']);
  await expect(pieces.nth(0)).toHaveAccessibleDescription('Highlight: security');
  await expect(pieces.nth(1)).toHaveAccessibleDescription('Highlight: diplomacy');
  // The last piece is the first highlight going on: not announced again (nor its hover title).
  await expect(pieces.nth(2)).toHaveAccessibleDescription('');
  await expect(pieces.nth(2)).toHaveAttribute('title', 'security');

  const snapshot = await reader.article.ariaSnapshot();
  expect(snapshot).toContain('¶ 1');
  expect(snapshot).toContain('¶ 4');

  // Focus by keyboard: the ring sits beside the paragraph the keys act on, one paragraph tall.
  await page.getByRole('button', { name: 'Export…' }).focus();
  await reader.article.focus();
  await page.keyboard.press('ArrowDown');
  const ring = () =>
    page.evaluate(() => {
      const article = document.querySelector('article.text') as HTMLElement;
      const marked = [...article.querySelectorAll('.para')].filter(
        (p) => getComputedStyle(p, '::before').content !== 'none',
      );
      return {
        count: marked.length,
        height: marked[0] ? parseFloat(getComputedStyle(marked[0], '::before').height) : 0,
        paragraph: marked[0]?.getBoundingClientRect().height ?? 0,
        articleShadow: getComputedStyle(article).boxShadow,
        articleOutline: getComputedStyle(article).outlineStyle,
        articleHeight: article.getBoundingClientRect().height,
      };
    });
  const seen = await ring();
  expect(seen.count).toBe(1);
  expect(seen.height).toBeGreaterThan(10);
  expect(seen.height).toBeLessThan(seen.paragraph);
  expect(seen.height).toBeLessThan(seen.articleHeight / 4);
  expect(seen.articleShadow).toBe('none');
  expect(seen.articleOutline).toBe('none');
  await page.getByRole('button', { name: 'Export…' }).focus();
  expect((await ring()).count).toBe(0);
});

test('with 50 codes every screen still fits: the toolbar stays short, the library shows codes as chips, nothing scrolls sideways', async ({
  reader,
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  // 47 more codes through the same API the page uses (the session cookie is shared).
  const made = await page.evaluate(async () => {
    const post = async (name: string, body: unknown) =>
      (
        await fetch(`/api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).ok;
    let ok = 0;
    for (let i = 1; i <= 47; i++)
      if (await post('createTag', { name: `Theme ${String(i).padStart(2, '0')} of the study` })) ok++;
    return ok;
  });
  expect(made).toBe(47);
  await page.reload();
  await reader.paragraphs().first().waitFor();
  // A passage with many codes: the last code made, found by typing, and the first three by key.
  await reader.selectWithMouse('combat drug traffickers');
  await page.keyboard.press('3');
  await expect(reader.highlightItems).toHaveCount(1);
  for (const key of ['1', '2']) await page.keyboard.press(key);
  const search = reader.toolbar.getByRole('searchbox', { name: 'Find or create a code' });
  await search.fill('Theme 47');
  await search.press('Enter');
  await expect(reader.highlightItems.first()).toContainText('Theme 47 of the study');
  for (const size of [
    { width: 800, height: 900 },
    { width: 1280, height: 900 },
  ]) {
    await page.setViewportSize(size);
    for (const screen of SCREENS) {
      await view(page, screen).click();
      await expectNoSidewaysScroll(page, `${screen} with 50 codes at ${size.width} px`);
      if (screen === 'Reader') {
        // The toolbar lists the first codes and finds the rest: it never pushes the text off the screen.
        const bar = await reader.toolbar.boundingBox();
        expect(bar!.height).toBeLessThan(200);
        await expect(reader.toolbar).toContainText(/\d+ more: type to find them/);
        // The reading area starts in the top third of the window.
        expect(bar!.y + bar!.height).toBeLessThan(size.height / 3);
        await expect(reader.article).toBeInViewport();
      }
      if (screen === 'Library') {
        const row = page.getByRole('row').filter({ hasText: 'The Taliban' });
        await expect(row).toContainText('Theme 47 of the study');
        const trash = row.getByRole('button', { name: /^Move .* to the trash/ });
        await trash.scrollIntoViewIfNeeded();
        await expect(trash).toBeInViewport();
      }
      await keep(page, testInfo, `${screen.toLowerCase()}-50-codes-${size.width}`);
    }
  }
});

test('the address without its session shows how to get a fresh link, never an empty library; a reload keeps the session', async ({
  reader,
  page,
  glossa,
  browser,
}, testInfo) => {
  // This tab has the session (a cookie): a reload opens the library again, with no code in the address.
  await page.reload();
  await expect(reader.paragraphs().first()).toBeVisible();
  expect(new URL(page.url()).search).toBe('');
  // Another browser, with the bare address: told what to do, and that nothing is lost.
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(glossa.origin);
  await expect(other.getByRole('heading', { name: 'Glossa needs a fresh link' })).toBeVisible();
  await expect(other.getByText(/Your library is safe: nothing has been changed/)).toBeVisible();
  await expect(other.getByText('glossa serve')).toBeVisible();
  await expect(other.getByText(/has no documents/)).toHaveCount(0);
  // The spent launch link is refused the same way.
  await other.goto(glossa.url);
  await expect(other.getByText(/This link has already been used/)).toBeVisible();
  const path = testInfo.outputPath('no-session.png');
  await other.screenshot({ path });
  await testInfo.attach('no-session', { path, contentType: 'image/png' });
  await stranger.close();
});
