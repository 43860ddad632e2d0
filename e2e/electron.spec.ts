import { rm } from 'node:fs/promises';
import { _electron as electron } from '@playwright/test';
import { test, expect } from '@playwright/test';
import { freshDir, ROOT } from './support/glossa';
import { findElectron } from './support/electron-binary';
import { ReaderPage } from './pages/reader';
import { methodNames } from '../src/shared/api';
import type {} from '../src/renderer/src/lib/connect';

const found = findElectron();

test.describe('the desktop app (Electron)', () => {
  test.skip('reason' in found, 'reason' in found ? found.reason : '');

  test('opens the seed article, tags a passage and keeps it across a restart', async () => {
    if (!('path' in found)) return;
    const dataDir = await freshDir();
    const launch = () =>
      electron.launch({ executablePath: found.path, args: [ROOT, `--data-dir=${dataDir}`], cwd: ROOT });
    try {
      let app = await launch();
      let page = await app.firstWindow();
      let reader = new ReaderPage(page);
      await reader.paragraphs().first().waitFor();
      await expect(reader.paragraphs()).toHaveCount(39);
      // The page sees exactly the contract's methods and nothing of Node.
      expect(await page.evaluate(() => Object.keys(window.glossa ?? {}).sort())).toEqual([...methodNames].sort());
      expect(
        await page.evaluate(() => [
          typeof (globalThis as { require?: unknown }).require,
          typeof (globalThis as { process?: unknown }).process,
        ]),
      ).toEqual(['undefined', 'undefined']);

      await reader.selectWithMouse('combat drug traffickers');
      await page.keyboard.press('3');
      await expect(reader.highlightItems).toHaveCount(1);
      await app.close();

      app = await launch();
      page = await app.firstWindow();
      reader = new ReaderPage(page);
      await expect(reader.marks.filter({ hasText: 'combat drug traffickers' })).toHaveCount(1);
      await app.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
