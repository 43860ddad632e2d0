import { findMatches } from '../shared/find-text';
import type { SearchHit } from '../shared/types';
import { GlossaError } from '../shared/errors';
import { join } from 'node:path';
import type { DocumentFile, IndexEntry } from './stored-schema';
import type { LibraryStore } from './store/library-store';
import { REBUILD_SAVE, SEARCH_FOLDING as FIND, SearchIndex, wordStartsIn } from './search-index';

/** Derived from the documents; deleting it costs one rebuild on the next search. */
export const SEARCH_INDEX_FILE = 'search-index.json';

const SEARCH_CONTEXT = 60;
export const SEARCH_LIMIT = 200;

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
  if (to < upper) {
    const space = text.lastIndexOf(' ', to);
    if (space > end) to = space;
  }
  const lead = from > lower ? '…' : '';
  return {
    context: `${lead}${text.slice(from, to)}${to < upper ? '…' : ''}`,
    matchStart: lead.length + start - from,
    matchEnd: lead.length + end - from,
  };
}

/** The paragraph holding `offset`, by binary search (documents have thousands of paragraphs). */
function paragraphAt(doc: DocumentFile, offset: number): DocumentFile['paragraphs'][number] | undefined {
  const list = doc.paragraphs;
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end > offset) hi = mid;
    else lo = mid + 1;
  }
  return list[lo];
}

/**
 * Where one document holds the query: its title, its text (a hit per occurrence, in its paragraph)
 * and its notes, with case and accents ignored as in the reader's find; only at word starts when
 * the search index chose the document (see SearchIndex). Stops at `limit` hits, so
 * a query found everywhere in a huge text costs no more than the hits it returns.
 */
export function searchDocument(doc: DocumentFile, query: string, limit: number, atWordStarts = false): SearchHit[] {
  const hits: SearchHit[] = [];
  const where = (text: string) => (atWordStarts ? wordStartsIn(text, query) : undefined);
  const base = { documentId: doc.meta.id, title: doc.meta.title };
  for (const m of findMatches(doc.meta.title, query, FIND, 1, where(doc.meta.title))) {
    hits.push({ ...base, field: 'title', ...contextAround(doc.meta.title, m.start, m.end) });
  }
  for (const m of findMatches(doc.text, query, FIND, limit - hits.length, where(doc.text))) {
    const p = paragraphAt(doc, m.start);
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
    if (hits.length >= limit) break;
    if (typeof h?.note !== 'string' || typeof h.target?.position?.start !== 'number') continue;
    const m = findMatches(h.note, query, FIND, 1, where(h.note))[0];
    if (!m) continue;
    const p = paragraphAt(doc, h.target.position.start);
    hits.push({ ...base, field: 'note', n: p?.n, highlightId: h.id, ...contextAround(h.note, m.start, m.end) });
  }
  return hits.slice(0, limit);
}

const indexes = new WeakMap<LibraryStore, Promise<SearchIndex>>();

/** The library's search index, opened once per library and saved when the library closes. */
function indexOf(lib: LibraryStore): Promise<SearchIndex> {
  let index = indexes.get(lib);
  if (!index) {
    index = SearchIndex.open(join(lib.dataDir, SEARCH_INDEX_FILE));
    indexes.set(lib, index);
    lib.onClose(async () => (await index)?.save());
  }
  return index;
}

/** A document read for searching, or null if it cannot be read (reported when it is opened). */
async function readable(lib: LibraryStore, id: string): Promise<DocumentFile | null> {
  try {
    return await lib.readUncached(id);
  } catch (error) {
    if (error instanceof GlossaError) return null;
    throw error;
  }
}

/**
 * Indexes the documents changed since they were indexed (none, usually; all of them on the first
 * search of a library) and forgets those gone. Runs inside the library's queue.
 */
async function bringUpToDate(lib: LibraryStore, index: SearchIndex, live: IndexEntry[]): Promise<void> {
  const stale = index.stale(live);
  for (const entry of stale) {
    const file = await readable(lib, entry.id);
    if (!file) continue;
    index.put(file);
    // An index written by an earlier version has no revisions: record this one, so the document
    // is not indexed again on every search.
    const current = lib.entry(entry.id);
    if (current?.stats && current.stats.revision !== file.revision) {
      lib.replaceEntry(entry.id, { ...current, stats: { ...current.stats, revision: file.revision ?? 0 } });
      if (!lib.readOnly) lib.scheduleIndexWrite();
    }
  }
  index.keepOnly(new Set(live.map((e) => e.id)));
  // A (re)build is saved at once, so a crash does not cost it again; single changes wait for close.
  if (stale.length >= REBUILD_SAVE && !lib.readOnly) await index.save();
}

/**
 * Finds words in every document of the library (not the trash): titles, text and notes, with
 * case and accents ignored as in the reader's find. The search index picks the documents that
 * hold every word; only those are read, and each is searched for the exact phrase, so the index
 * narrows the reading but never decides a hit. Documents read only for this are not kept in
 * memory. Stops at `limit` hits.
 */
export function searchLibrary(lib: LibraryStore, query: string, limit = SEARCH_LIMIT): Promise<SearchHit[]> {
  return lib.exclusive(async () => {
    const live = lib.index.data.documents.filter((d) => !d.trashed);
    let candidates: Set<string> | null = null;
    const indexed = SearchIndex.canFilter(query);
    if (indexed) {
      const index = await indexOf(lib);
      await bringUpToDate(lib, index, live);
      candidates = index.candidates(query);
    }
    const hits: SearchHit[] = [];
    for (const entry of live) {
      if (hits.length >= limit) break;
      if (candidates && !candidates.has(entry.id)) continue;
      const file = await readable(lib, entry.id);
      if (file) hits.push(...searchDocument(file, query, limit - hits.length, indexed));
    }
    return hits;
  });
}
