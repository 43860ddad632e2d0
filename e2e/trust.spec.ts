import type { Page } from '@playwright/test';
import { test, expect } from './support/glossa';
import { ReaderPage } from './pages/reader';

// What the screen shows must be what is stored, in every window: nothing types into the article,
// a window that has not caught up never saves at stale offsets, and a typed note is never lost.

const PERSON = 'Andrei Serenko';

/** Reads a document as stored, through the same API the page uses (the session cookie is shared). */
async function stored(page: Page) {
  return page.evaluate(async () => {
    const post = async (name: string, body: unknown) =>
      (
        await (
          await fetch(`/api/${name}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json()
      ).value;
    const [doc] = await post('listDocuments', {});
    return post('getDocument', { documentId: doc.id }) as Promise<{
      text: string;
      revision: number;
      highlights: { note: string; target: { quote: { exact: string }; position: { start: number; end: number } } }[];
    }>;
  });
}

async function editParagraphInUi(page: Page, reader: ReaderPage, containing: string, edit: (text: string) => string) {
  await reader.paragraph(containing).click();
  await page.keyboard.press('e');
  const dialog = page.getByRole('dialog', { name: 'Edit paragraph text' });
  const text = dialog.getByRole('textbox', { name: 'Text' });
  await text.fill(edit(await text.inputValue()));
  await dialog.getByRole('button', { name: 'Save text' }).click();
  await expect(dialog).toBeHidden();
}

/**
 * Tab A stops hearing changes (its event stream is cut) and keeps showing the revision it has;
 * tab B, in the same browser, is opened beside it.
 */
async function staleTabAndAnother(page: Page, reader: ReaderPage, origin: string) {
  await page.route('**/api/events', (route) => route.abort());
  await page.reload();
  await reader.paragraphs().first().waitFor();
  const other = await page.context().newPage();
  const readerB = new ReaderPage(other);
  await readerB.open(origin);
  return { other, readerB };
}

test.describe('two windows on one library', () => {
  test('a highlight made in one tab shows in the other at once, without a reload', async ({ reader, page, glossa }) => {
    const other = await page.context().newPage();
    const readerB = new ReaderPage(other);
    await readerB.open(glossa.origin);
    await reader.selectWithMouse(PERSON);
    await page.keyboard.press('1');
    await expect(readerB.highlightItems).toHaveCount(1, { timeout: 1000 });
    await readerB.paragraph(PERSON).scrollIntoViewIfNeeded();
    await expect(readerB.marks.filter({ hasText: PERSON })).toHaveCount(1);
    // And back: a delete in B leaves A's list.
    await readerB.highlightItems.first().click();
    await other.keyboard.press('Delete');
    await expect(reader.highlightItems).toHaveCount(0, { timeout: 2000 });
  });

  test('a tab that missed an edit made in another still tags the words it shows', async ({ reader, page, glossa }) => {
    const { other, readerB } = await staleTabAndAnother(page, reader, glossa.origin);
    await editParagraphInUi(other, readerB, PERSON, (t) => `Some words inserted at the start. ${t}`);
    const afterEdit = await stored(other);
    expect(afterEdit.revision).toBe(1);

    await reader.selectWithMouse(PERSON);
    await page.keyboard.press('1');
    await expect(reader.highlightItems).toHaveCount(1);
    const doc = await stored(page);
    expect(doc.highlights.map((h) => h.target.quote.exact)).toEqual([PERSON]);
    const [{ start, end }] = doc.highlights.map((h) => h.target.position);
    expect(doc.text.slice(start, end)).toBe(PERSON);
  });

  test('a tab whose words were edited away is told, and saves nothing', async ({ reader, page, glossa }) => {
    const { other, readerB } = await staleTabAndAnother(page, reader, glossa.origin);
    await editParagraphInUi(other, readerB, PERSON, (t) => t.replace(PERSON, 'a political analyst'));
    await reader.selectWithMouse(PERSON);
    await page.keyboard.press('1');
    await expect(page.getByRole('alert')).toContainText(/changed in another window/);
    expect((await stored(page)).highlights).toEqual([]);
    // The tab now shows the current text.
    await expect(reader.paragraph('a political analyst')).toHaveCount(1);
  });
});

test.describe('the article text cannot be changed', () => {
  test('is not an editable field, for people and screen readers', async ({ reader }) => {
    await expect(reader.article).not.toHaveAttribute('contenteditable', /.*/);
    await expect(reader.article).toHaveAttribute('tabindex', '0');
    expect(await reader.article.evaluate((a) => (a as HTMLElement).isContentEditable)).toBe(false);
  });

  test('typing, an input method, paste and execCommand change nothing; tagging after them is exact', async ({
    reader,
    page,
  }) => {
    const before = await reader.paragraph(PERSON).textContent();
    await reader.selectWithKeyboard(PERSON.slice(0, 6));
    await page.keyboard.press('ArrowLeft');
    // Typing (single keys are Glossa's shortcuts; these are not), an IME composition, inserted text.
    await page.keyboard.type('XQZ');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: '中文', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: '中文' });
    await page.evaluate(() => document.execCommand('insertText', false, 'EXTENSION'));
    await page.evaluate(async () => {
      const data = new DataTransfer();
      data.setData('text/plain', 'PASTED');
      document
        .querySelector('article')
        ?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    });
    await expect(reader.paragraph(PERSON)).toHaveText(before ?? '');

    await reader.selectWithMouse(PERSON);
    await page.keyboard.press('1');
    await expect(reader.highlightItems).toHaveCount(1);
    expect((await stored(page)).highlights.map((h) => h.target.quote.exact)).toEqual([PERSON]);
  });

  test('text changed in the page by something else (an extension) is drawn again from the stored text', async ({
    reader,
    page,
  }) => {
    const paragraph = reader.paragraph(PERSON);
    const before = await paragraph.textContent();
    await paragraph.evaluate((p) => {
      p.firstChild!.textContent = `TRANSLATED ${p.firstChild!.textContent}`;
    });
    await expect(paragraph).toHaveText(before ?? '');
    await reader.selectWithMouse(PERSON);
    await page.keyboard.press('1');
    expect((await stored(page)).highlights.map((h) => h.target.quote.exact)).toEqual([PERSON]);
  });

  test('the keyboard still selects: click, then Shift+arrows, Ctrl for words', async ({ reader, page }) => {
    await reader.selectWithKeyboard(PERSON);
    await page.keyboard.press('2');
    await expect(reader.highlightItems).toHaveCount(1);
    await expect(reader.marks.filter({ hasText: PERSON })).toHaveAttribute('title', 'diplomacy');
    // A caret is drawn where the keyboard is; Ctrl+Shift+→ extends by words.
    await expect(page.locator('article .caret')).toHaveCount(1);
    const first = reader.paragraphs().first();
    await first.scrollIntoViewIfNeeded();
    const box = await first.boundingBox();
    await page.mouse.click(box!.x + 2, box!.y + 8);
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('3');
    await expect(reader.highlightItems).toHaveCount(2);
    const quotes = (await stored(page)).highlights.map((h) => h.target.quote.exact);
    expect(quotes).toContain('On the');
  });
});

test.describe('nothing typed is lost', () => {
  test('a note is saved as it is typed, on Tab or Esc, and after a reload it is there', async ({ reader, page }) => {
    await reader.selectWithMouse(PERSON);
    await page.keyboard.press('1');
    await expect(reader.highlightItems).toHaveCount(1);
    await page.keyboard.press('n');
    const note = reader.sidebar.getByRole('textbox', { name: /^Note/ });
    await expect(note).toBeFocused();
    await note.pressSequentially('Analyst quoted twice');
    await page.keyboard.press('Escape');
    // Esc returns the keys to the reader: j, k and digits act again, nothing is typed into the note.
    await expect(reader.article).toBeFocused();
    await page.keyboard.press('k');
    // Out of the field, the note reads as rendered text, like a note in the margin.
    const rendered = reader.sidebar.getByRole('note', { name: 'Note' });
    await expect(rendered).toHaveText('Analyst quoted twice');
    await expect(note).toBeHidden();
    await expect.poll(async () => (await stored(page)).highlights[0]?.note).toBe('Analyst quoted twice');

    // Typing and leaving at once (a reload mid-sentence) keeps the text too.
    await reader.sidebar.getByRole('button', { name: 'Edit note' }).click();
    await expect(note).toBeFocused();
    await expect(note).toHaveValue('Analyst quoted twice');
    await note.press('End');
    await note.pressSequentially(' in the piece.');
    await page.reload();
    await reader.highlightItems.first().click();
    await reader.sidebar.getByRole('button', { name: 'Edit note' }).click();
    await expect(reader.sidebar.getByRole('textbox', { name: /^Note/ })).toHaveValue(
      'Analyst quoted twice in the piece.',
    );
    await expect.poll(async () => (await stored(page)).highlights[0]?.note).toBe('Analyst quoted twice in the piece.');
  });

  test('undo takes back a note edit as one step', async ({ reader, page }) => {
    await reader.selectWithMouse(PERSON);
    await page.keyboard.press('1');
    await expect(reader.highlightItems).toHaveCount(1);
    await page.keyboard.press('n');
    const note = reader.sidebar.getByRole('textbox', { name: /^Note/ });
    await note.pressSequentially('first thought');
    await note.press('Tab');
    await expect.poll(async () => (await stored(page)).highlights[0]?.note).toBe('first thought');
    await reader.article.focus();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await stored(page)).highlights[0]?.note).toBe('');
    await expect(reader.highlightItems).toHaveCount(1);
  });
});
