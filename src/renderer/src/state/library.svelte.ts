import type { Client } from '../../../shared/api';
import { errorMessage } from '../lib/error-message';
import type { DocumentSummary, ImportOutcome, SearchHit } from '../../../shared/types';
import type { ReaderState } from './reader.svelte';

export type SortKey = 'title' | 'date' | 'source' | 'author' | 'highlights' | `tag:${string}`;

export interface ImportProgress {
  total: number;
  done: number;
  current: string;
  cancelled: boolean;
}

/** Base64 of a file's bytes, in chunks: spreading megabytes into one call would overflow the stack. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// One collator for every comparison: localeCompare with options builds one per call, which made
// sorting 10,000 titles a large part of what showing the library screen cost.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compare(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined || a === '') return 1;
  if (b === undefined || b === '') return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
}

/**
 * The library screen: sorting and filtering the document list, imports with progress, the trash,
 * and library-wide search. The document list itself is the reader's (one list, always current).
 */
export class LibraryState {
  sortKey = $state<SortKey>('title');
  sortAscending = $state(true);
  filter = $state('');
  showTrash = $state(false);
  trash = $state.raw<DocumentSummary[]>([]);
  progress = $state.raw<ImportProgress | null>(null);
  /** What the last import did, file by file, until dismissed. */
  outcomes = $state.raw<ImportOutcome[]>([]);
  query = $state('');
  hits = $state.raw<SearchHit[] | null>(null);
  searching = $state(false);
  /** Documents moved to the trash from this screen, most recent last: what Undo puts back. */
  private trashedHere: string[] = [];
  undoTrashLabel = $state<string | null>(null);

  /** Attribute names in use across the library, for the filter's hint and the Details form. */
  readonly attributeNames: string[] = $derived.by(() =>
    this.reader.documents
      .flatMap((d) => Object.keys(d.attributes ?? {}))
      .filter((k, i, all) => all.indexOf(k) === i)
      .sort(),
  );

  readonly visible: DocumentSummary[] = $derived.by(() => {
    const list = this.showTrash ? this.trash : this.reader.documents;
    const filtered = matchesFilter(list, this.filter);
    const key = (d: DocumentSummary): string | number | undefined => {
      if (this.sortKey === 'highlights') return d.highlightCount;
      if (this.sortKey.startsWith('tag:')) return d.tagCounts[this.sortKey.slice(4)] ?? 0;
      return d[this.sortKey as 'title' | 'date' | 'source' | 'author'];
    };
    const sorted = [...filtered].sort((a, b) => compare(key(a), key(b)) || compare(a.title, b.title));
    return this.sortAscending ? sorted : sorted.reverse();
  });

  constructor(
    private readonly client: Client,
    private readonly reader: ReaderState,
  ) {}

  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortAscending = !this.sortAscending;
    else {
      this.sortKey = key;
      // Counts and dates read best largest/newest first.
      this.sortAscending = key === 'title' || key === 'source' || key === 'author';
    }
  }

  private say(message: string): void {
    this.reader.error = '';
    this.reader.status = message;
  }

  private fail(error: unknown): void {
    this.reader.error = errorMessage(error);
  }

  async refreshTrash(): Promise<void> {
    try {
      this.trash = await this.client.listDocuments({ trashed: true });
    } catch (error) {
      this.fail(error);
    }
  }

  async openTrash(show: boolean): Promise<void> {
    this.showTrash = show;
    if (show) await this.refreshTrash();
  }

  private async afterImport(outcomes: ImportOutcome[]): Promise<void> {
    this.outcomes = outcomes;
    await this.reader.refreshDocuments();
    const added = outcomes.filter((o) => o.added).length;
    const already = outcomes.filter((o) => o.added === false).length;
    const failed = outcomes.filter((o) => o.error).length;
    const annotations = outcomes.filter((o) => o.summary);
    if (annotations.length > 0) {
      // Highlights from other tools (or from Glossa) may have landed in the open document.
      const open = this.reader.doc?.meta.id;
      if (open) await this.reader.reload(open);
    }
    const parts = annotations.length > 0 && added === 0 ? [] : [`${added} imported`];
    parts.push(...annotations.map((o) => `${o.fileName}: ${o.summary}`));
    if (already) parts.push(`${already} already in the library`);
    if (failed) parts.push(`${failed} could not be imported`);
    this.say(`${parts.join(', ')}.`);
  }

  /**
   * Imports files one after another, showing which one is being read. Cancel stops before the next
   * file; the ones already imported stay (each import is complete on its own).
   */
  async importFiles(files: File[]): Promise<void> {
    if (files.length === 0 || this.progress) return;
    const outcomes: ImportOutcome[] = [];
    this.progress = { total: files.length, done: 0, current: files[0].name, cancelled: false };
    try {
      for (const file of files) {
        if (this.progress.cancelled) break;
        this.progress = { ...this.progress, current: file.name };
        try {
          const data = toBase64(new Uint8Array(await file.arrayBuffer()));
          outcomes.push(await this.client.importFile({ fileName: file.name, data }));
        } catch (error) {
          outcomes.push({ fileName: file.name, error: error instanceof Error ? error.message : String(error) });
        }
        this.progress = { ...this.progress, done: this.progress.done + 1 };
      }
    } finally {
      const cancelled = this.progress?.cancelled;
      this.progress = null;
      await this.afterImport(outcomes);
      if (cancelled) this.say(`${this.reader.status} Import cancelled; the remaining files were not read.`);
    }
  }

  cancelImport(): void {
    if (this.progress) this.progress = { ...this.progress, cancelled: true };
  }

  /** The desktop app's native open dialog; the main process reads the files. */
  async importWithDialog(): Promise<void> {
    try {
      this.progress = { total: 0, done: 0, current: '', cancelled: false };
      const outcomes = await this.client.importWithDialog({});
      this.progress = null;
      if (outcomes.length > 0) await this.afterImport(outcomes);
    } catch (error) {
      this.fail(error);
    } finally {
      this.progress = null;
    }
  }

  async importPasted(text: string, title: string): Promise<boolean> {
    try {
      const outcome = await this.client.importText({ text, ...(title.trim() ? { title: title.trim() } : {}) });
      await this.afterImport([outcome]);
      return !outcome.error;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  async moveToTrash(doc: DocumentSummary): Promise<void> {
    try {
      await this.client.trashDocument({ documentId: doc.id });
      this.trashedHere.push(doc.id);
      this.undoTrashLabel = `Undo moving “${doc.title}” to the trash`;
      await this.reader.refreshDocuments();
      this.reader.closeIfGone();
      this.say(`Moved “${doc.title}” to the trash.`);
    } catch (error) {
      this.fail(error);
    }
  }

  async restore(doc: DocumentSummary): Promise<void> {
    try {
      await this.client.restoreDocument({ documentId: doc.id });
      this.trashedHere = this.trashedHere.filter((id) => id !== doc.id);
      this.undoTrashLabel = this.trashedHere.length > 0 ? this.undoTrashLabel : null;
      await Promise.all([this.reader.refreshDocuments(), this.refreshTrash()]);
      this.say(`Restored “${doc.title}”.`);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Undo of the last move to the trash made on this screen. */
  async undoTrash(): Promise<void> {
    const id = this.trashedHere.pop();
    if (!id) return;
    this.undoTrashLabel = this.trashedHere.length > 0 ? 'Undo moving to the trash' : null;
    try {
      const summary = await this.client.restoreDocument({ documentId: id });
      await Promise.all([this.reader.refreshDocuments(), this.showTrash ? this.refreshTrash() : undefined]);
      this.say(`Restored “${summary.title}”.`);
    } catch (error) {
      this.fail(error);
    }
  }

  async emptyTrash(): Promise<void> {
    try {
      const { deleted } = await this.client.emptyTrash({});
      this.trashedHere = [];
      this.undoTrashLabel = null;
      await this.refreshTrash();
      this.say(`Deleted ${deleted.length} document${deleted.length === 1 ? '' : 's'} for good.`);
    } catch (error) {
      this.fail(error);
    }
  }

  async search(): Promise<void> {
    const query = this.query.trim();
    if (!query) {
      this.hits = null;
      return;
    }
    this.searching = true;
    try {
      this.hits = await this.client.searchLibrary({ query });
    } catch (error) {
      this.fail(error);
    } finally {
      this.searching = false;
    }
  }

  async openHit(hit: SearchHit): Promise<void> {
    if (hit.field === 'text' && hit.start !== undefined && hit.end !== undefined) {
      await this.reader.reveal(hit.documentId, { start: hit.start, end: hit.end });
    } else {
      await this.reader.open(hit.documentId);
      if (hit.highlightId) this.reader.select(hit.highlightId, true);
    }
  }
}

/**
 * The library filter: words found in the title, source, author, date or an attribute's value;
 * `key=value` parts match a document attribute exactly (any case), so `country=Russia outlet=TASS`
 * narrows to cases.
 */
export function matchesFilter(list: DocumentSummary[], filter: string): DocumentSummary[] {
  const parts = filter
    .trim()
    .toLocaleLowerCase()
    .split(/\s+(?=\S+=)/)
    .filter(Boolean);
  if (parts.length === 0) return list;
  const attributes = parts.filter((p) => /^[^=\s]+=/.test(p)).map((p) => p.split('=', 2) as [string, string]);
  const words = parts.filter((p) => !/^[^=\s]+=/.test(p)).join(' ');
  return list.filter((d) => {
    const attrs = Object.entries(d.attributes ?? {}).map(([k, v]) => [k.toLocaleLowerCase(), v.toLocaleLowerCase()]);
    if (!attributes.every(([k, v]) => attrs.some(([dk, dv]) => dk === k && dv === v.trim()))) return false;
    if (!words) return true;
    return [d.title, d.source, d.author ?? '', d.date ?? '', ...attrs.map(([, v]) => v)].some((f) =>
      f.toLocaleLowerCase().includes(words),
    );
  });
}
