import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base } from '@playwright/test';
import { ReaderPage } from '../pages/reader';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'glossa.js');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `glossa` command, as a user would. */
export function runGlossa(args: string[], options: { killAfterMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    if (options.killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface WebMode {
  /** The one-time launch address the server printed: it opens a session in the first browser that uses it. */
  url: string;
  /** The app's address without a launch code (for pages of a browser that already has the session). */
  origin: string;
  dataDir: string;
  process: ChildProcess;
  /** Sends SIGTERM and waits: the server must finish its writes and exit 0. */
  stop(): Promise<number | null>;
}

/** Starts `glossa serve` on a fresh library and waits for its one line. */
export async function startWebMode(dataDir: string): Promise<WebMode> {
  const child = spawn(process.execPath, [BIN, 'serve', '--no-open', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^Glossa is running at (http:\/\/127\.0\.0\.1:\d+\/\?launch=[\w-]+)\n/.exec(out);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`glossa serve exited (${code}) before starting: ${stderr}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    process: child,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function freshDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'glossa-e2e-'));
}

export const MULTISCRIPT = join(ROOT, 'e2e', 'fixtures', 'multiscript.txt');

/**
 * A test with its own running web-mode Glossa on a fresh library; `importFirst` lists files the
 * library gets with `glossa import` before the server starts.
 */
export const test = base.extend<{ glossa: WebMode; importFirst: string[]; reader: ReaderPage }>({
  importFirst: [[], { option: true }],
  glossa: async ({ importFirst }, use) => {
    const dir = await freshDir();
    if (importFirst.length > 0) {
      const imported = await runGlossa(['import', ...importFirst, '--data-dir', dir]);
      if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    }
    const app = await startWebMode(dir);
    await use(app);
    if (app.process.exitCode === null) await app.stop();
    await rm(dir, { recursive: true, force: true });
  },
  /** The reader page object, already opened on this test's Glossa. */
  reader: async ({ page, glossa }, use) => {
    const reader = new ReaderPage(page);
    await reader.open(glossa.url);
    await use(reader);
  },
});

export { expect } from '@playwright/test';
