import { readFile } from 'node:fs/promises';
import { unzipSync, strFromU8 } from 'fflate';
import { test, expect } from './support/glossa';
import { LibraryPage } from './pages/library';

test('the export dialog previews each format and option live, and downloads the choice', async ({
  page,
  reader,
}, testInfo) => {
  await reader.selectWithMouse('surrounded the Russian Embassy in Kabul');
  await page.keyboard.press('1');
  await reader.selectWithMouse('combat drug traffickers');
  await page.keyboard.press('3');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export highlights' });
  // Markdown shows first as a viewer renders it: the quote a blockquote, the tag a heading.
  const rendered = dialog.getByRole('document', { name: 'Export preview, rendered' });
  await expect(rendered.getByRole('heading', { name: 'security' })).toBeVisible();
  await expect(rendered.getByRole('blockquote').first()).toHaveText('surrounded the Russian Embassy in Kabul');
  await expect(rendered.getByLabel('Front matter')).toContainText('title:');
  await dialog.getByRole('radio', { name: 'Raw Markdown' }).check();
  const preview = dialog.getByRole('textbox', { name: 'Export preview' });
  await expect(preview).toHaveValue(/## security\n\n> surrounded the Russian Embassy in Kabul\n\n— ¶ 1/);

  await dialog.getByRole('combobox', { name: 'Layout' }).selectOption({ label: 'Reading order' });
  await dialog.getByRole('checkbox', { name: 'Obsidian #tags' }).check();
  await dialog.getByRole('checkbox', { name: 'Block ids (^glossa-…)' }).check();
  await dialog.getByRole('checkbox', { name: 'Links back to Glossa' }).check();
  await expect(preview).toHaveValue(
    /> surrounded the Russian Embassy in Kabul\n\n\^glossa-[0-9a-f-]+\n\n— ¶ 1 · #security · \[Open in Glossa\]\(glossa:\/\/open\?doc=[0-9a-f]+&highlight=[0-9a-f-]+\)/,
  );
  await dialog.getByRole('checkbox', { name: 'drugs' }).uncheck();
  await expect(preview).not.toHaveValue(/combat drug traffickers/);
  const path = testInfo.outputPath('export-dialog.png');
  await page.screenshot({ path });
  await testInfo.attach('export-dialog', { path, contentType: 'image/png' });

  await dialog.getByRole('radio', { name: 'CSV' }).check();
  await expect(preview).toHaveValue(
    /^document,title,date,paragraph,start,end,quote,tags,note,created,updated,coder\r?\n/,
  );
  await dialog.getByRole('radio', { name: 'REFI-QDA project (.qdpx)' }).check();
  await expect(dialog.getByText(/A zip of \d+ KB: project\.qde/)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('The Taliban Russia and Afghanistan.qdpx');
  const files = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(strFromU8(files['project.qde'])).toContain('name="surrounded the Russian Embassy in Kabul"');
  await expect(reader.status).toHaveText('Exported The Taliban Russia and Afghanistan.qdpx.');
});

test('an exported JSON-LD file imports back through the library screen, doubling nothing', async ({ page, reader }) => {
  await reader.selectWithMouse('surrounded the Russian Embassy in Kabul');
  await page.keyboard.press('1');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export highlights' });
  await dialog.getByRole('radio', { name: 'W3C Web Annotation (JSON-LD)' }).check();
  await expect(dialog.getByRole('textbox', { name: 'Export preview' })).toHaveValue(/"type": "AnnotationCollection"/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download' }).click(),
  ]);
  const jsonld = await readFile(await download.path());

  // The same library gets its own annotations back: nothing new, all found already there.
  const library = new LibraryPage(page);
  await library.show();
  await library.importFiles([{ name: 'back.jsonld', mimeType: 'application/ld+json', buffer: jsonld }]);
  await expect(reader.status).toHaveText('back.jsonld: 0 highlights imported; 1 already present.');
  await expect(library.report).toContainText('back.jsonld: 0 highlights imported; 1 already present.');
});

test('a #open? address (what glossa:// links become in web mode) opens the passage', async ({ page, reader }) => {
  await reader.selectWithMouse('combat drug traffickers');
  await page.keyboard.press('3');
  const library = new LibraryPage(page);
  await library.show();
  await library.importFiles([{ name: 'other.txt', mimeType: 'text/plain', buffer: Buffer.from('Another document.') }]);
  await library.open('Another document.');
  const id = await page.evaluate(async () => {
    const res = await window.glossa?.listDocuments({});
    return res && res.ok ? res.value.find((d) => d.title !== 'Another document.')?.id : undefined;
  });
  const highlight = await page.evaluate(async (documentId) => {
    const res = await window.glossa?.getDocument({ documentId: documentId as string });
    return res && res.ok ? res.value.highlights[0].id : undefined;
  }, id);
  await page.evaluate(([d, h]) => (window.location.hash = `#open?doc=${d}&highlight=${h}`), [id, highlight]);
  await expect(reader.article).toHaveAccessibleName(/Text of The Taliban/);
  await expect(reader.sidebar.getByRole('button', { name: /combat drug traffickers/, pressed: true })).toBeVisible();
});
