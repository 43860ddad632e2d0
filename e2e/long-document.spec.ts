import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './support/glossa';
import { ReaderPage } from './pages/reader';

// A long document fills in a slice of paragraphs per frame (ParagraphList). These tests stop the
// page's animation frames (Playwright's clock), so the document stays part-built for as long as
// the test needs: what a person does in the first second of a long document must work then too.
const PARAGRAPHS = 2_400;
const FAR = 2_350;
const TITLE = 'Field notes from a long season';
/** How the document picker lists it: a title derived from the text, which may not be the first line. */
const LISTED = /Entry|Field notes/;
const filler = (i: number) =>
  `Entry ${i}: the convoy waited at the crossing while officials counted permits, traders argued about fees, and the ` +
  `radio repeated the same bulletin about the weather in the hills, the roads, the prices of fuel and of bread ${i}.`;
const text = [
  TITLE,
  ...Array.from({ length: PARAGRAPHS - 1 }, (_, i) =>
    i + 1 === FAR ? `Near the end, the Zanzibarite envoy signed the accord at dawn. ${filler(i)}` : filler(i),
  ),
].join('\n\n');
const file = join(mkdtempSync(join(tmpdir(), 'glossa-long-')), 'field-notes.txt');
writeFileSync(file, text);

test.use({ importFirst: [file] });

/** Opens the long document with the page's frames stopped: only its first slice gets built. */
async function openPartBuilt(reader: ReaderPage, url: string): Promise<void> {
  await reader.page.clock.install();
  await reader.open(url);
  await reader.page.clock.pauseAt(Date.now() + 60_000);
  await reader.openDocument(LISTED);
}

const built = (reader: ReaderPage) => reader.page.locator('article [data-start]').count();

test.describe('a long document (2,400 paragraphs)', () => {
  test('find, a jump to a highlight and the full text all reach paragraphs not built yet', async ({ page, glossa }) => {
    const reader = new ReaderPage(page);
    await openPartBuilt(reader, glossa.url);
    expect(await built(reader)).toBeLessThan(FAR);

    // Find covers the whole text.
    await reader.article.click({ position: { x: 3, y: 3 } });
    await page.keyboard.press('Control+f');
    await page.getByRole('searchbox', { name: 'Find', exact: true }).fill('zanzibarite');
    const bar = page.getByRole('search', { name: 'Find in document' });
    await expect(bar).toContainText('1 of 1');
    await expect(page.locator('.find-current')).toBeInViewport();
    await page.keyboard.press('Escape');

    // Tag the passage found, far down.
    await reader.selectProgrammatically('Zanzibarite envoy');
    await page.keyboard.press('1');
    await expect(reader.status).toContainText('Highlighted as security');

    // Open the document again: part-built once more; j goes to the highlight and shows it.
    await reader.openDocument(/The Taliban/);
    await reader.openDocument(LISTED);
    expect(await built(reader)).toBeLessThan(FAR);
    await reader.article.focus();
    await page.keyboard.press('j');
    await expect(reader.marks.filter({ hasText: 'Zanzibarite envoy' })).toBeInViewport();

    // With the frames running again, the rest fills in.
    await page.clock.resume();
    await expect(page.locator('article [data-start]')).toHaveCount(PARAGRAPHS);
    await expect(reader.paragraphs().last()).toHaveText(filler(PARAGRAPHS - 2));
  });
});
