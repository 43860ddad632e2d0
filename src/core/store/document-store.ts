import { packView } from '../../shared/view-wire';
import { Serialized } from '../serialized';
import { open, readFile, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { Low } from 'lowdb';
import { GlossaError } from '../../shared/errors';
import type { DocumentMeta, DocumentView, Highlight, Paragraph } from '../../shared/types';
import { documentJson } from '../document-json';
import { DurableJsonFile, writeFileDurably } from './durable-file';
import {
  SCHEMA_VERSION,
  checkShape,
  documentFileSchema,
  highlightProblem,
  metaSchema,
  type DocumentFile,
  type Quarantined,
} from '../stored-schema';
import { encodeChange, parseLog, type Change } from './oplog';

/** Fold the log into the snapshot once it has this many lines, so opening stays quick. */
const COMPACT_AFTER_LINES = 2000;
/** Open append handles kept at once across documents; the rest are reopened on their next save. */
const MAX_OPEN_LOGS = 32;

/** What a document holds in memory: highlights by id, in their stored order. */
export interface DocState {
  revision: number;
  meta: DocumentMeta;
  text: string;
  paragraphs: Paragraph[];
  highlights: Map<string, Highlight>;
  quarantine: Quarantined[];
  /** Top-level fields this version does not know, written back unchanged. */
  extra: Record<string, unknown>;
}

export type Report = (level: 'warning' | 'error', message: string) => void;

const openLogs = new Map<DocumentStore, FileHandle>();

async function closeLog(store: DocumentStore): Promise<void> {
  const handle = openLogs.get(store);
  if (!handle) return;
  openLogs.delete(store);
  await handle.close().catch(() => undefined);
}

async function logHandle(store: DocumentStore, path: string): Promise<FileHandle> {
  const open_ = openLogs.get(store);
  if (open_) {
    // Most recently used last, so the oldest is the first key.
    openLogs.delete(store);
    openLogs.set(store, open_);
    return open_;
  }
  if (openLogs.size >= MAX_OPEN_LOGS) await closeLog(openLogs.keys().next().value as DocumentStore);
  const handle = await open(path, 'a', 0o600);
  openLogs.set(store, handle);
  return handle;
}

/** Highlights are kept apart by range and by coder: two coders on the same words are two highlights. */
const keyOf = (start: number, end: number, coder: string | undefined) => `${start}:${end}:${coder ?? ''}`;
const rangeKey = (h: Highlight): string => keyOf(h.target.position.start, h.target.position.end, h.coder);

function toFile(state: DocState): DocumentFile {
  return {
    ...state.extra,
    schemaVersion: SCHEMA_VERSION,
    revision: state.revision,
    meta: state.meta,
    text: state.text,
    paragraphs: state.paragraphs,
    highlights: [...state.highlights.values()],
    ...(state.quarantine.length > 0 ? { quarantine: state.quarantine } : {}),
  };
}

/** Where the operation log of the document whose snapshot is at `snapshotPath` lives. */
export function logPathOf(snapshotPath: string): string {
  return snapshotPath.replace(/\.json$/, '.log');
}

/**
 * One document on disk: `<id>.json`, a snapshot written whole (through lowdb), and `<id>.log`,
 * the changes since, one line each. Every write is checked first with the same rules a read
 * applies, so the store never writes what it would refuse to read; a highlight that fails them on
 * a read (damage from outside) is quarantined — kept in the file, reported — not the document.
 */
export class DocumentStore {
  state: DocState | null = null;
  private viewCache: { state: DocState; revision: number; serialized: Serialized<DocumentView> } | null = null;
  private logLines = 0;
  private readonly snapshot: Low<DocumentFile>;

  constructor(
    readonly id: string,
    readonly snapshotPath: string,
    private readonly report: Report,
    private readonly now: () => Date,
    /** On a disk that takes no writes: read and replay, but repair and fold nothing. */
    private readonly readOnly = false,
  ) {
    const validate = (data: unknown) => {
      const file = checkShape(documentFileSchema, data);
      if (file.meta.id !== id) throw new Error(`it holds document ${file.meta.id}, not ${id}`);
      return file as unknown as DocumentFile;
    };
    this.snapshot = new Low<DocumentFile>(
      new DurableJsonFile(snapshotPath, validate, documentJson, !readOnly),
      null as unknown as DocumentFile,
    );
  }

  get logPath(): string {
    return logPathOf(this.snapshotPath);
  }

  /** Lines in the log since the last snapshot. */
  get logLength(): number {
    return this.logLines;
  }

  /** Reads the snapshot, replays the log, repairs a torn last line; null when there is no file. */
  async load(): Promise<DocState | null> {
    // Read through lowdb (the durable adapter checks the file and sets a bad one aside).
    await this.snapshot.read();
    const file = this.snapshot.data as DocumentFile | null;
    if (!file) return null;
    const { schemaVersion: _v, revision, meta, text, paragraphs, highlights, quarantine, ...extra } = file;
    const state: DocState = {
      revision: revision ?? 0,
      meta,
      text,
      paragraphs,
      highlights: new Map(),
      quarantine: [...(quarantine ?? [])],
      extra,
    };
    let dirty = false;
    for (const value of highlights as unknown[]) if (this.admit(state, value)) dirty = true;
    if (await this.replayLog(state)) dirty = true;
    this.state = state;
    this.byRange = null;
    if (dirty && !this.readOnly) await this.compact();
    return state;
  }

  /** Adds a highlight read from disk, or quarantines it; true when it was quarantined. */
  private admit(state: DocState, value: unknown): boolean {
    const problem = highlightProblem(value, this.id, state.text);
    if (!problem) {
      const h = value as Highlight;
      state.highlights.set(h.id, h);
      return false;
    }
    state.quarantine.push({ reason: problem, data: value, time: this.now().toISOString() });
    this.report(
      'warning',
      `A highlight in document "${state.meta.title}" could not be used (${problem}); it was set aside in its file, and the rest of the document is intact.`,
    );
    return true;
  }

  /** Applies the log's changes newer than the snapshot; true when anything was replayed or repaired. */
  private async replayLog(state: DocState): Promise<boolean> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.logPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const log = parseLog(bytes);
    if (log.torn && !this.readOnly) await truncate(this.logPath, log.validBytes);
    if (log.bad.length > 0 && !this.readOnly) {
      const keptAt = `${this.logPath}.corrupt-${this.now().toISOString().replace(/[:.]/g, '-')}`;
      await writeFileDurably(keptAt, bytes);
      this.report(
        'error',
        `${log.bad.length} damaged line(s) in the change log of "${state.meta.title}" (line ${log.bad[0].line}: ${log.bad[0].reason}) were skipped; the log was kept as ${keptAt}.`,
      );
    }
    for (const change of log.changes) {
      if (change.rev <= state.revision) continue; // Already in the snapshot (a crash mid-compaction).
      if (change.meta !== undefined) {
        const meta = metaSchema.safeParse(change.meta);
        if (meta.success && meta.data.id === this.id) state.meta = meta.data as DocumentMeta;
      }
      for (const id of change.del ?? []) state.highlights.delete(id);
      for (const value of change.put ?? []) this.admit(state, value);
      state.revision = change.rev;
    }
    this.logLines = log.changes.length;
    return log.changes.length > 0 || log.torn || log.bad.length > 0;
  }

  /** Highlights by their exact range (orphans have none), built on first use and kept by commit. */
  private byRange: Map<string, string> | null = null;

  /** The highlight (not an orphan) of `coder` (none: unattributed) covering exactly `start`–`end`, in constant time. */
  findByRange(start: number, end: number, coder?: string): Highlight | undefined {
    const state = this.require();
    if (!this.byRange) {
      this.byRange = new Map();
      for (const h of state.highlights.values()) if (!h.orphan) this.byRange.set(rangeKey(h), h.id);
    }
    const id = this.byRange.get(keyOf(start, end, coder));
    return id === undefined ? undefined : state.highlights.get(id);
  }

  private forgetRange(h: Highlight | undefined): void {
    if (h && this.byRange?.get(rangeKey(h)) === h.id) this.byRange.delete(rangeKey(h));
  }

  private require(): DocState {
    if (!this.state) throw new GlossaError('INTERNAL', `Document ${this.id} is not loaded.`);
    return this.state;
  }

  /**
   * Checks a change against the rules a read applies, appends it to the log and fsyncs, then
   * applies it in memory: when this resolves the change is durable. Nothing is written for a change
   * that fails a check; the error names the field.
   */
  async commit(change: Omit<Change, 'rev'>): Promise<number> {
    const state = this.require();
    for (const h of change.put ?? []) {
      const problem = highlightProblem(h, this.id, state.text);
      if (problem) throw new GlossaError('INVALID_INPUT', `The highlight cannot be saved: ${problem}.`);
    }
    if (change.meta) {
      const meta = metaSchema.safeParse(change.meta);
      if (!meta.success || change.meta.id !== this.id) {
        const issue = meta.error?.issues[0];
        throw new GlossaError(
          'INVALID_INPUT',
          `The document's details cannot be saved: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'the id changed'}.`,
        );
      }
    }
    const rev = state.revision + 1;
    const line = encodeChange({ rev, ...change });
    let handle: FileHandle | undefined;
    try {
      handle = await logHandle(this, this.logPath);
      await handle.write(line);
      await handle.datasync();
    } catch (error) {
      await closeLog(this);
      throw storageError(error);
    }
    // A log created by this append needs its directory entry made durable too, once.
    if (this.logLines === 0) await syncDirOf(this.logPath).catch(() => undefined);
    this.logLines++;
    if (change.meta) state.meta = change.meta;
    for (const id of change.del ?? []) {
      this.forgetRange(state.highlights.get(id));
      state.highlights.delete(id);
    }
    for (const h of change.put ?? []) {
      this.forgetRange(state.highlights.get(h.id));
      state.highlights.set(h.id, h);
      if (this.byRange && !h.orphan) this.byRange.set(rangeKey(h), h.id);
    }
    state.revision = rev;
    if (this.logLines >= COMPACT_AFTER_LINES) await this.compact();
    return rev;
  }

  /**
   * Replaces the whole document (new text, a new document): checked in full, written as a snapshot
   * with the next revision, and the log folded away. Memory changes only once the file is durable.
   */
  async rewrite(next: Omit<DocState, 'revision' | 'quarantine' | 'extra'>, fresh = false): Promise<number> {
    const previous = fresh ? null : this.require();
    const candidate: DocState = {
      revision: previous ? previous.revision + 1 : 0,
      quarantine: previous?.quarantine ?? [],
      extra: previous?.extra ?? {},
      ...next,
    };
    const file = toFile(candidate);
    try {
      checkShape(documentFileSchema, file);
    } catch (error) {
      throw new GlossaError('INVALID_INPUT', `The document cannot be saved: ${(error as Error).message}.`);
    }
    if (candidate.meta.id !== this.id) throw new GlossaError('INVALID_INPUT', 'The document cannot change its id.');
    for (const h of file.highlights) {
      const problem = highlightProblem(h, this.id, candidate.text);
      if (problem) throw new GlossaError('INVALID_INPUT', `A highlight cannot be saved: ${problem}.`);
    }
    await this.writeSnapshot(file);
    this.state = candidate;
    this.byRange = null;
    return candidate.revision;
  }

  /** Folds the log into a new snapshot; the log goes only once the snapshot is durable. */
  async compact(): Promise<void> {
    const state = this.require();
    await this.writeSnapshot(toFile(state));
  }

  private async writeSnapshot(file: DocumentFile): Promise<void> {
    this.snapshot.data = file;
    try {
      await this.snapshot.write();
    } catch (error) {
      throw storageError(error);
    }
    await closeLog(this);
    // If a crash comes before this unlink, the log's lines are all at or below the snapshot's
    // revision and are skipped on the next read.
    await unlink(this.logPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw storageError(error);
    });
    this.logLines = 0;
  }

  /**
   * The view with its JSON, made once per revision and kept while the document is open: a
   * document opened again (a reload, a second window) is sent as these bytes.
   */
  serializedView(): Serialized<DocumentView> {
    const state = this.require();
    if (this.viewCache?.state !== state || this.viewCache.revision !== state.revision) {
      const view = this.view();
      this.viewCache = {
        state,
        revision: state.revision,
        serialized: new Serialized(view, JSON.stringify(view), packView),
      };
    }
    return this.viewCache.serialized;
  }

  view(): DocumentView {
    const state = this.require();
    return {
      meta: structuredClone(state.meta),
      revision: state.revision,
      text: state.text,
      paragraphs: state.paragraphs,
      highlights: [...state.highlights.values()],
    };
  }

  /** The document as a file, for scans and exports; shares objects with memory (never mutate). */
  file(): DocumentFile {
    return toFile(this.require());
  }

  async close(): Promise<void> {
    if (this.logLines > 0 && this.state) await this.compact().catch(() => undefined);
    await closeLog(this);
  }

  /** Moves the files away (Empty trash keeps nothing, but a crash mid-way must leave no half state). */
  async remove(): Promise<void> {
    await closeLog(this);
    for (const path of [this.snapshotPath, this.logPath]) {
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw storageError(error);
      });
    }
  }
}

async function syncDirOf(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path.slice(0, path.lastIndexOf('/')) || '/', 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A disk error in words a person can act on; the change was not saved. */
export function storageError(error: unknown): GlossaError {
  if (error instanceof GlossaError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EROFS'
        ? 'the library is on a read-only disk'
        : code === 'EACCES' || code === 'EPERM'
          ? 'Glossa may not write to the library folder'
          : code === 'EDQUOT'
            ? 'the disk quota is used up'
            : (error as Error).message;
  return new GlossaError('STORAGE', `The change could not be saved: ${why}. Nothing was changed.`);
}
