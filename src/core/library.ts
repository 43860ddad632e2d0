import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Low } from 'lowdb';
import { describeRange, rangeProblem, trimRange } from '../shared/anchoring';
import { reanchor } from '../shared/reanchor';
import { GlossaError } from '../shared/errors';
import { findMatches } from '../shared/find-text';
import { countTags } from '../shared/tag-counts';
import type {
  Codebook,
  DocumentMeta,
  DocumentSummary,
  DocumentView,
  Highlight,
  Notice,
  SearchHit,
  Tag,
} from '../shared/types';
import { CorruptFileError, DurableJsonFile } from './durable-file';
import { documentFromText } from './import/document';
import { documentJson } from './document-json';
import { acquireLock } from './lock';
import {
  SCHEMA_VERSION,
  checkShape,
  documentFileSchema,
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

export interface LibraryOptions {
  dataDir: string;
  /** Who holds the lock, as a person would name it ("glossa serve", "Glossa desktop"). */
  owner: string;
  /** Folder of `.txt` articles put into a library the first time it is created. */
  seedDir?: string;
  now?: () => Date;
}

export interface NewHighlight {
  documentId: string;
  start: number;
  end: number;
  tags: string[];
  note?: string;
}

export interface ParagraphEdit {
  documentId: string;
  /** The ¶ number, from 1. */
  n: number;
  text: string;
}

/** What a text change did to the highlights: found where they were, found approximately, or lost. */
export interface ReanchorReport {
  document: DocumentView;
  exact: number;
  approximate: number;
  orphaned: number;
}

/** Fields of a document's metadata a person may correct after import. */
export interface MetaChange {
  documentId: string;
  title?: string;
  date?: string | null;
  source?: string;
  author?: string | null;
}

/** How long the document index may lag behind a saved highlight before it is written. */
const INDEX_WRITE_DELAY_MS = 1000;
const SEARCH_CONTEXT = 60;
const SEARCH_LIMIT = 200;

function summaryFrom(entry: IndexEntry): DocumentSummary {
  const { stats, ...meta } = entry;
  return { ...structuredClone(meta), highlightCount: stats?.highlightCount ?? 0, tagCounts: { ...stats?.tagCounts } };
}

/**
 * A window of text around a match, inside `[lower, upper)` (its paragraph), cut at word
 * boundaries, with the match's place inside it.
 */
function contextAround(
  text: string,
  start: number,
  end: number,
  lower = 0,
  upper = text.length,
): Pick<SearchHit, 'context' | 'matchStart' | 'matchEnd'> {
  let from = Math.max(lower, start - SEARCH_CONTEXT);
  let to = Math.min(upper, end + SEARCH_CONTEXT);
  if (from > lower) from = Math.min(start, text.indexOf(' ', from) + 1 || from);
  if (to < upper) to = text.lastIndexOf(' ', to) > end ? text.lastIndexOf(' ', to) : to;
  const lead = from > lower ? '…' : '';
  return {
    context: `${lead}${text.slice(from, to)}${to < upper ? '…' : ''}`,
    matchStart: lead.length + start - from,
    matchEnd: lead.length + end - from,
  };
}

export interface HighlightChange {
  documentId: string;
  highlightId: string;
  tags?: string[];
  note?: string;
}

/**
 * The library on disk: `library.json` (codebook and document index) and `documents/<id>.json`
 * (text and highlights), each a lowdb database over a durable adapter. A change to one document
 * rewrites that document's file only. All changes run one at a time, so two requests cannot
 * interleave their read-modify-write.
 */
export class Library {
  readonly notices: Notice[] = [];
  private readonly docs = new Map<string, Low<DocumentFile>>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private indexTimer: NodeJS.Timeout | undefined;
  private indexDirty = false;
  /** Documents saved since the index last recorded their files' size and time. */
  private readonly unstamped = new Set<string>();

  private constructor(
    readonly dataDir: string,
    private readonly index: Low<LibraryFile>,
    private readonly release: () => Promise<void>,
    private readonly now: () => Date,
  ) {}

  static async open(options: LibraryOptions): Promise<Library> {
    const { dataDir } = options;
    const now = options.now ?? (() => new Date());
    await mkdir(join(dataDir, 'documents'), { recursive: true });
    const release = await acquireLock(dataDir, options.owner);
    try {
      const adapter = new DurableJsonFile(join(dataDir, 'library.json'), (data) => checkShape(libraryFileSchema, data));
      const index = new Low<LibraryFile>(adapter, {
        schemaVersion: SCHEMA_VERSION,
        codebook: DEFAULT_CODEBOOK,
        documents: [],
      });
      const library = new Library(dataDir, index, release, now);
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

  private async load(seedDir: string | undefined): Promise<void> {
    const fresh = this.index.data;
    try {
      await this.index.read();
    } catch (error) {
      if (!(error instanceof CorruptFileError)) throw error;
      this.notify('error', `${error.message} The document list was rebuilt from the document files.`);
      this.index.data.documents = await this.scanDocuments();
      await this.index.write();
      return;
    }
    if (this.index.data !== fresh) {
      if (await this.refreshStaleSummaries()) await this.index.write();
      return;
    }
    const found = await this.scanDocuments();
    if (found.length > 0) {
      // Documents without an index: a library.json was lost. Keep the documents, rebuild the index.
      this.index.data.documents = found;
      this.notify('warning', 'library.json was missing; the document list was rebuilt from the document files.');
    } else if (seedDir) {
      await this.seed(seedDir);
    }
    await this.index.write();
  }

  private documentPath(id: string): string {
    return join(this.dataDir, 'documents', `${id}.json`);
  }

  private async statsFor(id: string, highlights: Highlight[]): Promise<SummaryStats> {
    const { size, mtimeMs } = await stat(this.documentPath(id));
    return {
      highlightCount: highlights.length,
      tagCounts: countTags(highlights),
      stamp: { size, mtimeMs },
    };
  }

  private async scanDocuments(): Promise<IndexEntry[]> {
    const dir = join(this.dataDir, 'documents');
    const entries: IndexEntry[] = [];
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
      try {
        const doc = checkShape(documentFileSchema, JSON.parse(await readFile(join(dir, name), 'utf8')));
        entries.push({ ...doc.meta, stats: await this.statsFor(doc.meta.id, doc.highlights) });
      } catch {
        // Unreadable documents are dealt with (kept aside, reported) when they are opened.
      }
    }
    return entries;
  }

  /**
   * Re-reads only the documents whose file changed since the index counted their highlights (a
   * crash between a save and the index catching up, say). Opening a library whose index is current
   * reads library.json and stats each file; it parses no document. True when the index changed.
   */
  private async refreshStaleSummaries(): Promise<boolean> {
    let changed = false;
    const entries = [...this.index.data.documents];
    // Stat calls run together: one at a time, a thousand of them dominate start-up.
    const stats = await Promise.all(entries.map((e) => stat(this.documentPath(e.id)).catch(() => null)));
    for (const [i, entry] of entries.entries()) {
      const current = stats[i];
      if (!current) continue; // A missing file is reported when the document is opened.
      const stamp = entry.stats?.stamp;
      // Within a millisecond: copies and backups keep times to the millisecond at best.
      if (stamp && stamp.size === current.size && Math.abs(stamp.mtimeMs - current.mtimeMs) < 1) continue;
      try {
        const doc = await this.loadDocument(entry.id);
        this.replaceEntry(entry.id, { ...doc.meta, stats: await this.statsFor(entry.id, doc.highlights) });
        changed = true;
      } catch (error) {
        if (!(error instanceof GlossaError) && !(error instanceof CorruptFileError)) throw error;
        changed = true;
      }
    }
    return changed;
  }

  private entry(id: string): IndexEntry | undefined {
    return this.index.data.documents.find((d) => d.id === id);
  }

  private replaceEntry(id: string, next: IndexEntry): void {
    this.index.data.documents = this.index.data.documents.map((d) => (d.id === id ? next : d));
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
    await this.index.write();
  }

  /**
   * Writes the index a little later: highlight counts may lag behind a save by a second, so saving
   * a highlight rewrites only its document's file, whatever the size of the library. The stamps
   * make a lagging index harmless (see refreshStaleSummaries).
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

  /** Writes a new document's file, then lists it; false when the same text is already there. */
  private async insertDocument(doc: DocumentFile): Promise<boolean> {
    if (this.entry(doc.meta.id)) return false;
    const low = this.documentDb(doc.meta.id);
    low.data = doc;
    await low.write();
    this.index.data.documents.push({ ...doc.meta, stats: await this.statsFor(doc.meta.id, doc.highlights) });
    return true;
  }

  /**
   * Adds a document built by an importer. The same text imported twice is the same document (ids
   * are content hashes): the existing one is returned with `added: false`.
   */
  addDocument(doc: DocumentFile): Promise<{ id: string; added: boolean }> {
    return this.exclusive(async () => {
      const added = await this.insertDocument(doc);
      if (added) await this.writeIndex();
      return { id: doc.meta.id, added };
    });
  }

  private documentDb(id: string): Low<DocumentFile> {
    let low = this.docs.get(id);
    if (!low) {
      const adapter = new DurableJsonFile(
        this.documentPath(id),
        (data) => {
          const doc = checkShape(documentFileSchema, data);
          if (doc.meta.id !== id) throw new Error(`it holds document ${doc.meta.id}, not ${id}`);
          return doc;
        },
        documentJson,
      );
      low = new Low<DocumentFile>(adapter, null as unknown as DocumentFile);
      this.docs.set(id, low);
    }
    return low;
  }

  /** Runs changes one after another; a failed change does not block the next. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new GlossaError('CONFLICT', 'The library is closed.'));
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadDocument(id: string): Promise<DocumentFile> {
    if (!this.entry(id)) {
      throw new GlossaError('NOT_FOUND', `There is no document with id "${id}".`);
    }
    const low = this.documentDb(id);
    if (low.data) return low.data;
    try {
      await low.read();
    } catch (error) {
      this.docs.delete(id);
      if (!(error instanceof CorruptFileError)) throw error;
      this.notify('error', error.message);
      this.dropEntry(id);
      await this.writeIndex();
      throw error;
    }
    if (!low.data) {
      this.docs.delete(id);
      this.notify('error', `The file of document "${id}" is missing; it was removed from the list.`);
      this.dropEntry(id);
      await this.writeIndex();
      throw new GlossaError('NOT_FOUND', `The file of document "${id}" is missing.`);
    }
    return low.data;
  }

  /** Replaces a document's data and makes it durable; memory is rolled back if the write fails. */
  private async saveDocument(id: string, next: DocumentFile): Promise<void> {
    const low = this.documentDb(id);
    const previous = low.data;
    low.data = next;
    try {
      await low.write();
    } catch (error) {
      low.data = previous;
      throw new GlossaError('INTERNAL', `The change could not be saved: ${(error as Error).message}`);
    }
    const entry = this.entry(id);
    if (entry) {
      // Counts now; the file's stamp when the index is written (one stat per flush, not per save).
      const stamp = entry.stats?.stamp ?? { size: -1, mtimeMs: -1 };
      this.replaceEntry(id, {
        ...next.meta,
        stats: { highlightCount: next.highlights.length, tagCounts: countTags(next.highlights), stamp },
      });
      this.unstamped.add(id);
      this.scheduleIndexWrite();
    }
  }

  getCodebook(): Codebook {
    return structuredClone(this.index.data.codebook);
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

  /** The document list, from the index alone: no document file is read. */
  listDocuments(options: { trashed?: boolean } = {}): DocumentSummary[] {
    const trashed = options.trashed ?? false;
    return this.index.data.documents.filter((d) => Boolean(d.trashed) === trashed).map(summaryFrom);
  }

  summaryOf(documentId: string): DocumentSummary | undefined {
    const entry = this.entry(documentId);
    return entry && summaryFrom(entry);
  }

  async getDocument(documentId: string): Promise<DocumentView> {
    const doc = await this.loadDocument(documentId);
    return structuredClone({ meta: doc.meta, text: doc.text, paragraphs: doc.paragraphs, highlights: doc.highlights });
  }

  /** Corrects a document's metadata; `null` clears an optional field. */
  updateDocument(change: MetaChange): Promise<DocumentSummary> {
    return this.exclusive(async () => {
      const doc = await this.loadDocument(change.documentId);
      const meta: DocumentMeta = { ...doc.meta };
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
      await this.saveDocument(doc.meta.id, { ...doc, meta });
      await this.writeIndex();
      return summaryFrom(this.entry(doc.meta.id) as IndexEntry);
    });
  }

  /** Moves a document to the trash (or back out of it); its file and highlights are untouched. */
  setTrashed(documentId: string, trashed: boolean): Promise<DocumentSummary> {
    return this.exclusive(async () => {
      const doc = await this.loadDocument(documentId);
      const meta: DocumentMeta = { ...doc.meta };
      if (trashed) meta.trashed = this.now().toISOString();
      else delete meta.trashed;
      await this.saveDocument(documentId, { ...doc, meta });
      if (trashed && this.index.data.lastOpened === documentId) delete this.index.data.lastOpened;
      await this.writeIndex();
      return summaryFrom(this.entry(documentId) as IndexEntry);
    });
  }

  /** Deletes every trashed document for good: files and index entries. */
  emptyTrash(): Promise<{ deleted: string[] }> {
    return this.exclusive(async () => {
      const doomed = this.index.data.documents.filter((d) => d.trashed).map((d) => d.id);
      // The index is written first: a crash between the two leaves stray files (rebuilt into the
      // trash on a lost index), never an index pointing at missing files.
      this.index.data.documents = this.index.data.documents.filter((d) => !d.trashed);
      await this.writeIndex();
      for (const id of doomed) {
        this.docs.delete(id);
        await unlink(this.documentPath(id)).catch(() => undefined);
      }
      return { deleted: doomed };
    });
  }

  get lastOpened(): string | null {
    const entry = this.index.data.lastOpened ? this.entry(this.index.data.lastOpened) : undefined;
    return entry && !entry.trashed ? entry.id : null;
  }

  setLastOpened(documentId: string): Promise<void> {
    return this.exclusive(async () => {
      if (!this.entry(documentId)) throw new GlossaError('NOT_FOUND', `There is no document with id "${documentId}".`);
      if (this.index.data.lastOpened === documentId) return;
      this.index.data.lastOpened = documentId;
      this.scheduleIndexWrite();
    });
  }

  /**
   * Finds words in every document of the library (not the trash): titles, text and notes, with
   * case and accents ignored as in the reader's find. Reads each document once, then from memory.
   */
  async search(query: string, limit = SEARCH_LIMIT): Promise<SearchHit[]> {
    const options = { matchCase: false, matchAccents: false };
    const hits: SearchHit[] = [];
    for (const entry of this.listDocuments()) {
      if (hits.length >= limit) break;
      let doc: DocumentFile;
      try {
        doc = await this.loadDocument(entry.id);
      } catch (error) {
        if (error instanceof GlossaError || error instanceof CorruptFileError) continue;
        throw error;
      }
      const base = { documentId: entry.id, title: doc.meta.title };
      for (const m of findMatches(doc.meta.title, query, options).slice(0, 1)) {
        hits.push({ ...base, field: 'title', ...contextAround(doc.meta.title, m.start, m.end) });
      }
      for (const m of findMatches(doc.text, query, options)) {
        if (hits.length >= limit) break;
        const p = doc.paragraphs.find((para) => para.end > m.start);
        hits.push({
          ...base,
          field: 'text',
          n: p?.n,
          start: m.start,
          end: m.end,
          ...contextAround(doc.text, m.start, m.end, p?.start, p?.end),
        });
      }
      for (const h of doc.highlights) {
        const m = findMatches(h.note, query, options)[0];
        if (!m || hits.length >= limit) continue;
        const p = doc.paragraphs.find((para) => para.end > h.target.position.start);
        hits.push({ ...base, field: 'note', n: p?.n, highlightId: h.id, ...contextAround(h.note, m.start, m.end) });
      }
    }
    return hits;
  }

  /**
   * Adds a highlight. The range is trimmed of surrounding white space; if a highlight already
   * covers exactly that range, the tags are added to it instead of stacking a duplicate.
   */
  createHighlight(input: NewHighlight): Promise<Highlight> {
    return this.exclusive(async () => {
      const tags = this.requireKnownTags(input.tags);
      const doc = await this.loadDocument(input.documentId);
      const problem = rangeProblem(doc.text, input.start, input.end);
      if (problem) throw new GlossaError('INVALID_INPUT', `Cannot highlight: ${problem}.`);
      const { start, end } = trimRange(doc.text, input.start, input.end);
      const time = this.now().toISOString();
      const same = doc.highlights.find(
        (h) => !h.orphan && h.target.position.start === start && h.target.position.end === end,
      );
      let result: Highlight;
      let highlights: Highlight[];
      if (same) {
        result = {
          ...same,
          tags: [...new Set([...same.tags, ...tags])],
          note: input.note !== undefined && input.note.trim() ? input.note : same.note,
          updated: time,
        };
        highlights = doc.highlights.map((h) => (h.id === same.id ? result : h));
      } else {
        result = {
          id: randomUUID(),
          documentId: doc.meta.id,
          tags,
          note: input.note ?? '',
          created: time,
          updated: time,
          target: describeRange(doc.text, start, end),
        };
        highlights = [...doc.highlights, result];
      }
      await this.saveDocument(doc.meta.id, { ...doc, highlights });
      return structuredClone(result);
    });
  }

  /**
   * Puts a highlight back exactly as it was (same id, tags, note and times): what undo needs.
   * Replaces a highlight with the same id, or adds it. Its quote is checked against the text, so
   * a stale copy cannot attach itself to the wrong passage.
   */
  restoreHighlight(highlight: Highlight): Promise<Highlight> {
    return this.exclusive(async () => {
      const doc = await this.loadDocument(highlight.documentId);
      this.requireKnownTags(highlight.tags);
      const { start, end } = highlight.target.position;
      const inPlace = doc.text.slice(start, end) === highlight.target.quote.exact;
      if (!highlight.orphan && (!inPlace || rangeProblem(doc.text, start, end))) {
        throw new GlossaError('CONFLICT', 'The highlight no longer matches the text, so it cannot be put back.');
      }
      const restored = structuredClone(highlight);
      const highlights = doc.highlights.some((h) => h.id === restored.id)
        ? doc.highlights.map((h) => (h.id === restored.id ? restored : h))
        : [...doc.highlights, restored];
      await this.saveDocument(doc.meta.id, { ...doc, highlights });
      return structuredClone(restored);
    });
  }

  /**
   * Replaces one paragraph's text (a typo fixed, say) and finds every highlight again on the new
   * text: exactly where it can, approximately where the passage itself changed, and otherwise keeps
   * it as an orphan — listed and exported, never dropped.
   */
  editParagraph(edit: ParagraphEdit): Promise<ReanchorReport> {
    return this.exclusive(async () => {
      const doc = await this.loadDocument(edit.documentId);
      const paragraph = doc.paragraphs.find((p) => p.n === edit.n);
      if (!paragraph) throw new GlossaError('NOT_FOUND', `The document has no ¶ ${edit.n}.`);
      const replacement = edit.text.replace(/\s*\n\s*/g, ' ').trim();
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
      const { highlights, report } = this.reanchorAll(doc.highlights, text, (h) => {
        const { start, end } = h.target.position;
        return end <= paragraph.start ? start : start >= paragraph.end ? start + delta : undefined;
      });
      const next: DocumentFile = { ...doc, text, paragraphs, highlights };
      await this.saveDocument(doc.meta.id, next);
      return { document: structuredClone({ meta: next.meta, text, paragraphs, highlights }), ...report };
    });
  }

  /**
   * Replaces a document's whole text with a corrected version (a re-import) and finds every
   * highlight again on it, as editParagraph does for one paragraph. The document keeps its id,
   * title and highlights; those no longer found become orphans.
   */
  replaceText(
    documentId: string,
    replacement: { text: string; paragraphs: DocumentFile['paragraphs'] },
  ): Promise<ReanchorReport> {
    return this.exclusive(async () => {
      const doc = await this.loadDocument(documentId);
      if (!replacement.text) throw new GlossaError('INVALID_INPUT', 'The new version holds no text.');
      const { highlights, report } = this.reanchorAll(doc.highlights, replacement.text, () => undefined);
      const next: DocumentFile = { ...doc, text: replacement.text, paragraphs: replacement.paragraphs, highlights };
      await this.saveDocument(documentId, next);
      return {
        document: structuredClone({ meta: next.meta, text: next.text, paragraphs: next.paragraphs, highlights }),
        ...report,
      };
    });
  }

  /** Finds every highlight on a changed text: exactly, approximately, or as an orphan (kept). */
  private reanchorAll(
    list: Highlight[],
    text: string,
    hintFor: (h: Highlight) => number | undefined,
  ): { highlights: Highlight[]; report: { exact: number; approximate: number; orphaned: number } } {
    const report = { exact: 0, approximate: 0, orphaned: 0 };
    const time = this.now().toISOString();
    const highlights = list.map((h) => {
      const found = reanchor(text, h.target, h.orphan ? undefined : hintFor(h));
      if (!found) {
        report.orphaned++;
        return h.orphan ? h : { ...h, orphan: true, updated: time };
      }
      report[found.approximate ? 'approximate' : 'exact']++;
      const target = describeRange(text, found.start, found.end);
      if (!h.orphan && JSON.stringify(target) === JSON.stringify(h.target)) return h;
      const { orphan: _orphan, ...rest } = h;
      return { ...rest, target, updated: time };
    });
    return { highlights, report };
  }

  /** Attaches a highlight (typically an orphan) to a newly selected passage. */
  reattachHighlight(input: {
    documentId: string;
    highlightId: string;
    start: number;
    end: number;
  }): Promise<Highlight> {
    return this.exclusive(async () => {
      const doc = await this.loadDocument(input.documentId);
      const current = doc.highlights.find((h) => h.id === input.highlightId);
      if (!current)
        throw new GlossaError('NOT_FOUND', `There is no highlight "${input.highlightId}" in this document.`);
      const problem = rangeProblem(doc.text, input.start, input.end);
      if (problem) throw new GlossaError('INVALID_INPUT', `Cannot attach: ${problem}.`);
      const { start, end } = trimRange(doc.text, input.start, input.end);
      const { orphan: _orphan, ...rest } = current;
      const next: Highlight = {
        ...rest,
        target: describeRange(doc.text, start, end),
        updated: this.now().toISOString(),
      };
      await this.saveDocument(doc.meta.id, {
        ...doc,
        highlights: doc.highlights.map((h) => (h.id === next.id ? next : h)),
      });
      return structuredClone(next);
    });
  }

  updateHighlight(change: HighlightChange): Promise<Highlight> {
    return this.exclusive(async () => {
      const doc = await this.loadDocument(change.documentId);
      const current = doc.highlights.find((h) => h.id === change.highlightId);
      if (!current)
        throw new GlossaError('NOT_FOUND', `There is no highlight "${change.highlightId}" in this document.`);
      const next: Highlight = {
        ...current,
        tags: change.tags ? this.requireKnownTags(change.tags) : current.tags,
        note: change.note ?? current.note,
        updated: this.now().toISOString(),
      };
      await this.saveDocument(doc.meta.id, {
        ...doc,
        highlights: doc.highlights.map((h) => (h.id === current.id ? next : h)),
      });
      return structuredClone(next);
    });
  }

  deleteHighlight(documentId: string, highlightId: string): Promise<{ deleted: string }> {
    return this.exclusive(async () => {
      const doc = await this.loadDocument(documentId);
      if (!doc.highlights.some((h) => h.id === highlightId)) {
        throw new GlossaError('NOT_FOUND', `There is no highlight "${highlightId}" in this document.`);
      }
      await this.saveDocument(documentId, { ...doc, highlights: doc.highlights.filter((h) => h.id !== highlightId) });
      return { deleted: highlightId };
    });
  }

  /**
   * Stores what an import planned (see interchange/apply-import): new tags, new documents, and
   * highlights. A highlight whose id the document already has is left alone and counted.
   */
  mergeImport(input: {
    tags: Tag[];
    documents: { documentId: string; add?: DocumentFile; highlights: Highlight[] }[];
  }): Promise<{ added: number; alreadyPresent: number; documentsAdded: number }> {
    return this.exclusive(async () => {
      const counts = { added: 0, alreadyPresent: 0, documentsAdded: 0 };
      const tags = this.index.data.codebook.tags;
      const newTags = input.tags.filter((t) => !tags.some((x) => x.id === t.id));
      if (newTags.length > 0) this.index.data.codebook = { tags: [...tags, ...newTags] };
      for (const planned of input.documents) {
        if (planned.add && !this.entry(planned.documentId)) {
          await this.insertDocument(planned.add);
          counts.documentsAdded++;
        }
        const doc = await this.loadDocument(planned.documentId);
        const present = new Set(doc.highlights.map((h) => h.id));
        const fresh = planned.highlights.filter((h) => !present.has(h.id) && (present.add(h.id), true));
        counts.alreadyPresent += planned.highlights.length - fresh.length;
        counts.added += fresh.length;
        if (fresh.length > 0)
          await this.saveDocument(doc.meta.id, { ...doc, highlights: [...doc.highlights, ...fresh] });
      }
      await this.writeIndex();
      return counts;
    });
  }

  /** Waits for pending writes, then releases the lock. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    if (this.indexDirty) await this.writeIndex().catch(() => undefined);
    clearTimeout(this.indexTimer);
    this.closed = true;
    await this.release();
  }
}
