import { defineConfig } from '@playwright/test';
import { chromiumPath } from './e2e/support/browser';

// Playwright cannot download its browsers on our machines, so e2e runs in the system's Chromium
// (Debian's `chromium` package; CHROMIUM_PATH overrides). Flags keep it from phoning home.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    // A failure keeps its trace (test-results/e2e/…/trace.zip): a flaky test is a bug to find.
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
