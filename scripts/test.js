#!/usr/bin/env node
// The one test command (`npm test`): typecheck, lint, unit, build, e2e — every stage runs, and the
// last line sums them up as "N passed, N failed, N skipped". A check stage (tsc, svelte-check,
// eslint, prettier, build) counts as one test; vitest and Playwright count their own tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const OUT = '.test-output';
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const skips = [];

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env }, shell: false });
  return result.status === 0;
}

function check(label, command, args, env = {}) {
  if (run(label, command, args, env)) totals.passed++;
  else {
    totals.failed++;
    failures.push(label);
  }
}

const bin = (name) => join('node_modules', '.bin', name);

check('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
check('typecheck (svelte-check)', bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--fail-on-warnings']);
check('lint (eslint)', bin('eslint'), ['--max-warnings', '0', '.']);
check('format (prettier)', bin('prettier'), ['--check', '.']);

// Unit tests.
const vitestJson = join(OUT, 'vitest.json');
run('unit (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults) {
    // A skipped unit test names its reason in its title ("… (needs …)").
    for (const a of file.assertionResults)
      if (a.status === 'pending' || a.status === 'skipped') skips.push(`unit: ${a.fullName}`);
    // A file that fails to load has no test results but must still count as a failure.
    if (file.status === 'failed' && file.assertionResults.every((a) => a.status !== 'failed')) {
      totals.failed++;
      failures.push(`unit file ${file.name}`);
    }
    for (const a of file.assertionResults) if (a.status === 'failed') failures.push(`unit: ${a.fullName}`);
  }
} else {
  totals.failed++;
  failures.push('unit (vitest produced no report)');
}

// Build, then end-to-end tests on the built app.
const built = run('build (electron-vite)', bin('electron-vite'), ['build']);
if (built) totals.passed++;
else {
  totals.failed++;
  failures.push('build');
}

const playwrightJson = join(OUT, 'playwright.json');
if (built) {
  run('e2e (playwright)', bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });
  if (existsSync(playwrightJson)) {
    const report = JSON.parse(readFileSync(playwrightJson, 'utf8'));
    totals.passed += report.stats.expected + report.stats.flaky;
    totals.failed += report.stats.unexpected;
    totals.skipped += report.stats.skipped;
    const visit = (suite) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests) {
          if (t.status === 'skipped') {
            const why = t.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given';
            skips.push(`e2e: ${spec.title} — ${why}`);
          }
          if (t.status === 'unexpected') failures.push(`e2e: ${spec.title}`);
        }
      }
      for (const child of suite.suites ?? []) visit(child);
    };
    for (const suite of report.suites) visit(suite);
    if (report.errors?.length) {
      totals.failed += report.errors.length;
      failures.push(...report.errors.map((e) => `e2e error: ${e.message?.split('\n')[0]}`));
    }
  } else {
    totals.failed++;
    failures.push('e2e (playwright produced no report)');
  }
}

// The benchmark in its quick mode: it asserts no timings (those are noise on a shared machine),
// but it must still run end to end, so it cannot rot.
if (built)
  check('bench (quick mode)', bin('playwright'), ['test', '--config', 'bench/playwright.config.ts'], {
    BENCH_QUICK: '1',
  });

console.log('\n──────── summary ────────');
for (const s of skips) console.log(`skipped: ${s}`);
for (const f of failures) console.log(`failed: ${f}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
