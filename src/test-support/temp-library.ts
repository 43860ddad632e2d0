import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Library } from '../core/library';
import { afterThisTest } from './cleanup';

/** The repo's data/ folder: the seed article every new library starts with. */
export const SEED_DIR = fileURLToPath(new URL('../../data', import.meta.url));
export const SEED_FILE = join(SEED_DIR, '000_6a4053b3925a4b14.txt');

/** A fresh, real library directory for one test; `cleanup` closes what it opened and deletes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'glossa-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function openTempLibrary(): Promise<{ dir: string; library: Library; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir();
  const library = await Library.open({ dataDir: dir, owner: 'test', seedDir: SEED_DIR });
  return {
    dir,
    library,
    cleanup: async () => {
      await library.close();
      await cleanup();
    },
  };
}

/** A library with the seed article for this test (closed and deleted after it), and the seed's id. */
export async function freshLibrary() {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  const [seed] = await t.library.listDocuments();
  return { ...t, seedId: seed.id };
}

/** Opens an existing library folder again, as a new start of Glossa would; closed after the test. */
export async function reopenLibrary(dir: string): Promise<Library> {
  const library = await Library.open({ dataDir: dir, owner: 'test', seedDir: SEED_DIR });
  afterThisTest(() => library.close());
  return library;
}

/** A new library with no document in it (as one that joins a team project starts), closed and deleted after the test. */
export async function emptyLibrary(options: { coder?: string; now?: () => Date } = {}) {
  const { dir, cleanup } = await tempDir();
  const library = await Library.open({ dataDir: dir, owner: 'test', ...(options.now ? { now: options.now } : {}) });
  afterThisTest(async () => {
    await library.close();
    await cleanup();
  });
  if (options.coder) await library.setCoder({ coder: options.coder });
  return { dir, library };
}
