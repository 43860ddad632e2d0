import { readFile } from 'node:fs/promises';
import MiniSearch, { type Options } from 'minisearch';
import { writeFileDurably } from './store/durable-file';
import type { DocumentFile, IndexEntry } from './stored-schema';

/** Bumped when what is indexed, or how, changes: an index of another format is rebuilt. */
const FORMAT = 1;

interface Indexed {
  id: string;
  title: string;
  text: string;
  notes: string;
}

const NON_ASCII = /[^ -~\t\n\r]/;

/**
 * Case and accents folded as the reader's find folds them: NFD with marks dropped, then lower
 * case one character at a time (as find does; a whole Greek word would end in ς, find's σ).
 */
export function foldTerm(term: string): string {
  if (!NON_ASCII.test(term)) return term.toLowerCase();
  let out = '';
  for (const ch of term.normalize('NFD').replace(/\p{M}/gu, '')) out += ch.toLocaleLowerCase();
  return out;
}

const OPTIONS: Options<Indexed> = {
  fields: ['title', 'text', 'notes'],
  processTerm: (term) => foldTerm(term) || null,
};

// Scripts written without spaces between words: a word is not a token there, so the index cannot
// find a word inside a run of them, and those queries read the documents instead.
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

// MiniSearch's own word separators (its default tokenizer splits on these).
const SEPARATOR = /[\n\r\p{Z}\p{P}]/u;

/**
 * Where a library search may find `query` in `text`: where a word starts, as the index sees
 * words, unless the query itself starts with a separator ("-Qaeda", "'s"). Search and index
 * then agree exactly, so filtering by the index never loses a hit.
 */
export function wordStartsIn(text: string, query: string): ((start: number) => boolean) | undefined {
  if (query.length === 0 || SEPARATOR.test(query[0])) return undefined;
  return (start) => start === 0 || SEPARATOR.test(text[start - 1]) || isLowSurrogateAfterSeparator(text, start);
}

function isLowSurrogateAfterSeparator(text: string, start: number): boolean {
  // A separator outside the BMP is two UTF-16 units; the unit before the match is its second half.
  return start >= 2 && (text.charCodeAt(start - 1) & 0xfc00) === 0xdc00 && SEPARATOR.test(text.slice(start - 2, start));
}

/**
 * The words of every document (title, text, notes), so a library search reads only the documents
 * that hold all the query's words instead of every document. It is a filter, never the answer:
 * each candidate's text is still searched for the exact phrase. Library search therefore finds
 * words and word beginnings ("traffick" finds "traffickers", as in most search engines), not a
 * run of letters inside a word ("handel" does not find "Drogenhandel"): the trade-off that lets it
 * answer from an index instead of reading 50 MB. The reader's find still matches anywhere.
 *
 * Kept in `search-index.json` with the revision each document was indexed at; a document whose
 * revision differs (changed since, or by a crash before the index was saved) is indexed again
 * when the next search comes, and only that one. Saved on close and after a large (re)build, not
 * on each change: a change costs one re-index in memory, not a write of the whole index.
 */
export class SearchIndex {
  private mini = new MiniSearch<Indexed>(OPTIONS);
  private readonly revisions = new Map<string, number>();
  private unsaved = 0;

  private constructor(private readonly path: string) {}

  /** The saved index, or an empty one (rebuilt by the next search) if it is missing, old or damaged. */
  static async open(path: string): Promise<SearchIndex> {
    const index = new SearchIndex(path);
    try {
      const saved = JSON.parse(await readFile(path, 'utf8')) as {
        format?: unknown;
        revisions?: Record<string, number>;
        index?: unknown;
      };
      if (saved.format !== FORMAT || !saved.revisions || !saved.index) throw new Error('another format');
      index.mini = MiniSearch.loadJS(saved.index as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS);
      for (const [id, rev] of Object.entries(saved.revisions)) index.revisions.set(id, rev);
    } catch {
      // A derived file: losing it costs one rebuild, never data. Nothing to keep aside.
      index.mini = new MiniSearch<Indexed>(OPTIONS);
      index.revisions.clear();
      index.unsaved = 1;
    }
    return index;
  }

  /** Whether the index can answer this query (else every document must be read). */
  static canFilter(query: string): boolean {
    return !UNSPACED.test(query) && MiniSearch.getDefault('tokenize')(query).some((t: string) => foldTerm(t) !== '');
  }

  /** The documents (of `entries`) that are missing or at another revision than indexed. */
  stale(entries: IndexEntry[]): IndexEntry[] {
    return entries.filter((e) => e.stats?.revision === undefined || this.revisions.get(e.id) !== e.stats.revision);
  }

  /** Indexes one document as it is now (replacing what was indexed for it). */
  put(doc: DocumentFile): void {
    const id = doc.meta.id;
    if (this.revisions.has(id) && this.mini.has(id)) this.mini.discard(id);
    this.mini.add({
      id,
      title: doc.meta.title,
      text: doc.text,
      notes: doc.highlights.map((h) => h.note).join('\n'),
    });
    this.revisions.set(id, doc.revision ?? 0);
    this.unsaved++;
  }

  /** Forgets documents no longer in the library (deleted, or in the trash). */
  keepOnly(ids: Set<string>): void {
    for (const id of [...this.revisions.keys()]) {
      if (ids.has(id)) continue;
      if (this.mini.has(id)) this.mini.discard(id);
      this.revisions.delete(id);
      this.unsaved++;
    }
  }

  /** Ids of the documents holding every word of the query (each possibly as a word beginning). */
  candidates(query: string): Set<string> {
    const found = this.mini.search(query, { prefix: true, combineWith: 'AND', fields: ['title', 'text', 'notes'] });
    return new Set(found.map((r) => r.id as string));
  }

  /** Whether enough changed since the last save that a restart would redo real work. */
  get worthSaving(): boolean {
    return this.unsaved >= 50;
  }

  async save(): Promise<void> {
    if (this.unsaved === 0) return;
    if (this.mini.dirtCount > 0) this.mini.vacuum();
    const revisions = Object.fromEntries(this.revisions);
    await writeFileDurably(this.path, JSON.stringify({ format: FORMAT, revisions, index: this.mini.toJSON() }));
    this.unsaved = 0;
  }
}
