import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GlossaError } from '../shared/errors';

export const LOCK_FILE = 'glossa.lock';

interface LockInfo {
  pid: number;
  host: string;
  owner: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still a live holder.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as Partial<LockInfo>;
    if (typeof info.pid !== 'number') return null;
    return {
      pid: info.pid,
      host: String(info.host ?? ''),
      owner: String(info.owner ?? 'unknown'),
      since: String(info.since ?? ''),
    };
  } catch {
    return null;
  }
}

/**
 * One writer per library: a lock file created exclusively and holding the owner's pid. A lock left
 * by a process that has died on this host is taken over; a live holder gets a clear error naming it.
 */
export async function acquireLock(dir: string, owner: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), owner, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(JSON.stringify(mine));
      await handle.sync();
      await handle.close();
      return async () => {
        const current = await readLock(path);
        if (current?.pid === mine.pid && current.since === mine.since) await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readLock(path);
    const stale = holder ? holder.host === mine.host && !isAlive(holder.pid) : false;
    if (holder && !stale) {
      throw new GlossaError(
        'LOCKED',
        `The library at ${dir} is in use by ${holder.owner} (process ${holder.pid} on ${holder.host}, since ${holder.since}). Close it first.`,
      );
    }
    if (!holder) {
      // Unreadable lock: possibly being written this instant. Give the writer a moment once.
      if (attempt === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
    }
    await unlink(path).catch(() => undefined);
  }
  throw new GlossaError('LOCKED', `Could not lock the library at ${dir}; remove ${path} if no Glossa is running.`);
}
