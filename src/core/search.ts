import { findMatches } from '../shared/find-text';
import type { SearchHit } from '../shared/types';
import { GlossaError } from '../shared/errors';
import type { DocumentFile } from './stored-schema';
import type { DocumentStore } from './store/document-store';
import type { LibraryStore } from './store/library-store';

const SEARCH_CONTEXT = 60;
export const SEARCH_LIMIT = 200;
const FIND = { matchCase: false, matchAccents: false };

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
 * and its notes, with case and accents ignored as in the reader's find. Stops at `limit` hits, so
 * a query found everywhere in a huge text costs no more than the hits it returns.
 */
export function searchDocument(doc: DocumentFile, query: string, limit: number): SearchHit[] {
  const hits: SearchHit[] = [];
  const base = { documentId: doc.meta.id, title: doc.meta.title };
  for (const m of findMatches(doc.meta.title, query, FIND, 1)) {
    hits.push({ ...base, field: 'title', ...contextAround(doc.meta.title, m.start, m.end) });
  }
  for (const m of findMatches(doc.text, query, FIND, limit - hits.length)) {
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
    const m = findMatches(h.note, query, FIND, 1)[0];
    if (!m) continue;
    const p = paragraphAt(doc, h.target.position.start);
    hits.push({ ...base, field: 'note', n: p?.n, highlightId: h.id, ...contextAround(h.note, m.start, m.end) });
  }
  return hits.slice(0, limit);
}

/**
 * Finds words in every document of the library (not the trash): titles, text and notes, with
 * case and accents ignored as in the reader's find. Stops reading at `limit` hits.
 */
export function searchLibrary(lib: LibraryStore, query: string, limit = SEARCH_LIMIT): Promise<SearchHit[]> {
  return lib.exclusive(async () => {
    const hits: SearchHit[] = [];
    for (const entry of lib.index.data.documents.filter((d) => !d.trashed)) {
      if (hits.length >= limit) break;
      let store: DocumentStore;
      try {
        store = await lib.loadDocument(entry.id);
      } catch (error) {
        if (error instanceof GlossaError) continue;
        throw error;
      }
      hits.push(...searchDocument(store.file(), query, limit - hits.length));
    }
    return hits;
  });
}
