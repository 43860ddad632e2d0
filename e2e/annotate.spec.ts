import { test, expect, MULTISCRIPT } from './support/glossa';
import { ReaderPage } from './pages/reader';

async function tagged(reader: ReaderPage, text: string, key: string): Promise<void> {
  const before = await reader.highlightItems.count();
  await reader.selectWithMouse(text);
  await reader.page.keyboard.press(key);
  await expect(reader.highlightItems).toHaveCount(before + 1);
}

test.describe('notes', () => {
  test('n opens the note of the selected highlight; Markdown is rendered safely and exported', async ({
    reader,
    page,
  }) => {
    await tagged(reader, 'combat drug traffickers', '3');
    await page.keyboard.press('n');
    const note = reader.sidebar.getByRole('textbox', { name: /^Note/ });
    await expect(note).toBeFocused();
    await note.fill('**Key** claim.\nSecond line <img src=x onerror="window.hacked=1">');
    await page.keyboard.press('Control+Enter');
    await expect(reader.status).toHaveText('Note saved.');
    const rendered = reader.sidebar.getByLabel('Note', { exact: true });
    await expect(rendered.locator('strong')).toHaveText('Key');
    await expect(rendered).toContainText('<img src=x');
    expect(await page.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();
    const { text } = await reader.exportMarkdown();
    expect(text).toContain('> combat drug traffickers\n\n— ¶ 4\n\n**Note:** **Key** claim.\nSecond line <img');
  });
});

test.describe('the highlight list', () => {
  test('reads like margin notes: notes rendered, codes as chips, sorted by position, code or newest', async ({
    reader,
    page,
  }) => {
    await tagged(reader, 'combat drug traffickers', '3');
    await tagged(reader, 'surrounded the Russian Embassy in Kabul', '2');
    await tagged(reader, 'Taliban fighters', '1');
    // The selected one: its words, its codes as removable chips, its note edited in place.
    const panel = reader.sidebar.getByRole('group', { name: 'Selected highlight' });
    await expect(panel.getByRole('blockquote')).toHaveText('Taliban fighters');
    await expect(
      panel.getByRole('list', { name: 'Codes' }).getByRole('button', { name: 'Remove tag security' }),
    ).toBeVisible();
    await page.keyboard.press('n');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('A *named* group, see [source](https://example.org).');
    await page.keyboard.press('Escape');
    await expect(panel.getByRole('note', { name: 'Note' }).locator('em')).toHaveText('named');

    // Another selected: the first one's note shows rendered in the list, never as raw Markdown.
    await reader.highlightItems.filter({ hasText: 'combat drug traffickers' }).click();
    const preview = reader.sidebar.locator('.note-preview');
    await expect(preview).toHaveText('A named group, see source.');
    await expect(preview.getByRole('link', { name: 'source' })).toHaveAttribute('href', 'https://example.org');

    const order = reader.sidebar.getByRole('combobox', { name: 'Sort' });
    const quotes = () => reader.highlightItems.locator('.quote').allTextContents();
    await expect
      .poll(quotes)
      .toEqual(['Taliban fighters', 'surrounded the Russian Embassy in Kabul', 'combat drug traffickers']);
    await order.selectOption({ label: 'Code' });
    await expect
      .poll(quotes)
      .toEqual(['Taliban fighters', 'surrounded the Russian Embassy in Kabul', 'combat drug traffickers']);
    await order.selectOption({ label: 'Newest first' });
    await expect
      .poll(quotes)
      .toEqual(['Taliban fighters', 'surrounded the Russian Embassy in Kabul', 'combat drug traffickers']);
    // Tagging the oldest (still selected) again makes it the newest.
    await reader.article.focus();
    await page.keyboard.press('1');
    await expect
      .poll(quotes)
      .toEqual(['combat drug traffickers', 'Taliban fighters', 'surrounded the Russian Embassy in Kabul']);
    await order.selectOption({ label: 'Code' });
    // Now under security (its first code in codebook order), after the one before it in the text.
    await expect
      .poll(quotes)
      .toEqual(['Taliban fighters', 'combat drug traffickers', 'surrounded the Russian Embassy in Kabul']);
    // Remembered, and the keys still go in reading order.
    await page.reload();
    await expect(order).toHaveValue('code');
    await reader.article.focus();
    await page.keyboard.press('j');
    await expect(reader.sidebar.getByRole('group', { name: 'Selected highlight' }).getByRole('blockquote')).toHaveText(
      'Taliban fighters',
    );
  });
});

test.describe('one frame per key press', () => {
  test('the mark shows at the key press as saving, and as saved only once the save is durable', async ({
    reader,
    page,
  }) => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/createHighlight', async (route) => {
      await held;
      await route.continue();
    });
    await reader.selectWithMouse('combat drug traffickers');
    await page.keyboard.press('3');
    const mark = reader.marks.filter({ hasText: 'combat drug traffickers' });
    await expect(mark).toHaveClass(/hl-saving/);
    await expect(mark).toHaveAttribute('title', 'drugs (saving…)');
    // The selection gave way to a caret at once, so the saving mark is seen, not covered.
    expect(await reader.selectedText()).toBe('');
    // Not listed, and nothing to undo, while it is not saved.
    await expect(reader.highlightItems).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
    release();
    await expect(reader.highlightItems).toHaveCount(1);
    await expect(mark).not.toHaveClass(/hl-saving/);
    await expect(mark).toHaveAttribute('title', 'drugs');
  });

  test('a save that fails takes the mark away and says why', async ({ reader, page }) => {
    await page.route('**/api/createHighlight', (route) =>
      route.fulfill({
        status: 507,
        contentType: 'application/json',
        body: JSON.stringify({
          ok: false,
          error: { code: 'STORAGE', message: 'The disk is full; nothing was saved.' },
        }),
      }),
    );
    await reader.selectWithMouse('combat drug traffickers');
    await page.keyboard.press('3');
    await expect(page.getByRole('alert').filter({ hasText: 'The disk is full; nothing was saved.' })).toBeVisible();
    await expect(reader.marks).toHaveCount(0);
    await expect(reader.highlightItems).toHaveCount(0);
    // The passage is selected again, ready for another try.
    await expect.poll(() => reader.selectedText()).toBe('combat drug traffickers');
  });
});

test.describe('undo and redo', () => {
  test('every change can be undone and redone, by keyboard and by button', async ({ reader, page }) => {
    await tagged(reader, 'combat drug traffickers', '3');
    const item = reader.highlightItems.first();
    await page.keyboard.press('1'); // add security to the selected highlight
    await expect(item).toHaveAccessibleName(/tagged drugs, security$/);
    await page.keyboard.press('Control+z');
    await expect(item).toHaveAccessibleName(/tagged drugs$/);
    await page.keyboard.press('Control+Shift+z');
    await expect(item).toHaveAccessibleName(/tagged drugs, security$/);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z'); // undo the creation
    await expect(reader.highlightItems).toHaveCount(0);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(reader.highlightItems).toHaveCount(1);
    await page.keyboard.press('Control+y');
    await expect(item).toHaveAccessibleName(/tagged drugs, security$/);
  });

  test('undoing a delete brings back the same highlight: id, tags and note', async ({ reader, page }) => {
    await tagged(reader, 'very adequate people', '2');
    await page.keyboard.press('3');
    await page.keyboard.press('n');
    await page.keyboard.type('their words');
    await page.keyboard.press('Control+Enter');
    const before = (await reader.exportMarkdown()).text;
    await reader.article.focus();
    await page.keyboard.press('Delete');
    await expect(reader.highlightItems).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(reader.highlightItems).toHaveCount(1);
    const after = (await reader.exportMarkdown()).text;
    const withoutTime = (md: string) => md.replace(/exported: ".*"/, '');
    expect(withoutTime(after)).toBe(withoutTime(before));
    await page.reload();
    await expect(reader.highlightItems.first()).toHaveAccessibleName(/very adequate people — tagged diplomacy, drugs/);
  });

  test('removing the last tag deletes the highlight, and undo restores it', async ({ reader, page }) => {
    await tagged(reader, 'hunger crisis', '3');
    await page.keyboard.press('3');
    await expect(reader.highlightItems).toHaveCount(0);
    await expect(reader.status).toContainText('Undo with Ctrl+Z');
    await page.keyboard.press('Control+z');
    await expect(reader.highlightItems.first()).toHaveAccessibleName(/hunger crisis — tagged drugs/);
  });
});

test.describe('keyboard-first coding', () => {
  test('j and k move through highlights; ? lists every key; no mouse needed', async ({ reader, page }) => {
    for (const [text, key] of [
      ['Taliban fighters', '1'],
      ['combat drug traffickers', '3'],
      ['new mediator', '2'],
    ] as const) {
      await reader.selectWithKeyboard(text);
      await page.keyboard.press(key);
    }
    await expect(reader.highlightItems).toHaveCount(3);
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await expect(reader.highlightItems.nth(0)).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('j');
    await expect(reader.highlightItems.nth(1)).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await expect(reader.highlightItems.nth(2)).toHaveAttribute('aria-pressed', 'true');
    await expect(reader.marks.filter({ hasText: 'new mediator' })).toBeInViewport();
    await page.keyboard.press('Delete');
    await expect(reader.highlightItems).toHaveCount(2);

    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(sheet).toBeVisible();
    for (const key of ['j / k', 'Ctrl+Z', 'Ctrl+F', 'Delete', 'n'])
      await expect(sheet.getByRole('cell', { name: key, exact: true })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
  });

  test('where highlights overlap, hovering lists them all and Enter cycles the selection', async ({ reader, page }) => {
    await tagged(reader, "That's why Russia has [mobilized] all the necessary resources", '1');
    await tagged(reader, '[mobilized]', '3');
    await page.keyboard.press('Escape');
    await reader.marks.filter({ hasText: '[mobilized]' }).hover();
    const here = reader.sidebar.getByRole('region', { name: 'Highlights at this spot' });
    await expect(here.getByRole('heading')).toHaveText('At this spot: 2 highlights');
    await expect(here.getByRole('button')).toHaveText([/^drugs — \[mobilized\]/, /^security — That's why/]);
    await reader.marks.filter({ hasText: '[mobilized]' }).click();
    await expect(reader.highlightItems.filter({ hasText: '[mobilized]' }).last()).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await page.keyboard.press('Enter');
    await expect(reader.highlightItems.filter({ hasText: "That's why" })).toHaveAttribute('aria-pressed', 'true');
  });
});

test.describe('find and filter', () => {
  test('Ctrl+F finds every occurrence, case-insensitively unless asked, without touching highlights', async ({
    reader,
    page,
  }) => {
    await tagged(reader, 'Taliban fighters', '1');
    const expected = await reader.article.evaluate((a) => (a.textContent?.match(/taliban/gi) ?? []).length);
    await reader.article.click({ position: { x: 3, y: 3 } });
    await page.keyboard.press('Control+f');
    const field = page.getByRole('searchbox', { name: 'Find', exact: true });
    await expect(field).toBeFocused();
    await field.fill('taliban');
    const bar = page.getByRole('search', { name: 'Find in document' });
    await expect(bar).toContainText(`1 of ${expected}`);
    await page.keyboard.press('Enter');
    await expect(bar).toContainText(`2 of ${expected}`);
    await bar.getByRole('checkbox', { name: 'Match case' }).check();
    await expect(bar).toContainText('No matches');
    await bar.getByRole('checkbox', { name: 'Match case' }).uncheck();
    // Search matches are not highlights: the one highlight is still one <mark>, and intact.
    await expect(reader.marks).toHaveCount(1);
    await expect(reader.marks.first()).toHaveText('Taliban fighters');
    await field.press('Escape');
    await expect(bar).toBeHidden();
    await expect(page.locator('.find-match')).toHaveCount(0);
  });

  test('hiding a tag hides its highlights in the reader and the list; counts stay visible', async ({ reader }) => {
    await tagged(reader, 'Taliban fighters', '1');
    await tagged(reader, 'combat drug traffickers', '3');
    const filter = reader.sidebar.getByRole('group', { name: 'Show tags' });
    await expect(filter.getByRole('checkbox', { name: /security \(1\)/ })).toBeChecked();
    await filter.getByRole('checkbox', { name: /security/ }).uncheck();
    await expect(reader.highlightItems).toHaveCount(1);
    await expect(reader.marks).toHaveText(['combat drug traffickers']);
    await filter.getByRole('checkbox', { name: /security/ }).check();
    await expect(reader.marks).toHaveCount(2);
  });
});

test.describe('text changes and orphans', () => {
  test('fixing a paragraph keeps its highlights; a vanished passage becomes an orphan that can be re-attached', async ({
    reader,
    page,
  }) => {
    await tagged(reader, 'surrounded the Russian Embassy in Kabul', '1');
    await tagged(reader, 'Their mission: to protect', '2');
    await reader.paragraph('Their mission').click();
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: 'Edit paragraph text' });
    await expect(dialog.getByRole('spinbutton', { name: 'Paragraph' })).toHaveValue('1');
    const text = dialog.getByRole('textbox', { name: 'Text' });
    const original = await text.inputValue();
    await text.fill(original.replace('Embassy', 'embassy').replace('Their mission: to protect', 'They guarded'));
    await dialog.getByRole('button', { name: 'Save text' }).click();
    await expect(reader.status).toHaveText(
      /1 found approximately \(review them under “Found approximately”\), 1 orphaned/,
    );
    await expect(reader.marks).toHaveText(['surrounded the Russian embassy in Kabul']);
    const orphans = reader.sidebar.getByRole('region', { name: 'Orphaned highlights' });
    await expect(orphans.getByRole('button', { name: /^Orphaned: Their mission: to protect/ })).toBeVisible();
    const { text: md } = await reader.exportMarkdown();
    expect(md).toContain(
      '> Their mission: to protect\n\n— Orphaned: this passage is no longer found in the current text.',
    );

    await reader.selectWithMouse('They guarded');
    await orphans.getByRole('button', { name: 'Attach to selected passage' }).click();
    await expect(orphans).toBeHidden();
    await expect(reader.marks.filter({ hasText: 'They guarded' })).toHaveAttribute('title', 'diplomacy');
    await page.reload();
    await expect(reader.marks.filter({ hasText: 'They guarded' })).toHaveCount(1);
  });

  test('highlights found approximately are listed for review: keep, make orphan, attach elsewhere, each undoable', async ({
    reader,
    page,
  }) => {
    await tagged(reader, 'surrounded the Russian Embassy in Kabul', '1');
    await tagged(reader, 'two armored vehicles equipped with machine guns', '2');
    await tagged(reader, 'to protect the Russian diplomatic personnel', '3');
    await reader.paragraph('Their mission').click();
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: 'Edit paragraph text' });
    const text = dialog.getByRole('textbox', { name: 'Text' });
    const original = await text.inputValue();
    await text.fill(
      original.replace('Embassy', 'embassy').replace('armored', 'armoured').replace('personnel', 'personel'),
    );
    await dialog.getByRole('button', { name: 'Save text' }).click();
    await expect(reader.status).toHaveText(/3 found approximately/);
    const review = reader.sidebar.getByRole('region', { name: /^Found approximately/ });
    const item = (was: string) => review.getByRole('group', { name: `Found approximately: ${was}` });
    await expect(review.getByRole('group')).toHaveCount(3);
    // Each says what it was and what it is on now.
    await expect(item('surrounded the Russian Embassy in Kabul')).toContainText(
      'Now surrounded the Russian embassy in Kabul',
    );

    await item('surrounded the Russian Embassy in Kabul').getByRole('button', { name: 'Keep' }).click();
    await expect(review.getByRole('group')).toHaveCount(2);
    await page.keyboard.press('Control+z');
    await expect(review.getByRole('group')).toHaveCount(3);
    await item('surrounded the Russian Embassy in Kabul').getByRole('button', { name: 'Keep' }).click();

    await item('two armored vehicles equipped with machine guns').getByRole('button', { name: 'Make orphan' }).click();
    const orphans = reader.sidebar.getByRole('region', { name: 'Orphaned highlights' });
    await expect(orphans.getByRole('button', { name: /^Orphaned: two armored vehicles equipped/ })).toBeVisible();
    await expect(reader.marks.filter({ hasText: 'armoured' })).toHaveCount(0);

    await reader.selectWithMouse('the Russian diplomatic personel');
    await item('to protect the Russian diplomatic personnel')
      .getByRole('button', { name: 'Attach to selected passage' })
      .click();
    await expect(review).toBeHidden();
    await expect(reader.marks.filter({ hasText: /^the Russian diplomatic personel$/ })).toHaveCount(1);

    // Settled for good: a reload shows no review and the orphan still listed.
    await page.reload();
    await expect(orphans).toBeVisible();
    await expect(review).toBeHidden();
  });
});

test.describe('reading comfort', () => {
  test('text size, column width and theme are applied and remembered', async ({ reader, page }) => {
    await page.getByText('View', { exact: true }).click();
    const panel = page.getByRole('group', { name: 'Reading settings' });
    await panel.getByRole('combobox', { name: 'Text size' }).selectOption('22');
    await panel.getByRole('combobox', { name: 'Column width' }).selectOption('wide');
    await panel.getByRole('radio', { name: 'Dark' }).check();
    const look = () =>
      reader.article.evaluate((a) => ({
        size: getComputedStyle(a).fontSize,
        width: getComputedStyle(a).maxWidth,
        theme: document.documentElement.dataset.theme,
        background: getComputedStyle(document.documentElement).backgroundColor,
      }));
    const chosen = await look();
    expect(chosen).toMatchObject({ size: '22px', theme: 'dark', background: 'rgb(23, 25, 28)' });
    await page.reload();
    await reader.paragraphs().first().waitFor();
    expect(await look()).toEqual(chosen);
  });
});

test.describe('any script', () => {
  test.use({ importFirst: [MULTISCRIPT] });

  test('Russian, Dari, Pashto, Arabic, Chinese and emoji highlight and export exactly; RTL reads right to left', async ({
    reader,
    page,
  }) => {
    await reader.openDocument(/^Notes on sources in several scripts/);
    const passages: [string, string][] = [
      ['Москва и Талибан', '1'],
      ['امنیت و دیپلماسی', '2'],
      ['د کابل امنیت', '1'],
      ['الأمن والدبلوماسية', '2'],
      ['莫斯科与塔利班', '3'],
      ['talks 🤝🏽 ended', '2'],
      ['café vs café', '3'],
      ['𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '1'],
    ];
    for (const [text, key] of passages) {
      await reader.selectProgrammatically(text);
      await page.keyboard.press(key);
      await expect(reader.marks.filter({ hasText: text })).toHaveCount(1);
    }
    await expect(reader.highlightItems).toHaveCount(passages.length);
    const rtl = await reader.paragraph('امنیت و دیپلماسی').evaluate((p) => getComputedStyle(p).direction);
    expect(rtl).toBe('rtl');
    expect(await reader.paragraph('Москва').evaluate((p) => getComputedStyle(p).direction)).toBe('ltr');
    const { text } = await reader.exportMarkdown();
    for (const [quote] of passages) expect(text).toContain(`> ${quote}\n`);
  });

  test('undo history survives switching documents', async ({ reader, page }) => {
    await tagged(reader, 'combat drug traffickers', '3');
    await reader.openDocument(/^Notes on sources in several scripts/);
    await reader.selectProgrammatically('Москва и Талибан');
    await page.keyboard.press('1');
    await expect(reader.highlightItems).toHaveCount(1);
    await reader.openDocument('The Taliban');
    await expect(reader.highlightItems).toHaveCount(1);
    // The last change was in the other document: undo goes there and takes it back.
    await page.keyboard.press('Control+z');
    await expect(reader.paragraph('Москва')).toBeVisible();
    await expect(reader.highlightItems).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(reader.paragraph('combat drug traffickers')).toBeVisible();
    await expect(reader.highlightItems).toHaveCount(0);
    await page.keyboard.press('Control+Shift+z');
    await expect(reader.highlightItems).toHaveCount(1);
  });

  test('a mouse drag over right-to-left text selects the right offsets', async ({ reader, page }) => {
    await reader.openDocument(/^Notes on sources in several scripts/);
    const word = 'دیپلماسی';
    const box = await reader.paragraph(word).evaluate((p, w) => {
      const node = p.firstChild as Text;
      const at = (p.textContent ?? '').indexOf(w);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + w.length);
      const r = range.getBoundingClientRect();
      return { left: r.left, right: r.right, y: r.top + r.height / 2 };
    }, word);
    // In right-to-left text the word starts at its right edge: drag from there to its left edge.
    await page.mouse.move(box.right - 1, box.y);
    await page.mouse.down();
    await page.mouse.move(box.left + 1, box.y, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.press('2');
    await expect(reader.marks).toHaveText([word]);
  });
});
