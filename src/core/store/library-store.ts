import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Low } from 'lowdb';
import { GlossaError } from '../../shared/errors';
import { ID_PATTERN, MAX_ID_LENGTH } from '../../shared/limits';
import { countTags } from '../../shared/tag-counts';
import { someNames } from '../../shared/codebook';
import type { ChangeEvent, Codebook, DocumentMeta, DocumentSummary, Highlight, Notice } from '../../shared/types';
import { CorruptFileError, DurableJsonFile } from './durable-file';
import { DocumentStore, logPathOf, storageError } from './document-store';
import { documentFromText } from '../import/document';
import { acquireLock } from './lock';
import { finishPendingChange } from '../codebook-journal';
import { noteAdded } from '../coding-index';
import {
  SCHEMA_VERSION,
  checkShape,
  documentFileSchema,
  libraryFileSchema,
  type DocumentFile,
  type IndexEntry,
  type LibraryFile,
  type SummaryStats,
} from '../stored-schema';

export const DEFAULT_CODEBOOK: Codebook = {
  tags: [
    { id: 'security', name: 'security', color: '#e0524a' },
    { id: 'diplomacy', name: 'diplomacy', color: '#3f7fd0' },
    { id: 'drugs', name: 'drugs', color: '#3a9d5d' },
  ],
};
/** Colours for tags found in documents when a lost index is rebuilt. */
const REBUILT_TAG_COLOR = '#7a7a7a';

export interface LibraryOptions {
  dataDir: string;
  /** Who holds the lock, as a person would name it ("glossa serve", "Glossa desktop"). */
  owner: string;
  /** Folder of `.txt` articles put into a library the first time it is created. */
  seedDir?: string;
  now?: () => Date;
}

export type LibraryEvent = ChangeEvent;

/** Disk errors on opening that still allow reading, in words. */
const READ_ONLY_REASONS: Record<string, string> = {
  EROFS: 'its disk is read-only',
  EACCES: 'Glossa may not write to its folder',
  EPERM: 'Glossa may not write to its folder',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

/** How long the document index may lag behind a saved highlight before it is written. */
const INDEX_WRITE_DELAY_MS = 1000;
/** After this long without a change, logs are folded into their snapshots. */
const IDLE_COMPACT_MS = 5000;
/**
 * Only a log at least this long is folded when idle. Folding rewrites the whole document (half a
 * second at 50,000 highlights), and a save that arrives meanwhile waits for it; a short log costs
 * next to nothing to replay on open, so it waits for the next open or for close.
 */
const IDLE_COMPACT_MIN_LINES = 200;

/**
 * The revision a document file starts with (`{"schemaVersion":1,"revision":N,…`, as documentJson
 * writes it), from its first bytes alone; null when it does not start so.
 */
async function revisionAtStart(path: string): Promise<number | null> {
  let handle;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const match = /^\{"schemaVersion":\d+,"revision":(\d+),/.exec(head.subarray(0, bytesRead).toString('latin1'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

export function summaryFrom(entry: IndexEntry): DocumentSummary {
  const { stats, ...meta } = entry;
  return { ...structuredClone(meta), highlightCount: stats?.highlightCount ?? 0, tagCounts: { ...stats?.tagCounts } };
}

/** Counts moved by a change: highlights removed and added (a replaced one is both). */
function adjustStats(stats: SummaryStats, removed: Highlight[], added: Highlight[]): SummaryStats {
  const tagCounts = { ...stats.tagCounts };
  for (const h of removed) for (const t of h.tags) if (--tagCounts[t] <= 0) delete tagCounts[t];
  for (const h of added) for (const t of h.tags) tagCounts[t] = (tagCounts[t] ?? 0) + 1;
  return {
    ...stats,
    highlightCount: stats.highlightCount - removed.length + added.length,
    tagCounts,
  };
}

function isTempFile(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * The library on disk: `library.json` (codebook and document index, a lowdb database over a
 * durable adapter) and per document a snapshot and an operation log (see document-store). It
 * owns the lock, the queue every call runs in (reads included, so a read sees every write
 * acknowledged before it, and no two requests interleave their read-modify-write), the cache of
 * open documents, revisions, change events and the index. The concerns built on it — catalog,
 * highlights, text edits, search — are functions of it in their own modules; `Library` (the
 * facade every transport uses) puts them together. Its members are public for those modules only.
 */
export class LibraryStore {
  readonly notices: Notice[] = [];
  readonly docs = new Map<string, DocumentStore>();
  private readonly listeners = new Set<(event: LibraryEvent) => void>();
  private readonly closing: (() => Promise<void>)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private indexTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private indexDirty = false;
  /** Documents saved since the index last recorded their files' size and time. */
  readonly unstamped = new Set<string>();
  private readonly documentsDir: string;

  constructor(
    readonly dataDir: string,
    readonly index: Low<LibraryFile>,
    private readonly release: () => Promise<void>,
    readonly now: () => Date,
    /** Why the library could only be opened for reading (a read-only or full disk), or null. */
    readonly readOnly: string | null,
  ) {
    this.documentsDir = resolve(dataDir, 'documents');
  }

  static async open<T extends LibraryStore>(
    this: new (...args: ConstructorParameters<typeof LibraryStore>) => T,
    options: LibraryOptions,
  ): Promise<T> {
    const dataDir = resolve(options.dataDir);
    const now = options.now ?? (() => new Date());
    let readOnly: string | null = null;
    let release: () => Promise<void> = async () => undefined;
    try {
      await mkdir(join(dataDir, 'documents'), { recursive: true });
      release = await acquireLock(dataDir, options.owner);
    } catch (error) {
      if (error instanceof GlossaError) throw error;
      // A disk that takes no writes still lets a person read their library (and export it).
      readOnly = READ_ONLY_REASONS[(error as NodeJS.ErrnoException).code ?? ''] ?? null;
      if (!readOnly) throw storageError(error);
    }
    try {
      const adapter = new DurableJsonFile(
        join(dataDir, 'library.json'),
        (data) => checkShape(libraryFileSchema, data) as LibraryFile,
      );
      const index = new Low<LibraryFile>(adapter, {
        schemaVersion: SCHEMA_VERSION,
        codebook: DEFAULT_CODEBOOK,
        documents: [],
      });
      const library = new this(dataDir, index, release, now, readOnly);
      if (readOnly) library.notify('warning', `The library at ${dataDir} is open for reading only: ${readOnly}.`);
      await library.load(options.seedDir);
      return library;
    } catch (error) {
      await release();
      throw error;
    }
  }

  notify(level: Notice['level'], message: string): void {
    this.notices.push({ id: randomUUID(), level, message, time: this.now().toISOString() });
  }

  /** Hears about every change, wherever it came from; returns the way to stop listening. */
  subscribe(listener: (event: LibraryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: LibraryEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the change is already durable.
      }
    }
  }

  private async load(seedDir: string | undefined): Promise<void> {
    if (!this.readOnly) await this.removeDeadTempFiles();
    const fresh = this.index.data;
    try {
      await this.index.read();
    } catch (error) {
      if (!(error instanceof CorruptFileError)) throw error;
      this.notify('error', `${error.message} The document list was rebuilt from the document files.`);
      await this.rebuildIndex();
      return;
    }
    if (this.index.data !== fresh) {
      if (await this.refreshStaleSummaries()) await this.writeIndexIfWritable();
      if (!this.readOnly) await finishPendingChange(this);
      return;
    }
    const found = await this.scanDocuments();
    if (found.entries.length > 0) {
      // Documents without an index: a library.json was lost. Keep the documents, rebuild the index.
      this.notify('warning', 'library.json was missing; the document list was rebuilt from the document files.');
      await this.rebuildIndex(found);
      return;
    } else if (seedDir && !this.readOnly) {
      await this.seed(seedDir);
    }
    await this.writeIndexIfWritable();
  }

  async writeIndexIfWritable(): Promise<void> {
    if (!this.readOnly) await this.writeIndex();
  }

  /** A rebuilt index keeps every tag the documents use, so no highlight loses its code. */
  private async rebuildIndex(found?: Awaited<ReturnType<LibraryStore['scanDocuments']>>): Promise<void> {
    const { entries, tagsUsed } = found ?? (await this.scanDocuments());
    const tags = [...DEFAULT_CODEBOOK.tags];
    for (const id of [...tagsUsed].sort()) {
      if (!tags.some((t) => t.id === id)) tags.push({ id, name: id, color: REBUILT_TAG_COLOR });
    }
    this.index.data = { schemaVersion: SCHEMA_VERSION, codebook: { tags }, documents: entries };
    await this.writeIndexIfWritable();
  }

  /** Temp files are only ever left by a writer that died: we hold the lock, so none is ours. */
  private async removeDeadTempFiles(): Promise<void> {
    for (const dir of [this.dataDir, this.documentsDir]) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.filter(isTempFile)) await unlink(join(dir, name)).catch(() => undefined);
    }
  }

  /** The snapshot file of a document; an id that is not a plain id can never become a path. */
  private documentPath(id: string): string {
    if (id.length > MAX_ID_LENGTH || !ID_PATTERN.test(id)) {
      throw new GlossaError('INVALID_INPUT', `"${id.slice(0, 120)}" is not a document id.`);
    }
    const path = resolve(this.documentsDir, `${id}.json`);
    if (!path.startsWith(this.documentsDir + sep)) {
      throw new GlossaError('INVALID_INPUT', `"${id}" is not a document id.`);
    }
    return path;
  }

  async statsFor(id: string, highlights: Iterable<Highlight>, revision: number): Promise<SummaryStats> {
    const list = [...highlights];
    const { size, mtimeMs } = await stat(this.documentPath(id));
    return { highlightCount: list.length, tagCounts: countTags(list), stamp: { size, mtimeMs }, revision };
  }

  private async scanDocuments(): Promise<{ entries: IndexEntry[]; tagsUsed: Set<string> }> {
    const entries: IndexEntry[] = [];
    const tagsUsed = new Set<string>();
    const names = (await readdir(this.documentsDir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    for (const name of names) {
      const id = name.slice(0, -'.json'.length);
      if (!ID_PATTERN.test(id)) continue;
      try {
        const doc = checkShape(documentFileSchema, JSON.parse(await readFile(join(this.documentsDir, name), 'utf8')));
        if (doc.meta.id !== id) continue;
        const store = this.store(id);
        const state = await store.load();
        if (!state) continue;
        for (const h of state.highlights.values()) for (const t of h.tags) tagsUsed.add(t);
        entries.push({ ...state.meta, stats: await this.statsFor(id, state.highlights.values(), state.revision) });
      } catch {
        // Unreadable documents are dealt with (kept aside, reported) when they are opened.
      }
    }
    return { entries, tagsUsed };
  }

  /**
   * Re-reads only the documents whose snapshot changed since the index counted their highlights,
   * or that have a log (changes not yet folded in: a crash, say). Opening a library whose index is
   * current reads library.json, lists one folder and stats each file; it parses no document.
   */
  private async refreshStaleSummaries(): Promise<boolean> {
    let changed = false;
    const entries = [...this.index.data.documents];
    const names = new Set(await readdir(this.documentsDir));
    // Stat calls run together: one at a time, a thousand of them dominate start-up.
    const stats = await Promise.all(entries.map((e) => stat(this.documentPath(e.id)).catch(() => null)));
    for (const [i, entry] of entries.entries()) {
      const current = stats[i];
      if (!current) continue; // A missing file is reported when the document is opened.
      const stamp = entry.stats?.stamp;
      // Within a millisecond: copies and backups keep times to the millisecond at best.
      const fresh = stamp && stamp.size === current.size && Math.abs(stamp.mtimeMs - current.mtimeMs) < 1;
      if (fresh && !names.has(`${entry.id}.log`)) continue;
      // New times but the same size and the same revision written at the file's start: a library
      // copied without its file times (a backup, a sync, another disk). Every change raises the
      // revision, so the counts still hold: take the new time without reading the document.
      if (
        stamp &&
        stamp.size === current.size &&
        entry.stats?.revision !== undefined &&
        !names.has(`${entry.id}.log`) &&
        (await revisionAtStart(this.documentPath(entry.id))) === entry.stats.revision
      ) {
        this.replaceEntry(entry.id, {
          ...entry,
          stats: { ...entry.stats, stamp: { size: current.size, mtimeMs: current.mtimeMs } },
        });
        changed = true;
        continue;
      }
      try {
        const store = await this.loadDocument(entry.id);
        const state = store.state!;
        this.replaceEntry(entry.id, {
          ...state.meta,
          stats: await this.statsFor(entry.id, state.highlights.values(), state.revision),
        });
        changed = true;
      } catch (error) {
        if (!(error instanceof GlossaError)) throw error;
        changed = true;
      }
    }
    return changed;
  }

  entry(id: string): IndexEntry | undefined {
    return this.index.data.documents.find((d) => d.id === id);
  }

  replaceEntry(id: string, next: IndexEntry): void {
    const list = this.index.data.documents;
    const at = list.findIndex((d) => d.id === id);
    if (at >= 0) list[at] = next;
  }

  dropEntry(id: string): void {
    this.index.data.documents = this.index.data.documents.filter((d) => d.id !== id);
  }

  /** Writes the index now (after a change to the document list itself). */
  async writeIndex(): Promise<void> {
    clearTimeout(this.indexTimer);
    this.indexTimer = undefined;
    this.indexDirty = false;
    for (const id of this.unstamped) {
      const entry = this.entry(id);
      const file = await stat(this.documentPath(id)).catch(() => null);
      if (entry?.stats && file) {
        this.replaceEntry(id, {
          ...entry,
          stats: { ...entry.stats, stamp: { size: file.size, mtimeMs: file.mtimeMs } },
        });
      }
    }
    this.unstamped.clear();
    try {
      await this.index.write();
    } catch (error) {
      throw storageError(error);
    }
  }

  /**
   * Writes the index a little later: highlight counts may lag behind a save by a second, so saving
   * a highlight appends to its document's log only, whatever the size of the library. A lagging
   * index is harmless: a document with a log is recounted on open (see refreshStaleSummaries).
   */
  scheduleIndexWrite(): void {
    this.indexDirty = true;
    if (this.indexTimer) return;
    this.indexTimer = setTimeout(() => {
      this.indexTimer = undefined;
      if (!this.closed && this.indexDirty) void this.exclusive(() => this.writeIndex()).catch(() => undefined);
    }, INDEX_WRITE_DELAY_MS);
    this.indexTimer.unref();
  }

  /** Folds every log into its snapshot once nothing has changed for a while. */
  private scheduleIdleCompaction(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (!this.closed) void this.flush().catch(() => undefined);
    }, IDLE_COMPACT_MS);
    this.idleTimer.unref();
  }

  /**
   * Does now what is otherwise done a little later: the index's counts written, long logs folded
   * into their snapshots. Afterwards the files stay as they are until the next change.
   */
  flush(): Promise<void> {
    return this.exclusive(async () => {
      if (this.readOnly) return;
      for (const store of this.docs.values()) {
        if (store.logLength < IDLE_COMPACT_MIN_LINES) continue;
        await store.compact();
        // Folding rewrote the snapshot: its size and time in the index must follow, or the next
        // start takes the document for changed and reads it again.
        this.unstamped.add(store.id);
      }
      if (this.indexDirty || this.unstamped.size > 0) await this.writeIndex();
    });
  }

  private async seed(seedDir: string): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(seedDir)).filter((n) => n.toLowerCase().endsWith('.txt')).sort();
    } catch {
      this.notify('warning', `No articles were found to start the library with (${seedDir} cannot be read).`);
      return;
    }
    for (const name of names) {
      await this.insertDocument(documentFromText(await readFile(join(seedDir, name), 'utf8'), name, this.now()));
    }
  }

  store(id: string): DocumentStore {
    let store = this.docs.get(id);
    if (!store) {
      store = new DocumentStore(
        id,
        this.documentPath(id),
        (level, message) => this.notify(level, message),
        this.now,
        this.readOnly !== null,
      );
      this.docs.set(id, store);
    }
    return store;
  }

  /** Writes a new document's file (checked whole), then lists it; false when the same text is already there. */
  async insertDocument(doc: DocumentFile): Promise<boolean> {
    if (this.entry(doc.meta.id)) return false;
    const store = this.store(doc.meta.id);
    try {
      await store.rewrite(
        {
          meta: doc.meta,
          text: doc.text,
          paragraphs: doc.paragraphs,
          highlights: new Map(doc.highlights.map((h) => [h.id, h])),
        },
        true,
      );
    } catch (error) {
      this.docs.delete(doc.meta.id);
      throw error;
    }
    const revision = store.state?.revision ?? 0;
    this.index.data.documents.push({ ...doc.meta, stats: await this.statsFor(doc.meta.id, doc.highlights, revision) });
    await noteAdded(this, doc, revision);
    return true;
  }

  /** Runs calls one after another; a failed call does not block the next. */
  exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new GlossaError('CONFLICT', 'The library is closed.'));
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A change: refused at once on a read-only library, else queued like every call. */
  write<T>(work: () => Promise<T>): Promise<T> {
    if (this.readOnly) {
      return Promise.reject(
        new GlossaError('READ_ONLY', `This library is open for reading only (${this.readOnly}); nothing was changed.`),
      );
    }
    return this.exclusive(async () => {
      const result = await work();
      this.scheduleIdleCompaction();
      return result;
    });
  }

  /** Work for close() to do first on a writable library (saving what is derived from documents). */
  onClose(save: () => Promise<void>): void {
    this.closing.push(save);
  }

  /**
   * A document's file for a read that should not keep it in memory (a search over the library):
   * a document already open stays open; one loaded only for this read is dropped again, unless it
   * holds changes not yet folded into its snapshot.
   */
  async readUncached(id: string): Promise<DocumentFile> {
    const wasOpen = this.docs.get(id)?.state != null;
    if (!wasOpen && this.entry(id)) {
      // A closed document with no log is its snapshot as written: parsed, not checked highlight
      // by highlight (a tenth of the cost), since a search only reads its words and shows where
      // they are. A file that does not parse takes the full read below, which reports it and
      // keeps it aside.
      const logged = await stat(logPathOf(this.documentPath(id))).then(
        () => true,
        () => false,
      );
      if (!logged) {
        try {
          const raw = JSON.parse(await readFile(this.documentPath(id), 'utf8')) as DocumentFile;
          if (raw?.meta?.id === id && typeof raw.text === 'string' && Array.isArray(raw.highlights)) return raw;
        } catch {
          // The full read below deals with it.
        }
      }
    }
    const store = await this.loadDocument(id);
    const file = store.file();
    if (!wasOpen && store.logLength === 0) this.docs.delete(id);
    return file;
  }

  async loadDocument(id: string): Promise<DocumentStore> {
    if (!this.entry(id)) throw new GlossaError('NOT_FOUND', `There is no document with id "${id}".`);
    const store = this.store(id);
    if (store.state) return store;
    let state;
    try {
      state = await store.load();
    } catch (error) {
      this.docs.delete(id);
      if (!(error instanceof CorruptFileError)) throw storageError(error);
      this.notify('error', error.message);
      this.dropEntry(id);
      await this.writeIndexIfWritable();
      throw error;
    }
    if (!state) {
      this.docs.delete(id);
      this.notify('error', `The file of document "${id}" is missing; it was removed from the list.`);
      this.dropEntry(id);
      await this.writeIndexIfWritable();
      throw new GlossaError('NOT_FOUND', `The file of document "${id}" is missing.`);
    }
    return store;
  }

  /** Commits a change to one document's highlights or details, and keeps its index entry's counts. */
  async commit(
    store: DocumentStore,
    change: { put?: Highlight[]; del?: string[]; meta?: DocumentMeta },
  ): Promise<number> {
    const state = store.state!;
    const removed = [
      ...(change.del ?? []).map((id) => state.highlights.get(id)),
      ...(change.put ?? []).map((h) => state.highlights.get(h.id)),
    ].filter((h): h is Highlight => h !== undefined);
    const revision = await store.commit(change);
    const entry = this.entry(store.id);
    if (entry) {
      const stats = entry.stats ?? { highlightCount: 0, tagCounts: {}, stamp: { size: -1, mtimeMs: -1 } };
      this.replaceEntry(store.id, {
        ...(change.meta ?? entry),
        stats: { ...adjustStats(stats, removed, change.put ?? []), revision },
      });
      this.unstamped.add(store.id);
      this.scheduleIndexWrite();
    }
    const meta = change.meta !== undefined;
    this.emit({
      documentId: store.id,
      revision,
      put: change.put,
      del: change.del,
      reload: meta,
      library: meta,
      ...(meta ? { details: true } : {}),
    });
    return revision;
  }

  async rewrite(store: DocumentStore, next: Omit<Parameters<DocumentStore['rewrite']>[0], 'meta'>) {
    const state = store.state!;
    const revision = await store.rewrite({ meta: state.meta, ...next });
    const entry = this.entry(store.id);
    if (entry) {
      this.replaceEntry(store.id, {
        ...entry,
        stats: await this.statsFor(store.id, next.highlights.values(), revision),
      });
      this.scheduleIndexWrite();
    }
    this.emit({ documentId: store.id, revision, reload: true, library: true });
    return revision;
  }

  /** The tags, without repeats, if the codebook has every one; otherwise a clear INVALID_INPUT error. */
  requireKnownTags(tags: string[]): string[] {
    const unique = [...new Set(tags)];
    const unknown = unique.filter((t) => !this.index.data.codebook.tags.some((tag) => tag.id === t));
    if (unknown.length > 0) {
      const known = someNames(this.index.data.codebook.tags.map((t) => t.id));
      throw new GlossaError(
        'INVALID_INPUT',
        `Unknown tag ${unknown.map((t) => `"${t}"`).join(', ')}; the codebook has: ${known}.`,
      );
    }
    return unique;
  }

  summaryOf(documentId: string): DocumentSummary | undefined {
    const entry = this.entry(documentId);
    return entry && summaryFrom(entry);
  }

  /** Waits for pending writes, folds logs into snapshots, then releases the lock. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    clearTimeout(this.idleTimer);
    clearTimeout(this.indexTimer);
    this.closed = true;
    if (!this.readOnly) {
      // Derived files (the search index): failing to save one costs a rebuild, never data.
      for (const save of this.closing) await save().catch(() => undefined);
      for (const store of this.docs.values()) {
        if (store.logLength > 0) this.unstamped.add(store.id); // folded by close: see flush()
        await store.close();
      }
      if (this.indexDirty || this.unstamped.size > 0) await this.writeIndex().catch(() => undefined);
    }
    this.listeners.clear();
    await this.release();
  }
}
