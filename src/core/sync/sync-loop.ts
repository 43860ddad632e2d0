import type { ProjectStatus, SyncReport } from '../../shared/project-docs';
import type { LibraryStore } from '../store/library-store';

// Sync while the app runs: every change is made locally first, as always; this sends it soon after
// (a short pause, so a burst of edits goes as one sync) and asks the server for news every so
// often. A failed sync (offline, say) is simply tried again at the next turn; PouchDB's checkpoints
// mean nothing already sent is sent again. One sync at a time per library.
//
// The password lives in this object only: given with share, join or a sync (or GLOSSA_PASSWORD in
// web mode, or the desktop's safeStorage), never written by Glossa in plain text.

const project = () => import('./project');

export interface LoopOptions {
  /** How often to ask the server for news. */
  intervalMs?: number;
  /** How long after a local change to send it. */
  settleMs?: number;
}

export class ProjectSync {
  private password: string | undefined;
  private running: Promise<SyncReport> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;
  private applying = false;

  constructor(
    private readonly lib: LibraryStore,
    private readonly dataDir: string,
  ) {}

  get syncing(): boolean {
    return this.running !== null;
  }

  remember(password: string | undefined): void {
    if (password !== undefined) this.password = password;
  }

  /** Runs `work` as the one sync of this library, then lets anyone waiting know the status changed. */
  private async exclusive(work: (password: string | undefined) => Promise<SyncReport>): Promise<SyncReport> {
    while (this.running) await this.running.catch(() => undefined);
    this.applying = true;
    const run = work(this.password);
    this.running = run;
    this.lib.emit({ project: true });
    try {
      return await run;
    } finally {
      this.running = null;
      this.applying = false;
      this.lib.emit({ project: true });
    }
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
      const report = await (await project()).syncProject(this.lib, this.dataDir, { password: password ?? remembered });
      this.remember(password);
      return report;
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
    const saved = await (await project()).projectStatus(this.dataDir);
    return saved && { ...saved, syncing: this.syncing, auto: this.timer !== undefined };
  }

  /** Keeps the project in sync until stop(): soon after each local change, and every intervalMs. */
  start(options: LoopOptions = {}, password?: string): void {
    this.remember(password);
    if (this.timer) return;
    const { intervalMs = 30_000, settleMs = 1_500 } = options;
    const tick = () => void this.syncIfProject();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref?.();
    this.unsubscribe = this.lib.subscribe((event) => {
      // Its own writes (what a sync brings in) and status news are not local changes to send.
      if (this.applying || event.project) return;
      clearTimeout(this.pending);
      this.pending = setTimeout(tick, settleMs);
      this.pending.unref?.();
    });
    tick();
  }

  /** Ends the loop, after the sync under way (if any) has finished: a library closes whole. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    this.unsubscribe?.();
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private async syncIfProject(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    if (!(await (await project()).readProject(this.dataDir))) return;
    // A failure is recorded in the status (offline, error) and tried again at the next turn.
    await this.sync().catch(() => undefined);
    if (this.again) {
      this.again = false;
      void this.syncIfProject();
    }
  }
}
