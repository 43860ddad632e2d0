import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { BIN, ROOT } from '../e2e/support/glossa';
import { clientFromBridge } from '../src/shared/client';
import { createHttpBridge, SESSION_COOKIE, TOKEN_HEADER } from '../src/shared/http-bridge';

/**
 * `glossa serve` as a user runs it: its own process (so its resident memory is its own), reached
 * over HTTP with the session a launch address gives.
 */
export interface Served {
  /** Calls a method and reads the whole answer; returns the milliseconds that took and the answer. */
  call(method: string, input: unknown): Promise<{ ms: number; body: string }>;
  /**
   * Opens a document as the app's page does — its own HTTP client asks, receives, parses and
   * unpacks it (view-wire.ts) — and returns the milliseconds that took.
   */
  open(documentId: string): Promise<number>;
  /** The server process's resident memory, in MB (from /proc). */
  rssMB(): Promise<number>;
  /** The app's address, and the session a browser context needs (set as its cookie). */
  origin: string;
  cookie: { name: string; value: string; url: string };
  /** Ends the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

export async function serve(dataDir: string): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--no-open', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c) => (stderr += c));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const launch = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?launch=[\w-]+)/.exec(out);
      if (match) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`glossa serve (${dataDir}) exited before starting: ${stderr}`)));
  });
  const origin = new URL(launch).origin;
  const opened = await fetch(launch, { redirect: 'manual' });
  const cookie = opened.headers.get('set-cookie') ?? '';
  const token = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(cookie)?.[1];
  if (!token) throw new Error(`the launch address gave no session (${opened.status})`);
  return {
    origin,
    cookie: { name: SESSION_COOKIE, value: token, url: origin },
    async call(method, input) {
      const t0 = performance.now();
      const response = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token, Origin: origin },
        body: JSON.stringify(input),
      });
      const body = await response.text();
      const ms = performance.now() - t0;
      if (!response.ok) throw new Error(`${method} failed: ${body.slice(0, 300)}`);
      return { ms, body };
    },
    async open(documentId) {
      const client = clientFromBridge(createHttpBridge({ token, baseUrl: origin }));
      const t0 = performance.now();
      const view = await client.getDocument({ documentId });
      const ms = performance.now() - t0;
      if (view.meta.id !== documentId) throw new Error(`getDocument(${documentId}) answered ${view.meta.id}`);
      return ms;
    },
    async rssMB() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kb / 1024;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Wall time of a command run as a process, from spawn to exit (what a person at a shell waits). */
export function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      if (code === 0) resolve(performance.now() - t0);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}
