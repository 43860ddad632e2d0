import { readFile } from 'node:fs/promises';
import { test, expect } from './support/glossa';
import { ReaderPage } from './pages/reader';

const MOBILIZED = "That's why Russia has [mobilized] all the necessary resources";
const INNER = '[mobilized]';

test.describe('reading the seed article', () => {
  test('opens with the article, its metadata and numbered paragraphs', async ({ page, glossa }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const reader = new ReaderPage(page);
    await reader.open(glossa.url);

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('The Taliban, Russia and Afghanistan');
    await expect(page.getByText('Derived title')).toBeVisible();
    await expect(page.getByText('26 October 2021')).toBeVisible();
    await expect(page.getByText('MOSCOW', { exact: true })).toBeVisible();
    await expect(reader.paragraphs()).toHaveCount(39);
    await expect(reader.paragraphs().first()).toHaveText(/^On the morning of Aug\. 16/);
    await expect(page.getByText('¶ 39')).toBeVisible();
    // The three photo captions are styled as captions.
    const captions = await reader
      .paragraphs()
      .evaluateAll((ps) => ps.filter((p) => p.parentElement?.classList.contains('caption')).map((p) => p.textContent));
    expect(captions).toHaveLength(3);
    for (const c of captions) expect(c).toMatch(/© Reuters$/);
    // The one-time launch code does not stay in the address bar; the session is a cookie.
    expect(new URL(page.url()).search).toBe('');
    expect(errors).toEqual([]);
  });
});

test.describe('highlighting', () => {
  test('select with the mouse and press 1; tag another with the toolbar; both survive a reload', async ({
    reader,
    page,
  }) => {
    await reader.selectWithMouse('a Taliban commander promised him');
    expect(await reader.selectedText()).toBe('a Taliban commander promised him');
    await page.keyboard.press('1');
    await expect(reader.marks.filter({ hasText: 'a Taliban commander promised him' })).toHaveCount(1);
    await expect(reader.highlightItems).toHaveCount(1);
    await expect(reader.highlightItems.first()).toHaveAccessibleName(
      /¶ 2: a Taliban commander promised him — tagged security/,
    );

    await reader.selectWithMouse('combat drug traffickers');
    await reader.tagButton('drugs').click();
    await expect(reader.highlightItems).toHaveCount(2);
    await expect(reader.marks.filter({ hasText: 'combat drug traffickers' })).toHaveAttribute('title', 'drugs');

    await page.reload();
    await reader.paragraphs().first().waitFor();
    await expect(reader.highlightItems).toHaveCount(2);
    await expect(reader.marks.filter({ hasText: 'a Taliban commander promised him' })).toHaveAttribute(
      'title',
      'security',
    );
    await expect(reader.marks.filter({ hasText: 'combat drug traffickers' })).toHaveCount(1);
  });

  test('overlapping highlights both stay visible, on every character', async ({ reader, page }) => {
    await reader.selectWithMouse(MOBILIZED);
    await page.keyboard.press('1');
    await expect(reader.highlightItems).toHaveCount(1);
    await reader.selectWithMouse(INNER);
    await page.keyboard.press('3');
    await expect(reader.highlightItems).toHaveCount(2);

    const paragraph = reader.paragraph(MOBILIZED);
    await expect(paragraph.locator('mark')).toHaveText([
      "That's why Russia has ",
      INNER,
      ' all the necessary resources',
    ]);
    const idsPerMark = await paragraph
      .locator('mark')
      .evaluateAll((ms) => ms.map((m) => (m as HTMLElement).dataset.ids?.split(' ').length));
    expect(idsPerMark).toEqual([1, 2, 1]);
    await expect(paragraph.locator('mark').nth(1)).toHaveAttribute('title', 'security, drugs (2 highlights)');

    await page.reload();
    await reader.paragraphs().first().waitFor();
    // Highlights are drawn as their paragraph comes near the screen: scroll to it, as a reader would.
    // (¶ 9 is just past the first two screens at this window size, depending on the fonts.)
    await reader.paragraph(MOBILIZED).scrollIntoViewIfNeeded();
    await expect(reader.paragraph(MOBILIZED).locator('mark')).toHaveCount(3);
  });

  test('clicking a highlight selects it: tags shown, more added, then deleted', async ({ reader, page }) => {
    await reader.selectWithMouse('very adequate people');
    await page.keyboard.press('2');
    await expect(reader.highlightItems).toHaveCount(1);
    await page.getByRole('article').click({ position: { x: 5, y: 5 } }); // clear selection

    await reader.marks.filter({ hasText: 'very adequate people' }).click();
    await expect(reader.highlightItems.first()).toHaveAttribute('aria-pressed', 'true');
    const details = reader.sidebar.getByRole('group', { name: 'Selected highlight' });
    await expect(details).toContainText('diplomacy');
    await expect(reader.tagButton('diplomacy')).toHaveAttribute('aria-pressed', 'true');

    await reader.tagButton('security').click();
    await expect(reader.highlightItems.first()).toHaveAccessibleName(/tagged diplomacy, security/);
    await page.keyboard.press('3');
    await expect(reader.highlightItems.first()).toHaveAccessibleName(/tagged diplomacy, security, drugs/);
    await details.getByRole('button', { name: 'Remove tag security' }).click();
    await expect(reader.highlightItems.first()).toHaveAccessibleName(/tagged diplomacy, drugs$/);

    await page.keyboard.press('Delete');
    await expect(reader.highlightItems).toHaveCount(0);
    await expect(reader.marks).toHaveCount(0);
    await page.reload();
    await reader.paragraphs().first().waitFor();
    await expect(reader.marks).toHaveCount(0);
  });

  test('the delete button in the sidebar deletes the selected highlight', async ({ reader }) => {
    await reader.selectWithMouse('Zabihullah Mujahid');
    await reader.tagButton('security').click();
    await reader.selectWithMouse('Abdul Salam Hanafi');
    await reader.tagButton('diplomacy').click();
    await expect(reader.highlightItems).toHaveCount(2);
    await reader.highlightItems.filter({ hasText: 'Zabihullah' }).click();
    await reader.sidebar.getByRole('button', { name: 'Delete highlight' }).click();
    await expect(reader.highlightItems).toHaveCount(1);
    await expect(reader.highlightItems.first()).toContainText('Abdul Salam Hanafi');
  });

  test('keyboard selection: Shift+arrows select, a digit tags', async ({ reader, page }) => {
    await reader.selectWithKeyboard('hunger crisis');
    expect(await reader.selectedText()).toBe('hunger crisis');
    await page.keyboard.press('3');
    await expect(reader.marks.filter({ hasText: 'hunger crisis' })).toHaveAttribute('title', 'drugs');
    // The text cannot be edited by typing.
    await page.keyboard.type('xyz');
    await page.keyboard.press('Enter');
    await expect(reader.paragraph('hunger crisis')).not.toContainText('xyz');
  });

  test('asks for a passage when a tag is chosen with nothing selected', async ({ reader }) => {
    await reader.tagButton('security').click();
    await expect(reader.status).toHaveText('Select a passage in the text first, then choose a tag.');
    await expect(reader.highlightItems).toHaveCount(0);
  });
});

test.describe('export', () => {
  test('downloads Markdown with a section per tag and exact quotes', async ({ reader, page }, testInfo) => {
    await reader.selectWithMouse(MOBILIZED);
    await page.keyboard.press('1');
    await reader.selectWithMouse('combat drug traffickers');
    await page.keyboard.press('3');
    await reader.selectWithMouse('a "new mediator" between');
    await page.keyboard.press('2');
    await expect(reader.highlightItems).toHaveCount(3);

    const { download, text } = await reader.exportMarkdown();
    expect(download.suggestedFilename()).toBe('The Taliban Russia and Afghanistan.md');
    expect(text).toMatch(/^---\ntitle: "The Taliban, Russia and Afghanistan"\ndate: "2021-10-26"\n/);
    expect(text).toContain('highlights: 3');
    expect(text.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## security', '## diplomacy', '## drugs']);
    expect(text).toContain("> That's why Russia has \\[mobilized\\] all the necessary resources\n\n— ¶ 9");
    expect(text).toContain('> a "new mediator" between\n\n— ¶ 5');
    await testInfo.attach('export.md', { body: text, contentType: 'text/markdown' });
  });
});

test('screenshot of the reader', async ({ reader, page }, testInfo) => {
  const passages: [string, string][] = [
    ["numerous drills near Afghanistan's northern border", '1'],
    ['Central Asian security challenges for the Kremlin', '2'],
    [MOBILIZED, '1'],
    [INNER, '3'],
    ['a hunger crisis breaks out', '3'],
  ];
  for (const [text, key] of passages) {
    await reader.selectWithMouse(text);
    await page.keyboard.press(key);
  }
  await expect(reader.highlightItems).toHaveCount(passages.length);
  expect(await reader.selectedText()).toBe('');
  await reader.marks.filter({ hasText: INNER }).click();
  await reader.paragraph('Experts also paint a picture').evaluate((p) => p.scrollIntoView({ block: 'start' }));
  const path = testInfo.outputPath('reader.png');
  await page.screenshot({ path });
  await testInfo.attach('reader', { path, contentType: 'image/png' });
  expect((await readFile(path)).length).toBeGreaterThan(10_000);
});

test('the derived title can be replaced, and the export uses the new one', async ({ reader, page }) => {
  await page.getByRole('button', { name: 'Edit title' }).click();
  const title = page.getByRole('textbox', { name: 'Title' });
  await expect(title).toBeFocused();
  await title.fill('Russia puts the Taliban on probation');
  await page.getByRole('button', { name: 'Save title' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Russia puts the Taliban on probation');
  await expect(page.getByText('Derived title')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Russia puts the Taliban on probation');
  const { text } = await reader.exportMarkdown();
  expect(text).toMatch(/^---\ntitle: "Russia puts the Taliban on probation"/);
});
