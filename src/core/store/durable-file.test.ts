import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../../test-support/cleanup';
import { tempDir } from '../../test-support/temp-library';
import { CorruptFileError, DurableJsonFile, writeFileDurably } from './durable-file';

async function dir() {
  const t = await tempDir();
  afterThisTest(t.cleanup);
  return t.dir;
}

describe('writeFileDurably', () => {
  it('replaces a file whole and leaves no temp file', async () => {
    const d = await dir();
    const path = join(d, 'a.json');
    await writeFileDurably(path, 'old');
    await writeFileDurably(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(d)).toEqual(['a.json']);
  });

  it('leaves the old file intact when the write fails', async () => {
    const d = await dir();
    const path = join(d, 'sub', 'a.json');
    await expect(writeFileDurably(path, 'x')).rejects.toThrow();
    const existing = join(d, 'b.json');
    await writeFile(existing, 'keep');
    await rm(d, { recursive: true });
    await expect(writeFileDurably(existing, 'lost')).rejects.toThrow();
  });
});

describe('DurableJsonFile', () => {
  it('reads nothing from a missing file', async () => {
    const d = await dir();
    expect(await new DurableJsonFile(join(d, 'none.json'), (x) => x).read()).toBeNull();
  });

  it('serialises concurrent writes so the last one wins whole', async () => {
    const d = await dir();
    const file = new DurableJsonFile<{ n: number }>(join(d, 'x.json'), (x) => x as { n: number });
    await Promise.all(Array.from({ length: 20 }, (_, n) => file.write({ n })));
    expect(await file.read()).toEqual({ n: 19 });
  });

  it('moves an invalid file aside with the reason, never reading it as data', async () => {
    const d = await dir();
    const path = join(d, 'x.json');
    await writeFile(path, '[1, 2');
    const error = await new DurableJsonFile(path, (x) => x).read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptFileError);
    expect((error as CorruptFileError).message).toMatch(/not valid JSON/);
    expect(await readFile((error as CorruptFileError).keptAt, 'utf8')).toBe('[1, 2');
    expect(await readdir(d)).not.toContain('x.json');
  });
});
