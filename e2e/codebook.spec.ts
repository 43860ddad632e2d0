import { readFile } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';
import { test, expect } from './support/glossa';
import type { ReaderPage } from './pages/reader';
import { LibraryPage } from './pages/library';

// The codebook, retrieval, memos and analysis, as a researcher uses them: by mouse and by
// keyboard, on the real web-mode stack, every change seen in the other views without a reload.

async function tag(reader: ReaderPage, text: string, key: string): Promise<void> {
  const before = await reader.highlightItems.count();
  await reader.selectWithMouse(text);
  await reader.page.keyboard.press(key);
  await expect(reader.highlightItems).toHaveCount(before + 1);
}

function view(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
}

async function keep(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  expect((await readFile(path)).length).toBeGreaterThan(10_000);
}

test('the Codebook panel: create, nest, rename, recolour, describe; the reader follows at once; Ctrl+Z undoes', async ({
  reader,
  page,
}, testInfo) => {
  await view(page, 'Codebook').click();
  const panel = page.getByRole('region', { name: 'Codebook' });
  // Keyboard: type the name, Tab to the parent, choose it, Enter adds.
  await panel.getByRole('textbox', { name: 'New code' }).fill('Border control');
  await panel.getByRole('combobox', { name: 'Under' }).selectOption({ label: 'security' });
  await panel.getByRole('textbox', { name: 'New code' }).press('Enter');
  const codes = panel.getByRole('list', { name: 'Codes' });
  await expect(codes.getByRole('button', { name: 'security / Border control, 0 highlights' })).toBeVisible();
  // The editor is named by the code, which is renamed below.
  const editor = page.getByRole('region', { name: /^Border/ });
  await editor.getByRole('textbox', { name: 'Name' }).fill('Border checks');
  await editor.getByRole('button', { name: 'Rename' }).click();
  await expect(codes.getByRole('button', { name: 'security / Border checks, 0 highlights' })).toBeVisible();
  await editor.getByRole('button', { name: 'Colour 2 (#3f7fd0)' }).click();
  await expect(editor.getByRole('status')).toContainText('Hard to tell apart from “diplomacy”');
  await editor.getByRole('button', { name: 'Colour 5 (#8e5cc7)' }).click();
  await expect(editor.getByRole('status')).toHaveCount(0);
  await editor.getByRole('textbox', { name: /^Description/ }).fill('**Use when** a border is checked.');
  await editor.getByRole('button', { name: 'Save description' }).click();
  await keep(page, testInfo, 'codebook');

  // The reader's toolbar and filters have it, without a reload.
  await view(page, 'Reader').click();
  await expect(reader.tagButton('Border checks')).toBeVisible();
  await expect(reader.sidebar.getByRole('checkbox', { name: /Border checks/ })).toBeVisible();
  // Ctrl+Z undoes the codebook's changes one by one: description, two colours, the rename.
  await reader.article.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Control+z');
  await expect(reader.tagButton('Border control')).toBeVisible();
  await page.keyboard.press('Control+Shift+z');
  await expect(reader.tagButton('Border checks')).toBeVisible();
  // The library can sort by it.
  await view(page, 'Library').click();
  await expect(
    page.getByRole('combobox', { name: "Sort by a code's highlights" }).getByRole('option', { name: 'Border checks' }),
  ).toBeAttached();
});

test('code in flow: a new name typed in the toolbar, and an in-vivo code with i, each one undo step', async ({
  reader,
  page,
}) => {
  // Mouse and typing: select, click the search box, type a new name, Enter.
  await reader.selectWithMouse('combat drug traffickers');
  await reader.toolbar.getByRole('searchbox', { name: 'Find or create a code' }).fill('Counter-narcotics');
  await reader.toolbar.getByRole('searchbox', { name: 'Find or create a code' }).press('Enter');
  await expect(reader.highlightItems).toHaveCount(1);
  await expect(reader.highlightItems.first()).toHaveAccessibleName(/tagged Counter-narcotics/);
  await expect(reader.tagButton('Counter-narcotics')).toBeVisible();
  // Keyboard: select with Shift+arrows, i names a code after the words.
  await reader.selectWithKeyboard('sworn enemies');
  await page.keyboard.press('i');
  await expect(reader.highlightItems).toHaveCount(2);
  await expect(reader.tagButton('sworn enemies')).toBeVisible();
  // One Ctrl+Z takes away the highlight and the code it made.
  await reader.article.focus();
  await page.keyboard.press('Control+z');
  await expect(reader.highlightItems).toHaveCount(1);
  await expect(reader.tagButton('sworn enemies')).toHaveCount(0);
  // Finding a code by a few letters: typing narrows the toolbar; Enter applies the one match.
  await reader.selectWithMouse('more radical extremist groups');
  const search = reader.toolbar.getByRole('searchbox', { name: 'Find or create a code' });
  await search.fill('diplo');
  await expect(reader.toolbar.getByRole('button')).toHaveCount(1);
  await search.press('Enter');
  await expect(reader.highlightItems).toHaveCount(2);
  await expect(reader.highlightItems.nth(1)).toHaveAccessibleName(/tagged diplomacy/);
});

test('merge and delete ask first, say what they remove, and undo exactly', async ({ reader, page }) => {
  await tag(reader, 'combat drug traffickers', '3');
  await tag(reader, 'sworn enemies', '1');
  await view(page, 'Codebook').click();
  const codes = page.getByRole('list', { name: 'Codes' });
  await codes.getByRole('button', { name: /^drugs, 1 highlights/ }).click();
  await page.getByRole('combobox', { name: 'Merge into' }).selectOption({ label: 'security' });
  await page.getByRole('button', { name: 'Merge…' }).click();
  const merge = page.getByRole('dialog', { name: /Merge “drugs” into “security”/ });
  await merge.getByRole('button', { name: 'Merge' }).click();
  await expect(codes.getByRole('button', { name: /^security, 2 highlights/ })).toBeVisible();
  await expect(codes.getByRole('button', { name: /^drugs/ })).toHaveCount(0);

  await codes.getByRole('button', { name: /^security, 2 highlights/ }).click();
  await page.getByRole('button', { name: 'Delete code…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the code “security”?' });
  await expect(confirm).toContainText('on 2 highlight(s) in 1 document(s)');
  await expect(confirm).toContainText('2 of them have no other code and will be deleted');
  await confirm.getByRole('button', { name: 'Delete code' }).click();
  await view(page, 'Reader').click();
  await expect(reader.highlightItems).toHaveCount(0);
  // Undo the delete, then the merge: both highlights back with their own codes.
  await reader.article.focus();
  await page.keyboard.press('Control+z');
  await expect(reader.highlightItems).toHaveCount(2);
  await page.keyboard.press('Control+z');
  await expect(reader.tagButton('drugs')).toBeVisible();
  await expect(reader.highlightItems.filter({ hasText: 'combat drug traffickers' })).toHaveAccessibleName(
    /tagged drugs$/,
  );
});

test('Passages: a query across the library, saved, exported; a passage opens in the reader', async ({
  reader,
  page,
}, testInfo) => {
  await tag(reader, 'combat drug traffickers', '3');
  await page.keyboard.press('1'); // the same highlight gets security too
  await tag(reader, 'sworn enemies', '1');
  await tag(reader, 'Russia and the Taliban were sworn enemies', '2');
  await view(page, 'Passages').click();
  const query = page.getByRole('searchbox', { name: 'Query' });
  await query.fill('security and drugs');
  await query.press('Enter');
  const found = page.getByRole('list', { name: 'Passages found' });
  await expect(found.getByRole('listitem')).toHaveCount(1);
  await query.fill('security overlapping diplomacy');
  await page.getByRole('button', { name: 'Find passages' }).click();
  await expect(found.getByRole('listitem')).toHaveCount(1);
  await expect(found).toContainText('sworn enemies');
  await query.fill('security and nothing');
  await query.press('Enter');
  await expect(page.getByRole('alert')).toContainText('"nothing", which is not a code');

  await query.fill('security not drugs');
  await query.press('Enter');
  await expect(found.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('textbox', { name: 'Save this query as' }).fill('Security alone');
  await page.getByRole('button', { name: 'Save query' }).click();
  await keep(page, testInfo, 'passages');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile((await download.path()) as string, 'utf8');
  expect(csv.trim().split('\r\n')).toHaveLength(2);
  expect(csv).toContain('sworn enemies');

  await query.fill('drugs');
  await query.press('Enter');
  await page.getByRole('button', { name: 'Run saved query Security alone' }).click();
  await expect(query).toHaveValue('security not drugs');
  await found.getByRole('button', { name: /sworn enemies/ }).click();
  await expect(reader.article).toBeVisible();
  await expect(reader.sidebar.getByRole('group', { name: 'Selected highlight' })).toContainText('security');
});

test('Analysis: frequencies and co-occurrence as tables and a chart; a cell opens its passages', async ({
  reader,
  page,
}, testInfo) => {
  await tag(reader, 'combat drug traffickers', '3');
  await page.keyboard.press('1');
  await tag(reader, 'Russia and the Taliban were sworn enemies', '2');
  await tag(reader, 'sworn enemies', '1');
  await view(page, 'Analysis').click();
  const frequencies = page.getByRole('table', { name: /Codes by document/ });
  await expect(frequencies.getByRole('row', { name: /^security/ })).toContainText('2');
  await expect(page.getByRole('img', { name: /Heat map/ })).toBeVisible();
  const matrix = page.getByRole('table', { name: 'Co-occurrence' });
  await expect(matrix.getByRole('button', { name: 'security and drugs: 1 highlights with both' })).toBeVisible();
  await page.getByRole('radio', { name: 'Coverage' }).check();
  await keep(page, testInfo, 'analysis');
  await matrix.getByRole('button', { name: 'security overlapping diplomacy: 1 overlapping pairs' }).click();
  await expect(page.getByRole('searchbox', { name: 'Query' })).toHaveValue('security overlapping diplomacy');
  await expect(page.getByRole('list', { name: 'Passages found' }).getByRole('listitem')).toHaveCount(1);
});

test('memos link to passages and show what links to them; attributes filter the library', async ({
  reader,
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await tag(reader, 'combat drug traffickers', '3');
  await reader.sidebar.getByRole('button', { name: 'Copy link' }).click();
  await expect(reader.status).toContainText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/^glossa:\/\/open\?doc=\w+&highlight=[\w-]+$/);
  await view(page, 'Memos').click();
  await page.getByRole('textbox', { name: /^Project memo/ }).fill(`Russia wants results on drugs: ${link}`);
  await page.getByRole('button', { name: 'Save project memo' }).click();
  const list = page.getByRole('list', { name: 'All memos' });
  await expect(list).toContainText('Project memo');
  await list.getByRole('button', { name: /Open the linked passage/ }).click();
  await expect(reader.sidebar.getByRole('group', { name: 'Selected highlight' })).toContainText(
    'Linked from: the project memo',
  );

  await view(page, 'Library').click();
  await page
    .getByRole('button', { name: /^Edit details of/ })
    .first()
    .click();
  const details = page.getByRole('dialog', { name: 'Document details' });
  await details.getByRole('combobox', { name: 'Attribute 1 name' }).fill('country');
  await details.getByRole('textbox', { name: 'Attribute 1 value' }).fill('Russia');
  await details.getByRole('textbox', { name: /^Document memo/ }).fill('Nikkei, Moscow bureau.');
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(details).toBeHidden();
  const filter = page.getByRole('textbox', { name: 'Filter documents' });
  await filter.fill('country=russia');
  await expect(page.getByRole('row')).toHaveCount(2); // header + the document
  await filter.fill('country=France');
  await expect(page.getByText('No document matches')).toBeVisible();
  await view(page, 'Memos').click();
  await expect(page.getByRole('list', { name: 'All memos' })).toContainText('Nikkei, Moscow bureau.');
});

test('a .qdc codebook imported in the library reaches the open reader at once, nested, with descriptions', async ({
  reader,
  page,
}) => {
  // A codebook as QualCoder and other REFI-QDA tools write one (nested Code elements, a Description).
  const qdc = `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test">
  <Codes>
    <Code guid="3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b" name="Governance" isCodable="true" color="#8e5cc7">
      <Description>How power is exercised.</Description>
      <Code guid="4a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d" name="Recognition" isCodable="true" color="#1a9ba1"/>
    </Code>
  </Codes>
</CodeBook>`;
  const library = new LibraryPage(page);
  await library.show();
  await library.importFiles([{ name: 'codes.qdc', mimeType: 'application/xml', buffer: Buffer.from(qdc) }]);
  await expect(library.report).toContainText('codes.qdc');
  await view(page, 'Reader').click();
  await expect(reader.tagButton('Governance')).toBeVisible();
  await expect(reader.tagButton('Recognition')).toBeVisible();
  await view(page, 'Codebook').click();
  await expect(
    page.getByRole('list', { name: 'Codes' }).getByRole('button', { name: 'Governance / Recognition, 0 highlights' }),
  ).toBeVisible();
  await page
    .getByRole('list', { name: 'Codes' })
    .getByRole('button', { name: /^Governance, / })
    .click();
  await expect(page.getByRole('textbox', { name: /^Description/ })).toHaveValue('How power is exercised.');
});
