import { test, expect } from './support/glossa';
import { LibraryPage, type FileToImport } from './pages/library';
import { HOSTILE_HTML, makeDocx, makePdf } from '../src/test-support/sample-files';

const file = (name: string, mimeType: string, content: string | Uint8Array): FileToImport => ({
  name,
  mimeType,
  buffer: Buffer.from(content),
});

test('import several formats → library → reader → search → tag the passage found', async ({ page, reader }) => {
  const library = new LibraryPage(page);
  await library.show();
  const pdf = await makePdf(
    [{ lines: ['Moscow hosted talks on the border.', '', 'A second paragraph.'] }, { lines: ['Page two text.'] }],
    { title: 'Border talks', author: 'A. Analyst' },
  );
  await library.importFiles([
    file('notes.md', 'text/markdown', '# Field notes\n\n- Opium harvest is up\n- Prices fell'),
    file('talks.pdf', 'application/pdf', pdf),
    file(
      'memo.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      await makeDocx({ title: 'Memo' }),
    ),
    file('broken.pdf', 'application/pdf', 'not a pdf'),
    file('photo.png', 'image/png', 'png'),
  ]);
  await expect(reader.status).toHaveText('3 imported, 2 could not be imported.');
  await expect(library.report.getByRole('listitem')).toHaveText([
    /broken\.pdf: the file is not a readable PDF/,
    /photo\.png: files of type \.png cannot be imported/,
  ]);
  await expect(library.rows).toHaveCount(4);
  await expect(library.row('Border talks')).toContainText('A. Analyst');
  await expect(library.row('Border talks')).toContainText('pdf');

  await library.open('Border talks');
  await expect(reader.paragraphs()).toHaveText([
    'Moscow hosted talks on the border.',
    'A second paragraph.',
    'Page two text.',
  ]);

  await library.show();
  await library.search('opium');
  await expect(library.results.getByRole('listitem')).toHaveCount(2);
  await expect(library.results.getByRole('button', { name: /Field notes · Text · ¶ 2/ })).toBeVisible();
  await library.results.getByRole('button', { name: /Field notes · Text/ }).click();
  await expect(reader.article).toHaveAccessibleName('Text of Field notes');
  await expect(reader.article.getByRole('heading', { name: 'Field notes', level: 1 })).toBeVisible();
  await page.keyboard.press('1');
  await expect(reader.marks).toHaveText(['Opium']);
  await library.show();
  await expect(library.row('Field notes').getByRole('cell')).toContainText(['', 'notes.md', '', /security\s*1/, '1']);
});

test('hostile HTML runs nothing and fetches nothing in a real browser', async ({ page, reader }) => {
  const remote: string[] = [];
  page.on('request', (request) => {
    if (!new URL(request.url()).hostname.match(/^(127\.0\.0\.1|localhost)$/) && !request.url().startsWith('blob:'))
      remote.push(request.url());
  });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const library = new LibraryPage(page);
  await library.show();
  await library.importFiles([file('hostile.html', 'text/html', HOSTILE_HTML)]);
  await expect(reader.status).toHaveText('1 imported.');
  await library.open('Hostile page');
  await expect(reader.paragraphs()).toHaveText([
    'First paragraph of the report.',
    'Second paragraph with a link.',
    'A normal link ends the article.',
  ]);
  await expect(reader.article.getByRole('heading', { name: 'Report on border security' })).toBeVisible();
  // Give anything that slipped through time to run or load.
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await page.locator('article iframe, article img, article script, article object, article a').count()).toBe(0);
  expect(remote).toEqual([]);
  expect(dialogs).toEqual([]);
  await expect(reader.article).toBeVisible();
});

test('move to the trash, undo, restore, and empty the trash after confirming', async ({ page, reader }) => {
  const library = new LibraryPage(page);
  await library.show();
  await page.getByRole('button', { name: 'Paste text…' }).click();
  const paste = page.getByRole('dialog', { name: 'Paste text as a new document' });
  await paste.getByRole('textbox', { name: 'Title (optional)' }).fill('Clipping');
  await paste.getByRole('textbox', { name: 'Text' }).fill('Pasted first paragraph.\n\nPasted second paragraph.');
  await paste.getByRole('button', { name: 'Add to library' }).click();
  await expect(library.rows).toHaveCount(2);

  await library.row('Clipping').getByRole('button', { name: 'Move Clipping to the trash' }).click();
  await expect(library.rows).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(library.row('Clipping')).toBeVisible();
  await expect(reader.status).toHaveText('Restored “Clipping”.');

  await library.row('Clipping').getByRole('button', { name: 'Move Clipping to the trash' }).click();
  await page.getByRole('button', { name: 'Trash', exact: true }).click();
  await expect(library.rows).toHaveText([/Clipping/]);
  await library.row('Clipping').getByRole('button', { name: 'Restore Clipping' }).click();
  await expect(library.rows).toHaveCount(0);
  await page.getByRole('button', { name: /^Documents/ }).click();
  await expect(library.rows).toHaveCount(2);

  await library.row('Clipping').getByRole('button', { name: 'Move Clipping to the trash' }).click();
  await page.getByRole('button', { name: 'Trash', exact: true }).click();
  await page.getByRole('button', { name: 'Empty trash…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Empty the trash?' });
  await expect(confirm).toContainText('1 document and all its highlights will be deleted for good');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(library.rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Empty trash…' }).click();
  await confirm.getByRole('button', { name: 'Delete for good' }).click();
  await expect(page.getByText('The trash is empty.')).toBeVisible();
  await expect(reader.status).toHaveText('Deleted 1 document for good.');
});

test('drop files to import; the same text twice is offered as already in the library', async ({ page, reader }) => {
  const library = new LibraryPage(page);
  const drop = async (name: string, text: string) => {
    const transfer = await page.evaluateHandle(
      ([n, t]) => {
        const data = new DataTransfer();
        data.items.add(new File([t], n, { type: 'text/plain' }));
        return data;
      },
      [name, text],
    );
    await page.dispatchEvent('body', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  };
  await drop('dropped.txt', 'Dropped text about Tajikistan.\n\nAnd more.');
  await expect(library.region).toBeVisible();
  await expect(reader.status).toHaveText('1 imported.');
  await drop('again.txt', 'Dropped text about Tajikistan.\n\nAnd more.');
  await expect(reader.status).toHaveText('0 imported, 1 already in the library.');
  await expect(library.report).toContainText('again.txt: already in the library as “Dropped text about Tajikistan.”.');
  await library.report.getByRole('button', { name: 'Open it' }).click();
  await expect(reader.paragraphs().first()).toHaveText('Dropped text about Tajikistan.');
});

test('edit details, sort and filter; the last opened document reopens on start', async ({ page, reader, glossa }) => {
  const library = new LibraryPage(page);
  await library.show();
  await library.importFiles([file('b.md', 'text/markdown', '---\ntitle: Beta\ndate: 2019-05-01\n---\nBeta text.')]);
  await expect(library.rows).toHaveCount(2);
  await library.row('Beta').getByRole('button', { name: 'Edit details of Beta' }).click();
  const details = page.getByRole('dialog', { name: 'Document details' });
  await details.getByRole('textbox', { name: 'Source' }).fill('Field diary');
  await details.getByRole('textbox', { name: 'Author' }).fill('R. Searcher');
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(library.row('Beta')).toContainText('Field diary');
  await expect(library.row('Beta')).toContainText('R. Searcher');

  const dateHeader = library.table.getByRole('columnheader', { name: 'Date' });
  await dateHeader.getByRole('button').click();
  await expect(dateHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(library.rows.getByRole('rowheader')).toHaveText([/Taliban/, /Beta/]);
  await dateHeader.getByRole('button').click();
  await expect(dateHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(library.rows.getByRole('rowheader')).toHaveText([/Beta/, /Taliban/]);
  await page.getByRole('textbox', { name: 'Filter documents' }).fill('diary');
  await expect(library.rows.getByRole('rowheader')).toHaveText([/Beta/]);

  await library.open('Beta');
  await expect(reader.paragraphs()).toHaveText(['Beta text.']);
  await page.goto(glossa.origin);
  await expect(reader.paragraphs()).toHaveText(['Beta text.']);
});

test('a long import shows progress and can be cancelled; what was imported stays', async ({ page, reader }) => {
  // Each upload is held back a moment on its way to the real server, so there is time to watch.
  await page.route('**/api/importFile', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  const library = new LibraryPage(page);
  await library.show();
  const files = [1, 2, 3, 4, 5].map((n) => file(`part${n}.txt`, 'text/plain', `Part ${n} of the report.`));
  await library.importFiles(files);
  const progress = page.getByRole('progressbar', { name: /Importing part\d\.txt \(\d of 5\)/ });
  await expect(progress).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Importing part2.txt (2 of 5)…' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(progress).toBeHidden();
  await expect(reader.status).toHaveText('2 imported. Import cancelled; the remaining files were not read.');
  await expect(library.rows).toHaveCount(3);
  // The screen stayed usable throughout, and stays so.
  await page.getByRole('textbox', { name: 'Filter documents' }).fill('part');
  await expect(library.rows).toHaveCount(2);
});

test('screenshot of the library', async ({ page, reader }, testInfo) => {
  const library = new LibraryPage(page);
  await reader.selectWithMouse('surrounded the Russian Embassy in Kabul');
  await page.keyboard.press('1');
  await library.show();
  await library.importFiles([
    file(
      'notes.md',
      'text/markdown',
      '---\ntitle: Field notes from Termez\nauthor: R. Searcher\ndate: 2022-03-14\n---\nOpium prices at the border fell.',
    ),
    file(
      'talks.pdf',
      'application/pdf',
      await makePdf([{ lines: ['Moscow hosted talks.'] }], { title: 'Moscow format talks', author: 'A. Analyst' }),
    ),
    file('broken.docx', 'application/octet-stream', 'not a docx'),
  ]);
  await expect(library.rows).toHaveCount(3);
  for (const [name, ready] of [
    ['library', null],
    ['library-search', () => library.search('Moscow')],
  ] as const) {
    if (ready) {
      await ready();
      await expect(library.results.getByRole('listitem').first()).toBeVisible();
    }
    const path = testInfo.outputPath(`${name}.png`);
    await page.screenshot({ path });
    await testInfo.attach(name, { path, contentType: 'image/png' });
    expect((await import('node:fs')).statSync(path).size).toBeGreaterThan(10_000);
  }
});

test('imported structure reads as structure: headings, lists, quotes and PDF pages', async ({
  page,
  reader,
}, testInfo) => {
  const library = new LibraryPage(page);
  await library.show();
  const md = [
    '---',
    'title: Field notes from Termez',
    'author: R. Searcher',
    '---',
    '# Crossing the border',
    '',
    'Traders at the bridge said prices fell after the talks.',
    '',
    '## What we heard',
    '',
    '- Opium prices down by a third',
    '- More patrols at night',
    '  - mostly on the Uzbek side',
    '',
    '> Nobody crosses without paying. — a driver',
  ].join('\n');
  await library.importFiles([file('termez.md', 'text/markdown', md)]);
  await library.open('Field notes from Termez');
  await expect(reader.article.getByRole('heading', { level: 1 })).toHaveText('Crossing the border');
  await expect(reader.article.getByRole('heading', { level: 2 })).toHaveText('What we heard');
  await expect(page.getByText('R. Searcher')).toBeVisible();
  await reader.selectWithMouse('Opium prices down');
  await page.keyboard.press('3');
  await expect(reader.marks).toHaveText(['Opium prices down']);
  const path = testInfo.outputPath('imported-markdown.png');
  await page.screenshot({ path });
  await testInfo.attach('imported-markdown', { path, contentType: 'image/png' });

  await library.show();
  const pdf = await makePdf([{ lines: ['First page text.'] }, { lines: ['Second page text.'] }], {
    title: 'Two pages',
  });
  await library.importFiles([file('two.pdf', 'application/pdf', pdf)]);
  await library.open('Two pages');
  await expect(reader.article.locator('.pnum')).toHaveText(['¶ 1p. 1', '¶ 2p. 2']);
});

test('texts in Arabic and Russian imported through the library get titles from their own words, and their dates', async ({
  page,
  reader,
}) => {
  const library = new LibraryPage(page);
  await library.show();
  await library.importFiles([
    file(
      'report-ar.txt',
      'text/plain',
      'مجلس الأمن يناقش الوضع في أفغانستان. وقال المندوب إن الوضع خطير.\n\nوأضاف أن المجلس سيجتمع مرة أخرى.',
    ),
    file(
      'report-ru.txt',
      'text/plain',
      'date 2021-10-26\n\nМОСКВА — Москва и Кабул обсудили торговлю. Москва предложила помощь, Кабул согласился.\n\nМосква ждёт ответа.',
    ),
  ]);
  await expect(reader.status).toHaveText('2 imported.');
  // Arabic has no capitals to find names by: the first sentence, as written (right to left).
  const arabic = 'مجلس الأمن يناقش الوضع في أفغانستان.';
  await expect(library.row(arabic)).toBeVisible();
  await expect(library.row('Москва and Кабул')).toBeVisible();

  await library.open('Москва and Кабул');
  await expect(page.getByText(/names the text mentions most often/)).toBeVisible();
  await expect(page.getByText('Published', { exact: true })).toBeVisible();
  await expect(page.getByText('26 October 2021')).toBeVisible();
  await expect(page.getByText('МОСКВА', { exact: true })).toBeVisible();
  // The date line and the dateline are metadata, not the text's first paragraph.
  await expect(reader.paragraphs().first()).toHaveText(/^Москва и Кабул обсудили торговлю/);

  await library.show();
  await library.open(arabic);
  await expect(page.getByText(/first sentence/)).toBeVisible();
  await expect(reader.paragraphs().first()).toHaveAttribute('dir', 'auto');
  expect(
    await reader
      .paragraphs()
      .first()
      .evaluate((p) => getComputedStyle(p).direction),
  ).toBe('rtl');
});
