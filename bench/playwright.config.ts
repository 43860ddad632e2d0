import { defineConfig } from '@playwright/test';
import baseConfig from '../playwright.config';

// The benchmark runs in the same system Chromium as the e2e tests, one worker, no retries.
export default defineConfig({
  ...baseConfig,
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: '../test-results/bench',
  timeout: 30 * 60_000,
  workers: 1,
  // Tracing would be measured along with the app.
  use: { ...baseConfig.use, trace: 'off' },
  reporter: [['list']],
});
