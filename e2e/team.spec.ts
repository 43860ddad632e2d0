import AxeBuilder from '@axe-core/playwright';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, runGlossa, startWebMode } from './support/glossa';
import { ReaderPage } from './pages/reader';
import { startCouch } from '../src/test-support/pouchdb-server';

// A team of two on the real stack: two web-mode Glossas, each with its own library, syncing
// through a real CouchDB-compatible server (pouchdb-server on 127.0.0.1), driven in Chromium.

/** The highlights the project's database holds, read from the server directly. */
async function highlightsOnServer(url: string): Promise<{ note: string }[]> {
  const answer = await fetch(`${url}/fieldwork/_all_docs?include_docs=true`);
  const { rows } = (await answer.json()) as { rows: { id: string; doc: { highlight?: { note: string } } }[] };
  return rows.filter((r) => r.id.startsWith('highlight:')).map((r) => ({ note: r.doc.highlight?.note ?? '' }));
}

function view(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
}

test('share from the Team screen, a colleague codes, sync shows their highlights; agreement and the navigator settle a difference', async ({
  reader,
  page,
  browser,
}, testInfo) => {
  const couch = await startCouch();
  const benDir = await mkdtemp(join(tmpdir(), 'glossa-ben-'));
  try {
    // Ana names herself and shares her library from the Team screen.
    await view(page, 'Team').click();
    const team = page.getByRole('region', { name: 'Team', exact: true });
    await team.getByRole('textbox', { name: 'Your name as coder' }).fill('Ana');
    await team.getByRole('button', { name: 'Save name' }).click();
    await expect(team.getByText('New highlights are marked as Ana’s.')).toBeVisible();
    const share = team.getByRole('form', { name: 'Share this library' });
    await share.getByRole('textbox', { name: 'Server address' }).fill(couch.url);
    await share.getByRole('textbox', { name: 'Database name' }).fill('fieldwork');
    await share.getByRole('button', { name: 'Share…' }).click();
    await expect(team.getByText(/^Synced just now/)).toBeVisible();
    await expect(page.getByRole('button', { name: /^Team sync: Synced/ })).toBeVisible();

    // Ana codes a passage.
    await view(page, 'Reader').click();
    await reader.selectWithMouse('surrounded the Russian Embassy in Kabul');
    await page.keyboard.press('1');
    await expect(reader.highlightItems).toHaveCount(1);

    // Ben joins into a new folder (the documented way: glossa project join), then opens Glossa.
    const joined = await runGlossa([
      'project',
      'join',
      `${couch.url}/fieldwork`,
      '--coder',
      'Ben',
      '--data-dir',
      benDir,
    ]);
    expect(joined.stderr).toBe('');
    const ben = await startWebMode(benDir);
    const benContext = await browser.newContext();
    try {
      const benReader = new ReaderPage(await benContext.newPage());
      await benReader.open(ben.url);
      // Ana's highlight may still be on its way (her app sends it a moment after she made it).
      await benReader.page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('button', { name: 'Team', exact: true })
        .click();
      await benReader.page.getByRole('button', { name: 'Sync now' }).click();
      await benReader.page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('button', { name: 'Reader', exact: true })
        .click();
      await expect(benReader.highlightItems).toHaveCount(1);
      // Ben codes the same passage a little shorter.
      await benReader.selectWithMouse('surrounded the Russian Embassy');
      await benReader.page.keyboard.press('1');
      await expect(benReader.highlightItems).toHaveCount(2);
      await benReader.page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('button', { name: 'Team', exact: true })
        .click();
      await benReader.page.getByRole('button', { name: 'Sync now' }).click();
      // Sent by this sync or already by the app's own loop (1.5 s after the change): the server has it.
      await expect.poll(() => highlightsOnServer(couch.url)).toHaveLength(2);
    } finally {
      await benContext.close();
      await ben.stop();
    }

    // Ana syncs (her app may already have: it looks for news every 3 s) and sees Ben's highlight in
    // her reader, without a reload.
    await view(page, 'Team').click();
    await team.getByRole('button', { name: 'Sync now' }).click();
    await expect(team.getByRole('status').filter({ hasText: /^Sent \d+, received/ })).toBeVisible();
    await view(page, 'Reader').click();
    await expect(reader.highlightItems).toHaveCount(2);
    // Whose highlights show: everyone's, only mine, or chosen coders'; each item names its coder.
    const coders = reader.sidebar.getByRole('group', { name: 'Show coders' });
    await coders.getByRole('radio', { name: 'Only mine (Ana)' }).check();
    await expect(reader.highlightItems).toHaveCount(1);
    await expect(reader.highlightItems.first()).toHaveAccessibleName(/tagged security — by Ana$/);
    await coders.getByRole('checkbox', { name: 'Ben' }).check();
    await expect(reader.highlightItems).toHaveCount(1);
    await expect(reader.highlightItems.first()).toHaveAccessibleName(/tagged security — by Ben$/);
    await coders.getByRole('radio', { name: 'Everyone' }).check();
    await expect(reader.highlightItems).toHaveCount(2);

    // Agreement: the measures, and the one passage where they differ, side by side.
    await view(page, 'Team').click();
    const panel = page.getByRole('region', { name: 'Agreement between coders' });
    await expect(panel.getByRole('checkbox', { name: 'Ana (1)' })).toBeChecked();
    await expect(panel.getByRole('checkbox', { name: 'Ben (1)' })).toBeChecked();
    const table = panel.getByRole('table');
    await expect(table.getByRole('row', { name: /^security/ })).toBeVisible();
    const navigator = panel.getByRole('group', { name: 'Where they differ' });
    await expect(navigator.getByRole('status')).toHaveText('Passage 1 of 1 · 0 settled');
    await expect(navigator.getByRole('region', { name: 'Ana’s version' })).toContainText(
      'surrounded the Russian Embassy in Kabul',
    );
    await expect(navigator.getByRole('region', { name: 'Ben’s version' })).toContainText(
      'surrounded the Russian Embassy',
    );
    await navigator.getByRole('button', { name: 'Adopt Ben’s version' }).click();
    await expect(navigator.getByRole('status')).toHaveText('Passage 1 of 1 · 1 settled');
    await expect(navigator).toContainText('Adopted: “surrounded the Russian Embassy” (security)');

    // A conflict: Ana notes Ben's highlight here while Ben, offline, notes it too (by the CLI on his
    // own library); after both sync, both versions are kept, the reader marks the highlight, and
    // the Team screen settles it.
    await view(page, 'Reader').click();
    await reader.highlightItems.filter({ hasText: 'Ben' }).first().click();
    await page.keyboard.press('n');
    const note = reader.sidebar.getByRole('textbox', { name: /^Note/ });
    await note.fill('Ana: the embassy, not Kabul');
    await page.keyboard.press('Control+Enter');
    await expect(reader.status).toHaveText('Note saved.');
    await view(page, 'Team').click();
    await team.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(async () => (await highlightsOnServer(couch.url)).map((h) => h.note))
      .toContain('Ana: the embassy, not Kabul');
    const benNote = await runGlossa([
      'highlight',
      (await runGlossa(['docs', '--json', '--data-dir', benDir]).then((r) => JSON.parse(r.stdout)[0].id)) as string,
      '--quote',
      'surrounded the Russian Embassy',
      '--tag',
      'security',
      '--note',
      'Ben: the embassy only',
      '--data-dir',
      benDir,
    ]);
    expect(benNote.stderr).toBe('');
    expect((await runGlossa(['project', 'sync', '--data-dir', benDir])).stderr).toBe('');
    await team.getByRole('button', { name: 'Sync now' }).click();
    const conflict = team.getByRole('article', { name: 'Highlight “surrounded the Russian Embassy”' });
    await expect(conflict.getByRole('region')).toHaveCount(2);
    await conflict.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('team-conflict.png') });
    await expect(page.getByRole('button', { name: /^Team sync: Synced .* · 1 to settle$/ })).toBeVisible();
    await view(page, 'Reader').click();
    await expect(reader.highlightItems.filter({ hasText: 'Conflict' })).toHaveAccessibleName(/— in conflict$/);
    await reader.highlightItems.filter({ hasText: 'Conflict' }).click();
    await page.screenshot({ path: testInfo.outputPath('reader-conflict.png') });
    await reader.sidebar.getByRole('button', { name: 'Settle the conflict…' }).click();
    await conflict.getByRole('button', { name: 'Merge: all codes, every note' }).click();
    await expect(team.getByText('None: no two people changed the same thing while apart.')).toBeVisible();
    await view(page, 'Reader').click();
    await expect(reader.highlightItems.filter({ hasText: 'Conflict' })).toHaveCount(0);

    await view(page, 'Team').click();
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
      [],
    );
    const shot = testInfo.outputPath('team.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('team', { path: shot, contentType: 'image/png' });
  } finally {
    await couch.stop();
    await rm(benDir, { recursive: true, force: true });
  }
});
