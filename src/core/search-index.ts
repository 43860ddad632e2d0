import { readFile } from 'node:fs/promises';
import { foldText } from '../shared/find-text';
import { writeFileDurably } from './store/durable-file';
import type { DocumentFile, IndexEntry } from './stored-schema';
import { lowerBound } from '../shared/sorted';

/** Bumped when what is indexed, or how, changes: an index of another format is rebuilt. */
const FORMAT = 3;
/** Documents indexed in one search from which the index is saved at once (not only on close). */
export const REBUILD_SAVE = 50;

/** Library search ignores case and accents, as the reader's find does by default. */
export const SEARCH_FOLDING = { matchCase: false, matchAccents: false };

/** A word folded exactly as library search folds the text it searches. */
export function foldTerm(term: string): string {
  return foldText(term, SEARCH_FOLDING);
}

// Scripts written without spaces between words: a word is not a token there, so the index cannot
// find a word inside a run of them, and those queries read the documents instead.
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

// Word separators: line breaks, spaces and punctuation. Words in the index and word starts in
// search are both cut by this one class, so the two agree exactly.
const SEPARATORS = '\\n\\r\\p{Z}\\p{P}';
const SEPARATOR = new RegExp(`[${SEPARATORS}]`, 'u');
const WORD = new RegExp(`[^${SEPARATORS}]+`, 'gu');

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
 * Adds the folded words of a text to `terms`, each once. Words are taken one match at a time: a
 * split of a 50 MB text would hold millions of strings at once.
 */
function addTerms(text: string, terms: Set<string>): Set<string> {
  for (const match of text.matchAll(WORD)) {
    const term = foldTerm(match[0]);
    if (term) terms.add(term);
  }
  return terms;
}

function termsOf(text: string): Set<string> {
  return addTerms(text, new Set());
}

/**
 * A filter of the word pairs that stand next to each other in a document (title, text, notes):
 * a Bloom filter, so a phrase search reads only the documents where its words are neighbours,
 * not every document that holds them somewhere (on 1,000 documents, most of the library for two
 * common words). A pair is kept as the first word and the first five characters of the second,
 * because a phrase's last word may be the beginning of a word ("border talk" finds "border
 * talks"): a pair ending in a last word shorter than that is not checked. Three characters were
 * tried first: on the benchmark's library (words made of 20 syllables) a common word followed by
 * any word starting "qua" then let a fifth of the documents through. It can say yes wrongly
 * (about 1 in 100 at 10 bits a pair), never no wrongly; the text decides every hit.
 */
const PAIR_PREFIX = 5;
const BITS_PER_PAIR = 10;
const PAIR_HASHES = 5;
/** Saved with the filters: filters made another way are not read (the index is rebuilt). */
const PAIR_SHAPE = `${PAIR_PREFIX}/${PAIR_HASHES}/fnv1a`;

/** FNV-1a over a string's UTF-16 units, from `seed`. */
function fnv(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Two hashes of the pair (first, second's prefix), for double hashing. */
function pairHashes(first: string, second: string): [number, number] {
  const tail = second.slice(0, PAIR_PREFIX);
  const h1 = fnv(tail, (fnv(first, 0x811c9dc5) ^ 0x9e3779b9) >>> 0);
  const h2 = (fnv(tail, fnv(first, 0x2545f491) ^ 0x85ebca6b) | 1) >>> 0;
  return [h1, h2];
}

/**
 * Adds a text's folded words to `terms` and the hashes of its neighbouring pairs to `hashes`, in
 * one pass: folding every word is most of what indexing costs.
 */
function scanWords(text: string, terms: Set<string>, hashes: number[]): void {
  let previous = '';
  for (const match of text.matchAll(WORD)) {
    const term = foldTerm(match[0]);
    if (!term) continue;
    terms.add(term);
    if (previous) {
      const [h1, h2] = pairHashes(previous, term);
      hashes.push(h1, h2);
    }
    previous = term;
  }
}

function pairFilter(hashes: number[]): Uint8Array {
  const bits = Math.max(64, (hashes.length / 2) * BITS_PER_PAIR);
  const filter = new Uint8Array(Math.ceil(bits / 8));
  const size = filter.length * 8;
  for (let i = 0; i < hashes.length; i += 2) {
    for (let k = 0; k < PAIR_HASHES; k++) {
      const bit = (hashes[i] + k * hashes[i + 1]) % size;
      filter[bit >> 3] |= 1 << (bit & 7);
    }
  }
  return filter;
}

function mayHold(filter: Uint8Array, [h1, h2]: [number, number]): boolean {
  const size = filter.length * 8;
  for (let k = 0; k < PAIR_HASHES; k++) {
    const bit = (h1 + k * h2) % size;
    if ((filter[bit >> 3] & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

/** The pairs of a query a document must hold: all but one ending in a last word too short to cut. */
function queryPairs(query: string): [number, number][] {
  const terms = [...query.matchAll(WORD)].map((m) => foldTerm(m[0])).filter(Boolean);
  const pairs: [number, number][] = [];
  for (let i = 1; i < terms.length; i++) {
    const last = i === terms.length - 1;
    if (last && terms[i].length < PAIR_PREFIX) continue;
    pairs.push(pairHashes(terms[i - 1], terms[i]));
  }
  return pairs;
}

/**
 * The words of every document (title, text, notes), so a library search reads only the documents
 * that hold all the query's words instead of every document. It is a filter, never the answer:
 * each candidate's text is still searched for the exact phrase. Library search therefore finds
 * words and word beginnings ("traffick" finds "traffickers", as in most search engines), not a
 * run of letters inside a word ("handel" does not find "Drogenhandel"): the trade-off that lets it
 * answer from an index instead of reading 50 MB. The reader's find still matches anywhere.
 *
 * An inverted index with nothing but what that filter needs: for each word, the numbers of the
 * documents holding it. MiniSearch (tried first) also keeps a frequency per word, field and
 * document for ranking, which search does not use; on 1,000 documents of 50 kB its index took
 * 430 MB of the server's memory and 21 s to build (bench/results). Numbers, not ids, keep the
 * lists small; a document indexed again gets a new number and its old one is dropped when the
 * index is saved (compacted), not searched for in every list at once. Each document also has a
 * filter of its neighbouring words (pairFilter), 10 bits per word of text, for phrases.
 *
 * Kept in `search-index.json` with the revision each document was indexed at; a document whose
 * revision differs (changed since, or by a crash before the index was saved) is indexed again
 * when the next search comes, and only that one. Saved on close and after a large (re)build (see
 * REBUILD_SAVE), not after changes: a change costs one re-index in memory, not a write of the
 * whole index.
 */
export class SearchIndex {
  /** Document number → id; '' for numbers no longer in use. */
  private ids: string[] = [];
  private readonly numbers = new Map<string, number>();
  /** Word → the numbers of the documents holding it, ascending. */
  private postings = new Map<string, number[]>();
  /** Document number → the filter of its word pairs (see pairFilter); null once dropped. */
  private pairs: (Uint8Array | null)[] = [];
  /** The words in order, for word-beginning lookups; rebuilt after new words arrive. */
  private sorted: string[] | null = null;
  private readonly revisions = new Map<string, number>();
  private dropped = 0;
  private unsaved = 0;

  private constructor(private readonly path: string) {}

  /** The saved index, or an empty one (rebuilt by the next search) if it is missing, old or damaged. */
  static async open(path: string): Promise<SearchIndex> {
    const index = new SearchIndex(path);
    try {
      const saved = JSON.parse(await readFile(path, 'utf8')) as {
        format?: unknown;
        ids?: unknown;
        revisions?: Record<string, number>;
        words?: unknown;
        pairs?: unknown;
        pairShape?: unknown;
      };
      if (
        saved.format !== FORMAT ||
        !Array.isArray(saved.ids) ||
        !saved.revisions ||
        !Array.isArray(saved.words) ||
        !Array.isArray(saved.pairs) ||
        saved.pairs.length !== saved.ids.length ||
        saved.pairShape !== PAIR_SHAPE
      ) {
        throw new Error('another format');
      }
      index.ids = saved.ids as string[];
      index.pairs = (saved.pairs as unknown[]).map((p) =>
        typeof p === 'string' ? new Uint8Array(Buffer.from(p, 'base64')) : null,
      );
      index.ids.forEach((id, n) => id && index.numbers.set(id, n));
      for (const [word, list] of saved.words as [string, number[]][]) index.postings.set(word, list);
      for (const [id, rev] of Object.entries(saved.revisions)) index.revisions.set(id, rev);
    } catch {
      // A derived file: losing it costs one rebuild, never data. Nothing to keep aside.
      return new SearchIndex(path).dirty();
    }
    return index;
  }

  /** An index with nothing in it yet. */
  static empty(path: string): SearchIndex {
    return new SearchIndex(path);
  }

  /** Document numbers held, in use or dropped and not yet compacted away. */
  get size(): number {
    return this.ids.length;
  }

  private dirty(): this {
    this.unsaved++;
    return this;
  }

  /** Whether the index can answer this query (else every document must be read). */
  static canFilter(query: string): boolean {
    return !UNSPACED.test(query) && termsOf(query).size > 0;
  }

  /** The documents (of `entries`) that are missing or at another revision than indexed. */
  stale(entries: IndexEntry[]): IndexEntry[] {
    return entries.filter((e) => e.stats?.revision === undefined || this.revisions.get(e.id) !== e.stats.revision);
  }

  /** Indexes one document as it is now (replacing what was indexed for it). */
  put(doc: DocumentFile): void {
    const id = doc.meta.id;
    this.drop(id);
    const n = this.ids.length;
    this.ids.push(id);
    this.numbers.set(id, n);
    const terms = new Set<string>();
    const hashes: number[] = [];
    scanWords(doc.meta.title, terms, hashes);
    scanWords(doc.text, terms, hashes);
    for (const h of doc.highlights) if (typeof h?.note === 'string') scanWords(h.note, terms, hashes);
    this.pairs.push(pairFilter(hashes));
    for (const term of terms) {
      const list = this.postings.get(term);
      if (list) list.push(n);
      else {
        this.postings.set(term, [n]);
        this.sorted = null;
      }
    }
    this.revisions.set(id, doc.revision ?? 0);
    this.unsaved++;
  }

  private drop(id: string): void {
    const n = this.numbers.get(id);
    if (n === undefined) return;
    this.ids[n] = '';
    this.pairs[n] = null;
    this.numbers.delete(id);
    // Numbers dropped still sit in the word lists; once they outnumber the documents in use,
    // compacting costs less than carrying them (a library edited for hours, never saved if it is
    // open read-only).
    if (++this.dropped > this.numbers.size) this.compact();
  }

  /** Forgets documents no longer in the library (deleted, or in the trash). */
  keepOnly(ids: Set<string>): void {
    for (const id of [...this.revisions.keys()]) {
      if (ids.has(id)) continue;
      this.drop(id);
      this.revisions.delete(id);
      this.unsaved++;
    }
  }

  /** Ids of the documents holding every word of the query (each possibly as a word beginning). */
  candidates(query: string): Set<string> {
    const sorted = (this.sorted ??= [...this.postings.keys()].sort());
    let found: Uint8Array | null = null;
    for (const term of termsOf(query)) {
      const holding = new Uint8Array(this.ids.length);
      // Every word starting with `term` sits in one run of the sorted words.
      for (let i = lowerBound(sorted, term); i < sorted.length && sorted[i].startsWith(term); i++) {
        for (const n of this.postings.get(sorted[i]) ?? []) holding[n] = 1;
      }
      if (found) for (let n = 0; n < found.length; n++) found[n] &= holding[n];
      else found = holding;
    }
    const pairs = queryPairs(query);
    const ids = new Set<string>();
    if (found) {
      for (let n = 0; n < found.length; n++) {
        if (!found[n] || !this.ids[n]) continue;
        const filter = this.pairs[n];
        if (filter && !pairs.every((pair) => mayHold(filter, pair))) continue;
        ids.add(this.ids[n]);
      }
    }
    return ids;
  }

  /** Renumbers the documents in use, dropping the numbers of those indexed again or gone. */
  private compact(): void {
    if (this.dropped === 0) return;
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    const pairs: (Uint8Array | null)[] = [];
    this.ids.forEach((id, n) => {
      if (id) {
        renumber[n] = ids.length;
        ids.push(id);
        pairs.push(this.pairs[n]);
      }
    });
    const postings = new Map<string, number[]>();
    for (const [term, list] of this.postings) {
      const kept = list.map((n) => renumber[n]).filter((n) => n >= 0);
      if (kept.length > 0) postings.set(term, kept);
    }
    this.ids = ids;
    this.pairs = pairs;
    this.numbers.clear();
    ids.forEach((id, n) => this.numbers.set(id, n));
    this.postings = postings;
    this.sorted = null;
    this.dropped = 0;
  }

  async save(): Promise<void> {
    if (this.unsaved === 0) return;
    this.compact();
    const revisions = Object.fromEntries(this.revisions);
    await writeFileDurably(
      this.path,
      JSON.stringify({
        format: FORMAT,
        ids: this.ids,
        revisions,
        words: [...this.postings],
        pairShape: PAIR_SHAPE,
        pairs: this.pairs.map((p) => (p ? Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('base64') : null)),
      }),
    );
    this.unsaved = 0;
  }
}
