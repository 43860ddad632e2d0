import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './support/glossa';
import { LibraryPage } from './pages/library';

// 600 short documents: past the point where the library screen puts only the rows around the
// screen in the page (200), so these tests cover the windowed list.
const COUNT = 600;
const dir = mkdtempSync(join(tmpdir(), 'glossa-big-'));
mkdirSync(dir, { recursive: true });
const files = Array.from({ length: COUNT }, (_, i) => {
  const name = join(dir, `report-${String(i).padStart(4, '0')}.txt`);
  writeFileSync(name, `Field report ${String(i).padStart(4, '0')}\n\nObservations number ${i} from the border region.`);
  return name;
});

test.use({ importFirst: files });

test.describe('a library of 600 documents', () => {
  test('shows its rows as the list scrolls, says how many there are, and filters all of them', async ({
    page,
    reader,
  }) => {
    void reader; // opens Glossa in the page
    const library = new LibraryPage(page);
    await library.show();
    // The seed article, the 600, and the header row.
    await expect(library.table).toHaveAttribute('aria-rowcount', String(COUNT + 2));
    // Fewer rows than documents are in the page, and the first are on screen.
    await expect(library.row('Field report 0000')).toBeVisible();
    expect(await library.rows.count()).toBeLessThan(COUNT);
    // Scrolling to the end brings the last ones (sorted by title, the seed article comes last).
    await library.table.evaluate((t) => t.querySelector('tbody')?.lastElementChild?.scrollIntoView({ block: 'end' }));
    await expect(library.row('The Taliban, Russia and Afghanistan')).toBeVisible();
    await expect(library.row('Field report 0599')).toBeVisible();
    await expect(library.row('Field report 0599')).toHaveAttribute('aria-rowindex', String(COUNT + 1));
    // The filter reaches every document, drawn or not.
    await library.filter('0321');
    await expect(library.rows).toHaveCount(1);
    await library.open('Field report 0321');
    await expect(page.getByRole('article')).toHaveAccessibleName('Text of Field report 0321');
  });

  test('Tab walks from row to row past the ones first drawn', async ({ page, reader }) => {
    void reader; // opens Glossa in the page
    const library = new LibraryPage(page);
    await library.show();
    const first = library.row('Field report 0000').getByRole('button', { name: 'Field report 0000', exact: true });
    await first.focus();
    // Three buttons a row (open, Details…, Trash): 3 × 80 rows is past the first window.
    for (let i = 0; i < 3 * 80; i++) await page.keyboard.press('Tab');
    await expect(page.locator(':focus')).toHaveAccessibleName('Field report 0080');
  });
});
