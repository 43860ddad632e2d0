import { fileURLToPath } from 'node:url';
import { runCli } from './cli';

// Built to out/main/cli.js: the renderer is built beside it and the seed articles are in data/.
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Reads a line from the terminal with echo off: a password is never shown or kept in scrollback. */
async function askSecret(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  // The terminal leaves echo mode (readline takes it raw) before the prompt shows: a password typed
  // or pasted the instant the prompt appears is not echoed by the terminal either.
  const rl = createInterface({ input: process.stdin, terminal: true });
  const mute = rl as unknown as { _writeToOutput: (s: string) => void };
  mute._writeToOutput = () => undefined;
  process.stderr.write(prompt);
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => controller.abort());

// `glossa docs | head -3`: the reader went away; that ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  staticDir: here('../renderer'),
  seedDir: here('../../data'),
  importWorker: here('./import-worker.js'),
  signal: controller.signal,
  ...(process.stdin.isTTY ? { askSecret } : {}),
  openBrowser: async (url) => {
    // Loaded only for `serve --open`: every other command starts without it.
    const { default: open } = await import('open');
    await open(url);
  },
});
