import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Adapter } from 'lowdb';
import { GlossaError } from '../../shared/errors';

/**
 * Writes `content` so that after this resolves the file holds exactly it, even across a crash or
 * power cut: a temp file beside the target is written and fsynced, renamed over the target (atomic
 * on one file system), and the directory is fsynced so the rename itself is durable. Before it
 * resolves, readers see the old file whole.
 */
export async function writeFileDurably(path: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; there the rename is as durable as it gets.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Moves a file that cannot be read out of the way, keeping it for the user; returns where it went. */
export async function keepAside(path: string, now: Date = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${path}.corrupt-${stamp}`;
  await rename(path, aside);
  return aside;
}

export class CorruptFileError extends GlossaError {
  readonly keptAt: string;

  constructor(path: string, keptAt: string, reason: string) {
    super('CORRUPT_FILE', `${basename(path)} could not be read (${reason}); it was kept as ${keptAt}.`);
    this.keptAt = keptAt;
  }
}

/**
 * A lowdb adapter for one JSON file that (unlike lowdb's own) fsyncs before reporting a write as
 * done, serialises writes, and never overwrites a file it could not read: an unparsable or
 * invalid file is moved aside and reported with CorruptFileError.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly validate: (data: unknown) => T,
    /** The file's bytes (ending in a newline), or JSON text that gets one. */
    private readonly serialize: (data: T) => string | Uint8Array = (data) => JSON.stringify(data),
    /** False on a disk that takes no writes: a bad file is reported where it is, not moved. */
    private readonly setAside = true,
  ) {}

  async read(): Promise<T | null> {
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let data: T;
    try {
      data = this.validate(JSON.parse(raw));
    } catch (error) {
      const keptAt = this.setAside ? await keepAside(this.path) : this.path;
      const reason = error instanceof SyntaxError ? 'it is not valid JSON' : (error as Error).message;
      throw new CorruptFileError(this.path, keptAt, reason);
    }
    return data;
  }

  write(data: T): Promise<void> {
    // Compact: documents with thousands of highlights are rewritten on every change.
    const out = this.serialize(data);
    const content = typeof out === 'string' ? `${out}\n` : out;
    const next = this.queue.then(() => writeFileDurably(this.path, content));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
