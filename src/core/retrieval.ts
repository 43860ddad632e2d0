import type { ValidInput } from '../shared/api';
import { addDocumentPairs, coverageByRow, emptyPairs } from '../shared/analysis';
import { GlossaError } from '../shared/errors';
import { firstEndingAfter } from '../shared/plain-text';
import { evaluate, parseQuery, resolveQuery, type Matches } from '../shared/query';
import type { Analysis, DocumentMeta, Highlight, Passage, PassagePage } from '../shared/types';
import { DEFAULT_PASSAGE_PAGE } from '../shared/limits';
import { codedDocuments } from './coding-index';
import type { IndexEntry } from './stored-schema';
import type { LibraryStore } from './store/library-store';

// Retrieval across the library: Passages queries and the Analysis tables. Both read every
// document's codes from the coding index (coding-index.ts), never its text; texts are read only
// for the documents a query finds, to show the words around each passage.

/** The documents a scope names (none: every document not in the trash), filtered by attributes. */
function scopeEntries(
  lib: LibraryStore,
  documentIds: string[] | undefined,
  attributes: Record<string, string> | undefined,
): IndexEntry[] {
  let entries: IndexEntry[];
  if (documentIds && documentIds.length > 0) {
    entries = [...new Set(documentIds)].map((id) => {
      const entry = lib.entry(id);
      if (!entry) throw new GlossaError('NOT_FOUND', `There is no document with id "${id}".`);
      return entry;
    });
  } else {
    entries = lib.index.data.documents.filter((d) => !d.trashed);
  }
  const wanted = Object.entries(attributes ?? {});
  return entries.filter((e) => wanted.every(([k, v]) => attributeValue(e, k)?.toLowerCase() === v.toLowerCase()));
}

/** The ids of the documents in scope that have these attribute values. */
export function documentsWith(
  lib: LibraryStore,
  documentIds: string[] | undefined,
  attributes: Record<string, string>,
): Promise<string[]> {
  return lib.exclusive(() => scopeEntries(lib, documentIds, attributes).map((e) => e.id));
}

/** An attribute's value, its name matched in any case. */
export function attributeValue(meta: DocumentMeta, key: string): string | undefined {
  const attrs = meta.attributes ?? {};
  const found = Object.keys(attrs).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : attrs[found];
}

const CONTEXT_CHARS = 100;

/** Up to CONTEXT_CHARS of text on one side of a passage, cut at a word and inside its paragraph. */
function around(text: string, from: number, to: number, side: 'before' | 'after'): string {
  const slice = text.slice(from, to);
  if (side === 'before') {
    const cut = slice.lastIndexOf('\n');
    const kept = cut >= 0 ? slice.slice(cut + 1) : slice;
    return from > 0 && cut < 0 ? kept.replace(/^\S*\s/, '') : kept;
  }
  const cut = slice.indexOf('\n');
  const kept = cut >= 0 ? slice.slice(0, cut) : slice;
  return to < text.length && cut < 0 ? kept.replace(/\s\S*$/, '') : kept;
}

/** Which highlights a query selects in each document in scope, in library order. */
async function matchAll(
  lib: LibraryStore,
  input: { query: string; documentIds?: string[]; attributes?: Record<string, string> },
): Promise<{ entry: IndexEntry; matches: Matches }[]> {
  const tree = resolveQuery(parseQuery(input.query), lib.index.data.codebook);
  const out: { entry: IndexEntry; matches: Matches }[] = [];
  const entries = scopeEntries(lib, input.documentIds, input.attributes);
  const coded = await codedDocuments(lib, entries);
  for (const entry of entries) {
    const doc = coded.get(entry.id)!;
    const matches = evaluate(tree, doc.highlights);
    if (matches.size > 0) out.push({ entry, matches });
  }
  return out;
}

/**
 * A page of the highlights a query selects across the library, with their place and the words
 * around them. The query is answered from the coding index; only the documents with passages on
 * this page are read (for the words around each), so a first page of a query found in every
 * document reads a few dozen files, not all of them.
 */
export function queryPassages(lib: LibraryStore, input: ValidInput<'queryPassages'>): Promise<PassagePage> {
  return lib.exclusive(async () => {
    const offset = input.offset ?? 0;
    const limit = input.limit ?? DEFAULT_PASSAGE_PAGE;
    const found = await matchAll(lib, input);
    // Newest documents first; undated ones last; the sort is stable, so ties keep library order.
    if (input.order === 'date') found.sort((a, b) => (b.entry.date ?? '').localeCompare(a.entry.date ?? ''));
    const total = found.reduce((n, f) => n + f.matches.size, 0);
    const passages: Passage[] = [];
    let skipped = 0;
    for (const { entry, matches } of found) {
      if (passages.length >= limit) break;
      if (skipped + matches.size <= offset) {
        skipped += matches.size;
        continue;
      }
      const open = lib.docs.get(entry.id)?.state;
      const file = open
        ? { text: open.text, paragraphs: open.paragraphs, highlights: open.highlights }
        : await lib.readUncached(entry.id).then((f) => ({
            text: f.text,
            paragraphs: f.paragraphs,
            highlights: new Map(f.highlights.map((h) => [h.id, h])),
          }));
      const inDocument = [...matches.keys()]
        .map((id) => file.highlights.get(id))
        .filter((h): h is Highlight => h !== undefined)
        .sort((a, b) => a.target.position.start - b.target.position.start || a.id.localeCompare(b.id));
      for (const h of inDocument) {
        if (skipped < offset) {
          skipped++;
          continue;
        }
        if (passages.length >= limit) break;
        const { start, end } = h.target.position;
        const p = file.paragraphs[firstEndingAfter(file.paragraphs, start)];
        const overlaps = matches.get(h.id);
        passages.push({
          highlight: structuredClone(h),
          title: entry.title,
          ...(entry.date ? { date: entry.date } : {}),
          n: p?.n ?? 1,
          before: around(file.text, Math.max(0, start - CONTEXT_CHARS), start, 'before'),
          after: around(file.text, end, Math.min(file.text.length, end + CONTEXT_CHARS), 'after'),
          ...(Array.isArray(overlaps) ? { overlaps } : {}),
        });
      }
    }
    return { total, offset, passages };
  });
}

/** The ids of the highlights a query selects, per document (for exports of a query). */
export async function queryHighlightIds(
  lib: LibraryStore,
  input: { query: string; documentIds?: string[]; attributes?: Record<string, string> },
): Promise<Map<string, Set<string>>> {
  return lib.exclusive(async () => {
    const out = new Map<string, Set<string>>();
    for (const { entry, matches } of await matchAll(lib, input)) out.set(entry.id, new Set(matches.keys()));
    return out;
  });
}

/** Frequencies per code and document (or attribute value), and the co-occurrence matrices. */
export function analyze(lib: LibraryStore, input: ValidInput<'getAnalysis'>): Promise<Analysis> {
  return lib.exclusive(async () => {
    const codebook = lib.index.data.codebook;
    const tags = input.tags && input.tags.length > 0 ? [...new Set(input.tags)] : codebook.tags.map((t) => t.id);
    lib.requireKnownTags(tags);
    const row = new Map(tags.map((t, i) => [t, i]));
    const pairs = emptyPairs(tags.length);
    const groups = new Map<
      string,
      { key: string; label: string; date?: string; documents: number; chars: number; col: number }
    >();
    const highlights: number[][] = tags.map(() => []);
    const chars: number[][] = tags.map(() => []);
    const attribute = input.attribute;
    const entries = scopeEntries(lib, input.documentIds, undefined);
    const coded = await codedDocuments(lib, entries);
    for (const entry of entries) {
      const doc = coded.get(entry.id)!;
      addDocumentPairs(pairs, doc.highlights, row);
      const key = attribute ? (attributeValue(entry, attribute) ?? '') : entry.id;
      let group = groups.get(key);
      if (!group) {
        group = {
          key,
          label: attribute ? key || '(no value)' : entry.title,
          ...(!attribute && entry.date ? { date: entry.date } : {}),
          documents: 0,
          chars: 0,
          col: groups.size,
        };
        groups.set(key, group);
        for (const r of tags.keys()) {
          highlights[r].push(0);
          chars[r].push(0);
        }
      }
      group.documents++;
      group.chars += doc.textLength;
      for (const h of doc.highlights) {
        for (const t of new Set(h.tags)) {
          const r = row.get(t);
          if (r !== undefined) highlights[r][group.col]++;
        }
      }
      const covered = coverageByRow(doc.highlights, row);
      for (const r of tags.keys()) chars[r][group.col] += covered[r];
    }
    return {
      tags,
      frequencies: {
        by: attribute ? { attribute } : 'document',
        groups: [...groups.values()].map(({ col: _col, ...g }) => g),
        highlights,
        chars,
      },
      cooccurrence: pairs,
    };
  });
}
