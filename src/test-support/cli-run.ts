import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterThisTest } from './cleanup';
import { SEED_DIR, tempDir } from './temp-library';
import { Library } from '../core/library';
import { runCli } from '../cli/cli';

// Runs `glossa` commands in this process, as the CLI tests do: the same parsing, the same exit
// codes, output captured.

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function library(): Promise<string> {
  const t = await tempDir();
  afterThisTest(t.cleanup);
  return t.dir;
}

export function glossa(
  args: string[],
  extra: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; onStdout?: (s: string) => void } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  return runCli(args, {
    stdout: (s) => {
      stdout += s;
      extra.onStdout?.(s);
    },
    stderr: (s) => (stderr += s),
    env: extra.env ?? {},
    staticDir: SEED_DIR,
    seedDir: SEED_DIR,
    signal: extra.signal,
  }).then((code) => ({ code, stdout, stderr }));
}

export async function docId(dir: string): Promise<string> {
  const run = await glossa(['docs', '--json', '--data-dir', dir]);
  return JSON.parse(run.stdout)[0].id;
}

export async function storedDocument(dir: string, id: string) {
  const lib = await Library.open({ dataDir: dir, owner: 'test' });
  try {
    return await lib.getDocument(id);
  } finally {
    await lib.close();
  }
}

/** The library's files, to prove that a failed command changed nothing. */
export async function snapshot(dir: string): Promise<string> {
  const docs = await readdir(join(dir, 'documents'));
  const parts = await Promise.all(docs.map((d) => readFile(join(dir, 'documents', d), 'utf8')));
  return (await readFile(join(dir, 'library.json'), 'utf8')) + parts.join('');
}
