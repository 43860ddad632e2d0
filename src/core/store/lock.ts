import { mkdir, open, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GlossaError } from '../../shared/errors';

export const LOCK_FILE = 'glossa.lock';
/** Held for the few milliseconds of a takeover, so only one process replaces a stale lock. */
const TAKEOVER_DIR = 'glossa.lock.takeover';
/** Inside the takeover mutex: who holds it, so a mutex left by a dead process is cleared at once. */
const TAKEOVER_HOLDER = 'holder';
/** A mutex with no holder written (its maker died between mkdir and the write) is cleared after this. */
const UNCLAIMED_TAKEOVER_MS = 2_000;
/** How long to keep trying while others take turns at the mutex before giving up. */
const ACQUIRE_PATIENCE_MS = 5_000;

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

async function readLock(path: string): Promise<{ info: LockInfo | null; raw: string } | null> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const info = JSON.parse(raw) as Partial<LockInfo>;
    if (typeof info.pid !== 'number') return { info: null, raw };
    return {
      info: {
        pid: info.pid,
        host: String(info.host ?? ''),
        owner: String(info.owner ?? 'unknown'),
        since: String(info.since ?? ''),
      },
      raw,
    };
  } catch {
    return { info: null, raw };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the lock file exclusively; false when one exists. A failed write leaves no empty lock. */
async function create(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    return true;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

/**
 * Whether a takeover mutex was left by a process that died holding it: its holder is a dead
 * process on this host, or no holder was ever written and it is older than UNCLAIMED_TAKEOVER_MS.
 * (A killed process left one in a test under load; the next start must not wait for it.)
 */
async function abandoned(mutex: string): Promise<boolean> {
  const holder = await readFile(join(mutex, TAKEOVER_HOLDER), 'utf8').catch(() => null);
  if (holder) {
    const [pid, host] = holder.split(' ');
    return host === hostname() && !isAlive(Number(pid));
  }
  const age = await stat(mutex).then(
    (s) => Date.now() - s.mtimeMs,
    () => 0,
  );
  return age > UNCLAIMED_TAKEOVER_MS;
}

/**
 * Runs `work` while holding the takeover mutex (a directory: mkdir is atomic and exclusive),
 * with its holder's pid written inside. An abandoned mutex is cleared for the next attempt.
 */
async function withTakeoverMutex<T>(dir: string, work: () => Promise<T>): Promise<T | 'busy'> {
  const mutex = join(dir, TAKEOVER_DIR);
  try {
    await mkdir(mutex);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (await abandoned(mutex)) await rm(mutex, { recursive: true, force: true }).catch(() => undefined);
    return 'busy';
  }
  try {
    await writeFile(join(mutex, TAKEOVER_HOLDER), `${process.pid} ${hostname()}`);
    return await work();
  } finally {
    await rm(mutex, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * One writer per library: a lock file created exclusively and holding the owner's pid. A lock left
 * by a process that has died on this host is taken over — atomically: several processes starting
 * after a crash all see the same stale lock, so the check "still the same stale lock?", its
 * removal and the new lock's creation happen under a mutex, and exactly one of them wins. A live
 * holder gets a clear error naming it.
 */
export async function acquireLock(dir: string, owner: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), owner, since: new Date().toISOString() };
  const content = JSON.stringify(mine);
  const release = async () => {
    const current = await readLock(path).catch(() => null);
    if (current?.raw === content) await unlink(path).catch(() => undefined);
  };
  const started = Date.now();
  for (let attempt = 0; attempt < 50 || Date.now() - started < ACQUIRE_PATIENCE_MS; attempt++) {
    if (await create(path, content)) return release;
    const holder = await readLock(path);
    if (!holder) continue; // Released between our two calls: try again.
    const { info } = holder;
    if (info && !(info.host === mine.host && !isAlive(info.pid))) {
      throw new GlossaError(
        'LOCKED',
        `The library at ${dir} is in use by ${info.owner} (process ${info.pid} on ${info.host}, since ${info.since}). Close it first.`,
      );
    }
    if (!info && attempt < 2) {
      // Unreadable lock: possibly being written this instant. Give the writer a moment.
      await pause(50);
      continue;
    }
    const won = await withTakeoverMutex(dir, async () => {
      const again = await readLock(path);
      if (again && again.raw !== holder.raw) return false; // Someone else took it over already.
      if (again) {
        await unlink(path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      }
      return create(path, content);
    });
    if (won === true) return release;
    await pause(5 + Math.random() * 20);
  }
  throw new GlossaError('LOCKED', `Could not lock the library at ${dir}; remove ${path} if no Glossa is running.`);
}
