import type { Client } from '../../../shared/api';
import type { ProjectConflict, ProjectStatus, SyncReport } from '../../../shared/project-docs';
import { errorMessage } from '../lib/error-message';

export type LiveStatus = ProjectStatus & { syncing: boolean; auto: boolean };

export interface ProjectForm {
  server: string;
  db: string;
  user: string;
  password: string;
}

/** "2 min ago", as a status line says it; exact times are in the title. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return iso.slice(0, 10);
}

/** The one-line sync indicator: what a researcher needs to know at a glance. */
export function indicator(
  status: LiveStatus | null,
  now = Date.now(),
): { label: string; tone: 'ok' | 'busy' | 'warn' | 'error' } | null {
  if (!status) return null;
  if (status.syncing) return { label: 'Syncing…', tone: 'busy' };
  const when = status.lastSync ? ` · synced ${ago(status.lastSync, now)}` : '';
  const conflicts = status.conflicts.length > 0 ? ` · ${status.conflicts.length} to settle` : '';
  if (status.state === 'offline') return { label: `Offline${when}${conflicts}`, tone: 'warn' };
  if (status.state === 'error') return { label: `Sync error${conflicts}`, tone: 'error' };
  if (status.state === 'never') return { label: 'Not synced yet', tone: 'warn' };
  return {
    label: `Synced ${status.lastSync ? ago(status.lastSync, now) : ''}${conflicts}`.trim(),
    tone: conflicts ? 'warn' : 'ok',
  };
}

/**
 * The team project as the Team screen shows it: its status (refreshed on every project event),
 * sharing and joining, a sync on request, and the conflicts waiting to be settled. The password
 * typed here goes with the request and is kept by the app's process only (see sync-loop.ts).
 */
export class TeamState {
  status = $state.raw<LiveStatus | null>(null);
  conflicts = $state.raw<ProjectConflict[]>([]);
  lastReport = $state.raw<SyncReport | null>(null);
  busy = $state(false);
  error = $state('');
  loaded = $state(false);
  /** The name this library stamps on the highlights it makes. */
  coder = $state<string | null>(null);

  constructor(private readonly client: Client) {}

  async load(): Promise<void> {
    try {
      this.coder = (await this.client.getCoder({})).coder;
      this.status = (await this.client.getProjectStatus({})).project;
      this.conflicts = this.status && this.status.conflicts.length > 0 ? await this.client.getConflicts({}) : [];
      this.loaded = true;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async run(work: () => Promise<SyncReport>): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      this.lastReport = await work();
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    } finally {
      this.busy = false;
      await this.load();
    }
  }

  private static input(form: ProjectForm) {
    return {
      server: form.server.trim(),
      db: form.db.trim(),
      ...(form.user.trim() ? { user: form.user.trim(), password: form.password } : {}),
    };
  }

  share(form: ProjectForm): Promise<boolean> {
    return this.run(() => this.client.shareProject(TeamState.input(form)));
  }

  join(form: ProjectForm): Promise<boolean> {
    return this.run(() => this.client.joinProject(TeamState.input(form)));
  }

  syncNow(password?: string): Promise<boolean> {
    return this.run(() => this.client.syncProject(password ? { password } : {}));
  }

  setBlind(blind: boolean, password?: string): Promise<boolean> {
    return this.run(() => this.client.setProjectBlind(password ? { blind, password } : { blind }));
  }

  async setCoder(name: string): Promise<void> {
    this.error = '';
    try {
      this.coder = (await this.client.setCoder({ coder: name.trim() || null })).coder;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async resolve(id: string, choice: { keep: string } | { merge: true }): Promise<void> {
    this.error = '';
    try {
      this.conflicts = await this.client.resolveConflict({ id, ...choice });
    } catch (error) {
      this.error = errorMessage(error);
    }
    await this.load();
  }
}
