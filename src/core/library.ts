import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Low } from 'lowdb';
import { anchorExact, describeRange, rangeProblem, trimRange } from '../shared/anchoring';
import { reanchor } from '../shared/reanchor';
import { GlossaError } from '../shared/errors';
import { ID_PATTERN, MAX_ID_LENGTH } from '../shared/limits';
import { countTags } from '../shared/tag-counts';
import type {
  ChangeEvent,
  Codebook,
  DocumentMeta,
  DocumentSummary,
  DocumentView,
  Highlight,
  Notice,
  Paragraph,
  SearchHit,
  Tag,
} from '../shared/types';
import type { ValidInput } from '../shared/api';
import { CorruptFileError, DurableJsonFile } from './store/durable-file';
import { DocumentStore, storageError } from './store/document-store';
import { documentFromText } from './import/document';
import { acquireLock } from './store/lock';
import { SEARCH_LIMIT, searchDocument } from './search';
import {
  SCHEMA_VERSION,
  checkShape,
  documentFileSchema,
  highlightProblem,
  libraryFileSchema,
  type DocumentFile,
  type IndexEntry,
  type LibraryFile,
  type SummaryStats,
} from './stored-schema';

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

/** What a text change did to the highlights: found where they were, found approximately, or lost. */
export interface ReanchorReport {
  document: DocumentView;
  exact: number;
  approximate: number;
  orphaned: number;
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

function summaryFrom(entry: IndexEntry): DocumentSummary {
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
 * durable adapter) and per document a snapshot and an operation log (see store/document-store).
 * Every call — reads included — runs in one queue, so a read sees every write acknowledged before
 * it, and two requests never interleave their read-modify-write.
 */
export class Library {
  readonly notices: Notice[] = [];
  private readonly docs = new Map<string, DocumentStore>();
  private readonly listeners = new Set<(event: LibraryEvent) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private indexTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private indexDirty = false;
  /** Documents saved since the index last recorded their files' size and time. */
  private readonly unstamped = new Set<string>();
  private readonly documentsDir: string;

  private constructor(
    readonly dataDir: string,
    private readonly index: Low<LibraryFile>,
    private readonly release: () => Promise<void>,
    private readonly now: () => Date,
    /** Why the library could only be opened for reading (a read-only or full disk), or null. */
    readonly readOnly: string | null,
  ) {
    this.documentsDir = resolve(dataDir, 'documents');
  }

  static async open(options: LibraryOptions): Promise<Library> {
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
      const library = new Library(dataDir, index, release, now, readOnly);
      if (readOnly) library.notify('warning', `The library at ${dataDir} is open for reading only: ${readOnly}.`);
      await library.load(options.seedDir);
      return library;
    } catch (error) {
      await release();
      throw error;
    }
  }

  private notify(level: Notice['level'], message: string): void {
    this.notices.push({ id: randomUUID(), level, message, time: this.now().toISOString() });
  }

  /** Hears about every change, wherever it came from; returns the way to stop listening. */
  subscribe(listener: (event: LibraryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: LibraryEvent): void {
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

  private async writeIndexIfWritable(): Promise<void> {
    if (!this.readOnly) await this.writeIndex();
  }

  /** A rebuilt index keeps every tag the documents use, so no highlight loses its code. */
  private async rebuildIndex(found?: Awaited<ReturnType<Library['scanDocuments']>>): Promise<void> {
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

  private async statsFor(id: string, highlights: Iterable<Highlight>): Promise<SummaryStats> {
    const list = [...highlights];
    const { size, mtimeMs } = await stat(this.documentPath(id));
    return { highlightCount: list.length, tagCounts: countTags(list), stamp: { size, mtimeMs } };
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
        entries.push({ ...state.meta, stats: await this.statsFor(id, state.highlights.values()) });
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
      try {
        const store = await this.loadDocument(entry.id);
        const state = store.state!;
        this.replaceEntry(entry.id, { ...state.meta, stats: await this.statsFor(entry.id, state.highlights.values()) });
        changed = true;
      } catch (error) {
        if (!(error instanceof GlossaError)) throw error;
        changed = true;
      }
    }
    return changed;
  }

  private entry(id: string): IndexEntry | undefined {
    return this.index.data.documents.find((d) => d.id === id);
  }

  private replaceEntry(id: string, next: IndexEntry): void {
    const list = this.index.data.documents;
    const at = list.findIndex((d) => d.id === id);
    if (at >= 0) list[at] = next;
  }

  private dropEntry(id: string): void {
    this.index.data.documents = this.index.data.documents.filter((d) => d.id !== id);
  }

  /** Writes the index now (after a change to the document list itself). */
  private async writeIndex(): Promise<void> {
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
  private scheduleIndexWrite(): void {
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
      if (this.closed) return;
      void this.exclusive(async () => {
        for (const store of this.docs.values()) if (store.hasLog) await store.compact();
        if (this.unstamped.size > 0) await this.writeIndex();
      }).catch(() => undefined);
    }, IDLE_COMPACT_MS);
    this.idleTimer.unref();
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

  private store(id: string): DocumentStore {
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
  private async insertDocument(doc: DocumentFile): Promise<boolean> {
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
    this.index.data.documents.push({ ...doc.meta, stats: await this.statsFor(doc.meta.id, doc.highlights) });
    return true;
  }

  /**
   * Adds a document built by an importer. The same text imported twice is the same document (ids
   * are content hashes): the existing one is returned with `added: false`.
   */
  addDocument(doc: DocumentFile): Promise<{ id: string; added: boolean }> {
    return this.write(async () => {
      const added = await this.insertDocument(doc);
      if (added) {
        await this.writeIndex();
        this.emit({ library: true, documentId: doc.meta.id, revision: 0 });
      }
      return { id: doc.meta.id, added };
    });
  }

  /** Runs calls one after another; a failed call does not block the next. */
  private exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new GlossaError('CONFLICT', 'The library is closed.'));
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A change: refused at once on a read-only library, else queued like every call. */
  private write<T>(work: () => Promise<T>): Promise<T> {
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

  private async loadDocument(id: string): Promise<DocumentStore> {
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
  private async commit(
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
      this.replaceEntry(store.id, { ...(change.meta ?? entry), stats: adjustStats(stats, removed, change.put ?? []) });
      this.unstamped.add(store.id);
      this.scheduleIndexWrite();
    }
    const meta = change.meta !== undefined;
    this.emit({ documentId: store.id, revision, put: change.put, del: change.del, reload: meta, library: meta });
    return revision;
  }

  private async rewrite(store: DocumentStore, next: Omit<Parameters<DocumentStore['rewrite']>[0], 'meta'>) {
    const state = store.state!;
    const revision = await store.rewrite({ meta: state.meta, ...next });
    const entry = this.entry(store.id);
    if (entry) {
      this.replaceEntry(store.id, { ...entry, stats: await this.statsFor(store.id, next.highlights.values()) });
      this.scheduleIndexWrite();
    }
    this.emit({ documentId: store.id, revision, reload: true, library: true });
    return revision;
  }

  getCodebook(): Promise<Codebook> {
    return this.exclusive(() => structuredClone(this.index.data.codebook));
  }

  /** Finds a tag by id or by name (any case), for people typing tags on a command line. */
  findTag(idOrName: string): Tag | undefined {
    const wanted = idOrName.toLowerCase();
    return this.index.data.codebook.tags.find((t) => t.id === idOrName || t.name.toLowerCase() === wanted);
  }

  /** The tags, without repeats, if the codebook has every one; otherwise a clear INVALID_INPUT error. */
  requireKnownTags(tags: string[]): string[] {
    const unique = [...new Set(tags)];
    const unknown = unique.filter((t) => !this.index.data.codebook.tags.some((tag) => tag.id === t));
    if (unknown.length > 0) {
      const known = this.index.data.codebook.tags.map((t) => t.id).join(', ');
      throw new GlossaError(
        'INVALID_INPUT',
        `Unknown tag ${unknown.map((t) => `"${t}"`).join(', ')}; the codebook has: ${known}.`,
      );
    }
    return unique;
  }

  /** The document list (or the trash), from the index alone: no document file is read. */
  listDocuments(options: { trashed?: boolean } = {}): Promise<DocumentSummary[]> {
    const trashed = options.trashed ?? false;
    return this.exclusive(() =>
      this.index.data.documents.filter((d) => Boolean(d.trashed) === trashed).map(summaryFrom),
    );
  }

  summaryOf(documentId: string): DocumentSummary | undefined {
    const entry = this.entry(documentId);
    return entry && summaryFrom(entry);
  }

  getDocument(documentId: string): Promise<DocumentView> {
    return this.exclusive(async () => (await this.loadDocument(documentId)).view());
  }

  /** A document's stored form (shared with memory: read, never change), for exports and imports. */
  readDocument(documentId: string): Promise<DocumentFile> {
    return this.exclusive(async () => (await this.loadDocument(documentId)).file());
  }

  /**
   * The codebook and the named documents (`'all'`: every document not in the trash) as of one
   * moment: taken in one turn of the queue, so no write lands between two documents of an export.
   * Unknown tags or documents are refused.
   */
  consistentView(
    documentIds: string[] | 'all',
    tags: string[] = [],
  ): Promise<{ codebook: Codebook; docs: DocumentView[] }> {
    return this.exclusive(async () => {
      this.requireKnownTags(tags);
      const ids =
        documentIds === 'all'
          ? this.index.data.documents.filter((d) => !d.trashed).map((d) => d.id)
          : [...new Set(documentIds)];
      const docs: DocumentView[] = [];
      for (const id of ids) docs.push((await this.loadDocument(id)).view());
      return { codebook: structuredClone(this.index.data.codebook), docs };
    });
  }

  /** Corrects a document's metadata; `null` clears an optional field. */
  updateDocument(change: ValidInput<'updateDocument'>): Promise<DocumentSummary> {
    return this.write(async () => {
      const store = await this.loadDocument(change.documentId);
      const meta: DocumentMeta = { ...store.state!.meta };
      if (change.title !== undefined && change.title !== meta.title) {
        meta.title = change.title;
        meta.titleSource = 'user';
        delete meta.titleNote;
      }
      if (change.source !== undefined) meta.source = change.source;
      for (const field of ['date', 'author'] as const) {
        const value = change[field];
        if (value === null || value === '') delete meta[field];
        else if (value !== undefined) meta[field] = value;
      }
      await this.commit(store, { meta });
      await this.writeIndex();
      return summaryFrom(this.entry(store.id)!);
    });
  }

  /** Moves a document to the trash (or back out of it); its file and highlights are untouched. */
  setTrashed(documentId: string, trashed: boolean): Promise<DocumentSummary> {
    return this.write(async () => {
      const store = await this.loadDocument(documentId);
      const meta: DocumentMeta = { ...store.state!.meta };
      if (trashed) meta.trashed = this.now().toISOString();
      else delete meta.trashed;
      await this.commit(store, { meta });
      if (trashed && this.index.data.lastOpened === documentId) delete this.index.data.lastOpened;
      await this.writeIndex();
      return summaryFrom(this.entry(documentId)!);
    });
  }

  /** Deletes every trashed document for good: files and index entries. */
  emptyTrash(): Promise<{ deleted: string[] }> {
    return this.write(async () => {
      const doomed = this.index.data.documents.filter((d) => d.trashed).map((d) => d.id);
      // The index is written first: a crash between the two leaves stray files (rebuilt into the
      // trash on a lost index), never an index pointing at missing files.
      this.index.data.documents = this.index.data.documents.filter((d) => !d.trashed);
      await this.writeIndex();
      for (const id of doomed) {
        await this.store(id).remove();
        this.docs.delete(id);
      }
      if (doomed.length > 0) this.emit({ library: true });
      return { deleted: doomed };
    });
  }

  getLastOpened(): Promise<string | null> {
    return this.exclusive(() => {
      const entry = this.index.data.lastOpened ? this.entry(this.index.data.lastOpened) : undefined;
      return entry && !entry.trashed ? entry.id : null;
    });
  }

  setLastOpened(documentId: string): Promise<void> {
    return this.write(async () => {
      if (!this.entry(documentId)) throw new GlossaError('NOT_FOUND', `There is no document with id "${documentId}".`);
      if (this.index.data.lastOpened === documentId) return;
      this.index.data.lastOpened = documentId;
      this.scheduleIndexWrite();
    });
  }

  /**
   * Finds words in every document of the library (not the trash): titles, text and notes, with
   * case and accents ignored as in the reader's find. Stops reading at `limit` hits.
   */
  search(query: string, limit = SEARCH_LIMIT): Promise<SearchHit[]> {
    return this.exclusive(async () => {
      const hits: SearchHit[] = [];
      for (const entry of this.index.data.documents.filter((d) => !d.trashed)) {
        if (hits.length >= limit) break;
        let store: DocumentStore;
        try {
          store = await this.loadDocument(entry.id);
        } catch (error) {
          if (error instanceof GlossaError) continue;
          throw error;
        }
        hits.push(...searchDocument(store.file(), query, limit - hits.length));
      }
      return hits;
    });
  }

  /**
   * Where a client's range is on the current text. The client names the revision it saw and the
   * exact words it selected: on the current revision the words must be there (a mismatch means
   * the screen is not showing the stored text); on an older one the words are found again by their
   * quote and context, exactly — never applied at stale offsets.
   */
  private locate(
    store: DocumentStore,
    input: { revision: number; start: number; end: number; quote: string; prefix?: string; suffix?: string },
  ): { start: number; end: number } {
    const state = store.state!;
    const { text } = state;
    if (input.revision > state.revision) {
      throw new GlossaError(
        'CONFLICT',
        `Revision ${input.revision} of this document does not exist (it is at ${state.revision}).`,
      );
    }
    if (input.revision === state.revision) {
      const problem = rangeProblem(text, input.start, input.end);
      if (problem) throw new GlossaError('INVALID_INPUT', `Cannot highlight: ${problem}.`);
      if (text.slice(input.start, input.end) !== input.quote) {
        throw new GlossaError(
          'CONFLICT',
          'The selected words are not the stored text at that place; the document was reloaded instead of saving.',
        );
      }
      return { start: input.start, end: input.end };
    }
    const found = anchorExact(text, {
      position: { type: 'TextPositionSelector', start: input.start, end: input.end },
      quote: { type: 'TextQuoteSelector', exact: input.quote, prefix: input.prefix ?? '', suffix: input.suffix ?? '' },
    });
    if (!found || !input.quote.trim()) {
      throw new GlossaError(
        'CONFLICT',
        'The document changed in another window and the selected words are no longer in it; nothing was saved.',
      );
    }
    return found;
  }

  /**
   * Adds a highlight. The range is trimmed of surrounding white space; if a highlight already
   * covers exactly that range, the tags are added to it instead of stacking a duplicate.
   */
  createHighlight(input: ValidInput<'createHighlight'>): Promise<Highlight> {
    return this.write(async () => {
      const tags = this.requireKnownTags(input.tags);
      const store = await this.loadDocument(input.documentId);
      const state = store.state!;
      const located = this.locate(store, input);
      const { start, end } = trimRange(state.text, located.start, located.end);
      const time = this.now().toISOString();
      const same = store.findByRange(start, end);
      const result: Highlight = same
        ? {
            ...same,
            tags: [...new Set([...same.tags, ...tags])],
            note: input.note !== undefined && input.note.trim() ? input.note : same.note,
            updated: time,
          }
        : {
            id: randomUUID(),
            documentId: store.id,
            tags,
            note: input.note ?? '',
            created: time,
            updated: time,
            target: describeRange(state.text, start, end),
          };
      await this.commit(store, { put: [result] });
      return structuredClone(result);
    });
  }

  /**
   * Puts a highlight back exactly as it was (same id, tags, note and times): what undo needs.
   * Replaces a highlight with the same id, or adds it. Its quote is checked against the text, so
   * a stale copy cannot attach itself to the wrong passage.
   */
  restoreHighlight(highlight: Highlight): Promise<Highlight> {
    return this.write(async () => {
      const store = await this.loadDocument(highlight.documentId);
      this.requireKnownTags(highlight.tags);
      const { text } = store.state!;
      const { start, end } = highlight.target.position;
      const inPlace = text.slice(start, end) === highlight.target.quote.exact;
      if (!highlight.orphan && (!inPlace || rangeProblem(text, start, end))) {
        throw new GlossaError('CONFLICT', 'The highlight no longer matches the text, so it cannot be put back.');
      }
      const restored = structuredClone(highlight);
      await this.commit(store, { put: [restored] });
      return structuredClone(restored);
    });
  }

  /**
   * Replaces one paragraph's text (a typo fixed, say) and finds every highlight again on the new
   * text: exactly where it can, approximately where the passage itself changed, and otherwise keeps
   * it as an orphan — listed and exported, never dropped. Made on an older revision, it is refused:
   * it would undo the other change to the text.
   */
  editParagraph(edit: ValidInput<'editParagraph'>): Promise<ReanchorReport> {
    return this.write(async () => {
      const store = await this.loadDocument(edit.documentId);
      const doc = store.state!;
      if (edit.revision !== doc.revision) {
        throw new GlossaError(
          'CONFLICT',
          'The document changed in another window since this edit began; it was reloaded and your edit was not applied.',
        );
      }
      const paragraph = doc.paragraphs.find((p) => p.n === edit.n);
      if (!paragraph) throw new GlossaError('NOT_FOUND', `The document has no ¶ ${edit.n}.`);
      const replacement = collapseLines(edit.text);
      if (!replacement) throw new GlossaError('INVALID_INPUT', 'A paragraph cannot be empty.');
      const delta = replacement.length - (paragraph.end - paragraph.start);
      const text = doc.text.slice(0, paragraph.start) + replacement + doc.text.slice(paragraph.end);
      const paragraphs = doc.paragraphs.map((p) =>
        p.n < edit.n
          ? p
          : p.n === edit.n
            ? { ...p, end: p.end + delta }
            : { ...p, start: p.start + delta, end: p.end + delta },
      );
      const { highlights, report } = this.reanchorAll(doc.highlights.values(), text, (h) => {
        const { start, end } = h.target.position;
        return end <= paragraph.start ? start : start >= paragraph.end ? start + delta : undefined;
      });
      await this.rewrite(store, { text, paragraphs, highlights });
      return { document: store.view(), ...report };
    });
  }

  /**
   * Replaces a document's whole text with a corrected version (a re-import) and finds every
   * highlight again on it, as editParagraph does for one paragraph. The document keeps its id,
   * title and highlights; those no longer found become orphans.
   */
  replaceText(documentId: string, replacement: { text: string; paragraphs: Paragraph[] }): Promise<ReanchorReport> {
    return this.write(async () => {
      const store = await this.loadDocument(documentId);
      if (!replacement.text) throw new GlossaError('INVALID_INPUT', 'The new version holds no text.');
      const { highlights, report } = this.reanchorAll(
        store.state!.highlights.values(),
        replacement.text,
        () => undefined,
      );
      await this.rewrite(store, { text: replacement.text, paragraphs: replacement.paragraphs, highlights });
      return { document: store.view(), ...report };
    });
  }

  /** Finds every highlight on a changed text: exactly, approximately, or as an orphan (kept). */
  private reanchorAll(
    list: Iterable<Highlight>,
    text: string,
    hintFor: (h: Highlight) => number | undefined,
  ): { highlights: Map<string, Highlight>; report: { exact: number; approximate: number; orphaned: number } } {
    const report = { exact: 0, approximate: 0, orphaned: 0 };
    const time = this.now().toISOString();
    const highlights = new Map<string, Highlight>();
    for (const h of list) {
      const found = reanchor(text, h.target, h.orphan ? undefined : hintFor(h));
      if (!found) {
        report.orphaned++;
        highlights.set(h.id, h.orphan ? h : { ...h, orphan: true, updated: time });
        continue;
      }
      report[found.approximate ? 'approximate' : 'exact']++;
      const target = describeRange(text, found.start, found.end);
      if (!h.orphan && JSON.stringify(target) === JSON.stringify(h.target)) {
        highlights.set(h.id, h);
        continue;
      }
      const { orphan: _orphan, ...rest } = h;
      highlights.set(h.id, { ...rest, target, updated: time });
    }
    return { highlights, report };
  }

  /** Attaches a highlight (typically an orphan) to a newly selected passage. */
  reattachHighlight(input: ValidInput<'reattachHighlight'>): Promise<Highlight> {
    return this.write(async () => {
      const store = await this.loadDocument(input.documentId);
      const current = store.state!.highlights.get(input.highlightId);
      if (!current)
        throw new GlossaError('NOT_FOUND', `There is no highlight "${input.highlightId}" in this document.`);
      const located = this.locate(store, input);
      const { start, end } = trimRange(store.state!.text, located.start, located.end);
      const { orphan: _orphan, ...rest } = current;
      const next: Highlight = {
        ...rest,
        target: describeRange(store.state!.text, start, end),
        updated: this.now().toISOString(),
      };
      await this.commit(store, { put: [next] });
      return structuredClone(next);
    });
  }

  updateHighlight(change: ValidInput<'updateHighlight'>): Promise<Highlight> {
    return this.write(async () => {
      const store = await this.loadDocument(change.documentId);
      const current = store.state!.highlights.get(change.highlightId);
      if (!current)
        throw new GlossaError('NOT_FOUND', `There is no highlight "${change.highlightId}" in this document.`);
      const next: Highlight = {
        ...current,
        tags: change.tags ? this.requireKnownTags(change.tags) : current.tags,
        note: change.note ?? current.note,
        updated: this.now().toISOString(),
      };
      await this.commit(store, { put: [next] });
      return structuredClone(next);
    });
  }

  deleteHighlight(documentId: string, highlightId: string): Promise<{ deleted: string }> {
    return this.write(async () => {
      const store = await this.loadDocument(documentId);
      if (!store.state!.highlights.has(highlightId)) {
        throw new GlossaError('NOT_FOUND', `There is no highlight "${highlightId}" in this document.`);
      }
      await this.commit(store, { del: [highlightId] });
      return { deleted: highlightId };
    });
  }

  /**
   * Stores what an import planned (see interchange/apply-import): new tags, new documents, and
   * highlights. A highlight whose id the document already has is left alone and counted. Every
   * highlight and document is checked before anything is written, so a bad one refuses the import
   * whole; each document's highlights are one logged change.
   */
  mergeImport(input: {
    tags: Tag[];
    documents: { documentId: string; add?: DocumentFile; highlights: Highlight[] }[];
  }): Promise<{ added: number; alreadyPresent: number; documentsAdded: number }> {
    return this.write(async () => {
      const counts = { added: 0, alreadyPresent: 0, documentsAdded: 0 };
      for (const planned of input.documents) {
        const text =
          planned.add && !this.entry(planned.documentId)
            ? planned.add.text
            : (await this.loadDocument(planned.documentId)).state!.text;
        for (const h of planned.highlights) {
          const problem = highlightProblem(h, planned.documentId, text);
          if (problem) throw new GlossaError('INVALID_INPUT', `A highlight cannot be imported: ${problem}.`);
        }
      }
      const tags = this.index.data.codebook.tags;
      const newTags = input.tags.filter((t) => !tags.some((x) => x.id === t.id));
      if (newTags.length > 0) this.index.data.codebook = { tags: [...tags, ...newTags] };
      for (const planned of input.documents) {
        if (planned.add && !this.entry(planned.documentId)) {
          await this.insertDocument(planned.add);
          counts.documentsAdded++;
        }
        const store = await this.loadDocument(planned.documentId);
        const present = new Set(store.state!.highlights.keys());
        const fresh = planned.highlights.filter((h) => !present.has(h.id) && (present.add(h.id), true));
        counts.alreadyPresent += planned.highlights.length - fresh.length;
        counts.added += fresh.length;
        if (fresh.length > 0) await this.commit(store, { put: fresh });
      }
      await this.writeIndex();
      this.emit({ library: true });
      return counts;
    });
  }

  /** Waits for pending writes, folds logs into snapshots, then releases the lock. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    clearTimeout(this.idleTimer);
    clearTimeout(this.indexTimer);
    this.closed = true;
    if (!this.readOnly) {
      for (const store of this.docs.values()) await store.close();
      if (this.indexDirty || this.unstamped.size > 0) await this.writeIndex().catch(() => undefined);
    }
    this.listeners.clear();
    await this.release();
  }
}

/**
 * A paragraph's new text on one line: line breaks with the spaces around them become one space.
 * A scan, not a regex: `\s*\n\s*` backtracks quadratically on long runs of spaces.
 */
export function collapseLines(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      let s = line;
      if (i > 0) s = s.trimStart();
      if (i < lines.length - 1) s = s.trimEnd();
      return s;
    })
    .filter((line) => line !== '')
    .join(' ')
    .trim();
}
