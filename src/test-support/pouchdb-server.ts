import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// A real CouchDB-compatible server (pouchdb-server: express-pouchdb over PouchDB) for sync tests:
// each test starts its own on a free 127.0.0.1 port with a temp directory, and stops it.

export interface TestCouch {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** SIGKILL: the server vanishes mid-whatever, as a crash or a pulled cable would do. */
  kill(): void;
  /** The same server on the same port and directory again, after stop or kill. */
  restart(): Promise<void>;
}

const BIN = resolve('node_modules/pouchdb-server/bin/pouchdb-server');

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited (${child.exitCode}): ${log()}`);
    try {
      const answer = await fetch(url);
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pouchdb-server did not start in 20 s: ${log()}`);
}

/** Starts pouchdb-server; `admin` ends the "admin party", so unauthenticated writes are refused. */
export async function startCouch(options: { admin?: { user: string; password: string } } = {}): Promise<TestCouch> {
  const dir = await mkdtemp(join(tmpdir(), 'glossa-couch-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let output = '';
  const start = async () => {
    output = '';
    child = spawn(
      process.execPath,
      [
        BIN,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--dir',
        dir,
        '--config',
        join(dir, 'config.json'),
        '--no-color',
      ],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitUntilUp(url, child, () => output);
  };
  await start();
  if (options.admin) {
    const { user, password } = options.admin;
    const made = await fetch(`${url}/_config/admins/${encodeURIComponent(user)}`, {
      method: 'PUT',
      body: JSON.stringify(password),
      headers: { 'content-type': 'application/json' },
    });
    if (!made.ok) throw new Error(`could not make an admin: ${made.status} ${await made.text()}`);
  }
  const exited = () =>
    new Promise<void>((r) =>
      child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
    );
  return {
    url,
    port,
    kill: () => child.kill('SIGKILL'),
    restart: start,
    stop: async () => {
      child.kill('SIGTERM');
      await exited();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
