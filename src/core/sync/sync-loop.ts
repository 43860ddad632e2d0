import type { ProjectConflict, ProjectStatus, SyncReport } from '../../shared/project-docs';
import type { LibraryStore } from '../store/library-store';
import { projectStatus, readProject } from './project-file';

// Sync while the app runs: every change is made locally first, as always; this sends it soon after
// (a short pause, so a burst of edits goes as one sync) and asks the server for news every so
// often. A failed sync (offline, say) is simply tried again at the next turn; PouchDB's checkpoints
// mean nothing already sent is sent again. One sync at a time per library.
//
// The password lives in this object only: given with share, join or a sync (or GLOSSA_PASSWORD in
// web mode, or the desktop's safeStorage), never written by Glossa in plain text.

// PouchDB and LevelDB load with the first sync; the status and the checks before a sync read
// project.json only (project-file.ts).
const project = () => import('./project');

export interface LoopOptions {
  /** How often to sync in any case (a safety net: changes and news start one sooner). */
  intervalMs?: number;
  /** How long after a local change to send it. */
  settleMs?: number;
  /** How often to ask the server whether anything is new (one small request; a sync only if so). */
  pollMs?: number;
}

export class ProjectSync {
  private password: string | undefined;
  private running: Promise<unknown> | null = null;
  private isSyncing = false;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;
  private poller: ReturnType<typeof setInterval> | undefined;
  private seenSeq: string | null = null;
  /** Documents changed here since the last sync ('all': not known, look at every one). */
  private changed: Set<string> | 'all' = 'all';

  constructor(
    private readonly lib: LibraryStore,
    private readonly dataDir: string,
  ) {
    // Which documents changed is followed from the start, loop or not: a sync asked for by hand
    // sends them too. Every change counts, including those a sync writes while applying (those
    // publish nothing, since they match what is known, but an edit made meanwhile must be seen).
    lib.subscribe((event) => {
      if (event.project) return;
      if (event.documentId && this.changed !== 'all') this.changed.add(event.documentId);
      else if (!event.documentId) this.changed = 'all';
    });
  }

  get syncing(): boolean {
    return this.isSyncing;
  }

  remember(password: string | undefined): void {
    if (password !== undefined) this.password = password;
  }

  /** Runs `work` as the one sync of this library, then lets anyone waiting know the status changed. */
  private async exclusive<T>(work: (password: string | undefined) => Promise<T>, syncing = true): Promise<T> {
    while (this.running) await this.running.catch(() => undefined);
    const run = work(this.password);
    this.running = run;
    this.isSyncing = syncing;
    // Only a sync changes what the status says. Listing conflicts must not announce a change: the
    // app reads the conflicts again on each announcement, which would never end.
    if (syncing) this.lib.emit({ project: true });
    try {
      return await run;
    } finally {
      this.running = null;
      this.isSyncing = false;
      if (syncing) this.lib.emit({ project: true });
    }
  }

  /**
   * Settles a conflict between syncs, never during one: a sync under way would otherwise write back
   * the conflict list it read before the settling.
   */
  /** The conflicts, read between syncs: the replica is not opened twice at once. */
  conflicts(): Promise<ProjectConflict[]> {
    return this.exclusive(async () => (await import('./conflicts')).listConflicts(this.dataDir), false);
  }

  resolve(input: { id: string; keep?: string; merge?: boolean }): Promise<ProjectConflict[]> {
    return this.exclusive(async () => {
      const left = await (await import('./conflicts')).resolveConflict(this.lib, this.dataDir, input);
      // Settling changes the status (one conflict fewer): every window hears it once.
      this.lib.emit({ project: true });
      return left;
    }, false);
  }

  share(input: { server: string; db: string; user?: string; password?: string }): Promise<SyncReport> {
    return this.exclusive(async () => {
      const report = await (await project()).shareProject(this.lib, this.dataDir, input);
      this.remember(input.password);
      return report;
    });
  }

  join(input: { server: string; db: string; user?: string; password?: string }): Promise<SyncReport> {
    return this.exclusive(async () => {
      const report = await (await project()).joinProject(this.lib, this.dataDir, input);
      this.remember(input.password);
      return report;
    });
  }

  sync(password?: string): Promise<SyncReport> {
    return this.exclusive(async (remembered) => {
      const changed = this.changed;
      this.changed = new Set();
      try {
        const report = await (
          await project()
        ).syncProject(this.lib, this.dataDir, { password: password ?? remembered }, changed);
        this.remember(password);
        return report;
      } catch (error) {
        // Not sent: those documents are still to look at next time.
        const since = this.changed as Set<string> | 'all';
        this.changed = changed === 'all' || since === 'all' ? 'all' : new Set([...changed, ...since]);
        throw error;
      }
    });
  }

  /** Blind coding on or off, sent to the team with a sync at once. */
  setBlind(blind: boolean, password?: string): Promise<SyncReport> {
    return this.exclusive(async (remembered) => {
      const p = await project();
      await p.setBlind(this.dataDir, blind);
      return p.syncProject(this.lib, this.dataDir, { password: password ?? remembered });
    });
  }

  async status(): Promise<(ProjectStatus & { syncing: boolean; auto: boolean }) | null> {
    const saved = await projectStatus(this.dataDir);
    return saved && { ...saved, syncing: this.syncing, auto: this.timer !== undefined };
  }

  /** Keeps the project in sync until stop(): soon after each local change, and every intervalMs. */
  start(options: LoopOptions = {}, password?: string): void {
    this.remember(password);
    if (this.timer) return;
    const { intervalMs = 30_000, settleMs = 1_500, pollMs = 3_000 } = options;
    const tick = () => void this.syncIfProject();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref?.();
    this.poller = setInterval(() => void this.pollServer(), pollMs);
    this.poller.unref?.();
    this.unsubscribe = this.lib.subscribe((event) => {
      if (event.project) return;
      clearTimeout(this.pending);
      this.pending = setTimeout(tick, settleMs);
      this.pending.unref?.();
    });
    tick();
  }

  /** Ends the loop, after the sync under way (if any) has finished: a library closes whole. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.poller);
    clearTimeout(this.pending);
    this.unsubscribe?.();
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Syncs when the server's sequence moved since the last look: news from the team, fetched soon. */
  private async pollServer(): Promise<void> {
    if (this.running) return;
    // A library that is no team project asks nothing of anyone (and loads no PouchDB).
    if (!(await readProject(this.dataDir))) return;
    const seq = await (await project()).remoteSeq(this.dataDir, { password: this.password });
    if (seq === null || seq === this.seenSeq) return;
    const first = this.seenSeq === null;
    this.seenSeq = seq;
    if (!first) await this.syncIfProject();
  }

  private async syncIfProject(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    if (!(await readProject(this.dataDir))) return;
    // A failure is recorded in the status (offline, error) and tried again at the next turn.
    await this.sync().catch(() => undefined);
    if (this.again) {
      this.again = false;
      void this.syncIfProject();
    }
  }
}
