import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Inside the repository, so the bundle's runtime dependencies resolve from node_modules. */
const OUT = join(ROOT, 'node_modules', '.cache', 'glossa-test');

/**
 * Builds a TypeScript entry into one runnable ES module, for tests that need the real code in a
 * separate process or worker thread (a crash test's writer, the import worker). The same bundler
 * as the app's build (rolldown, under electron-vite); runtime dependencies stay packages, as there.
 */
export async function bundleForNode(entry: string, name: string): Promise<string> {
  await mkdir(OUT, { recursive: true });
  const file = join(OUT, `${name}.mjs`);
  await build({
    input: join(ROOT, entry),
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    // One file: the app's modules load some code on first use (dynamic imports), which would make chunks.
    output: { file, format: 'esm', codeSplitting: false },
    logLevel: 'silent',
  });
  return file;
}
