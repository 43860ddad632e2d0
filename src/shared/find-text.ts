import type { TextRange } from './anchoring';

export interface FindOptions {
  matchCase: boolean;
  matchAccents: boolean;
}

/** Text is folded this many characters at a time, so memory stays flat on a 50 MB document. */
const CHUNK = 1 << 16;
const COMBINING = /\p{M}/u;
/** Any character outside ASCII (U+0080 and up). */
const NON_ASCII = /[\u0080-\uffff]/;

function foldChar(ch: string, options: FindOptions): string {
  const code = ch.charCodeAt(0);
  // ASCII needs no normalization; most text is mostly ASCII, and normalize() per character is slow.
  if (code < 0x80) return options.matchCase || code < 0x41 || code > 0x5a ? ch : String.fromCharCode(code + 32);
  let f = options.matchAccents ? ch : ch.normalize('NFD').replace(/\p{M}/gu, '');
  if (!options.matchCase) f = f.toLocaleLowerCase();
  return f;
}

/** `text` folded as find folds it (no map back to offsets): for words compared outside a text. */
export function foldText(text: string, options: FindOptions): string {
  if (!NON_ASCII.test(text)) return options.matchCase ? text : text.toLowerCase();
  let out = '';
  for (const ch of text) out += foldChar(ch, options);
  return out;
}

/**
 * `text[from, to)` folded for comparison, with a map from each folded character back to where it
 * came from. Folding may shorten text (a letter and its combining accent become one letter), so
 * matches on the folded text are mapped back to exact offsets on the original.
 */
function fold(text: string, options: FindOptions, from = 0, to = text.length): { folded: string; origin: number[] } {
  const parts: string[] = [];
  const origin: number[] = [];
  let i = from;
  while (i < to) {
    const code = text.charCodeAt(i);
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    const f = foldChar(text.slice(i, i + width), options);
    for (let k = 0; k < f.length; k++) origin.push(i);
    parts.push(f);
    i += width;
  }
  origin.push(i);
  return { folded: parts.join(''), origin };
}

/**
 * Non-overlapping occurrences of `query` in `text` (at most `limit`, starting where `accept`
 * allows), as offsets on `text`.
 * Ignoring accents treats "café", "cafe" and "café" (with a combining accent) alike; a match never
 * ends inside a letter's accents. Work is linear in the text and stops at the limit; memory is
 * bounded by the chunk size, whatever the text's length.
 */
export function findMatches(
  text: string,
  query: string,
  options: FindOptions,
  limit = Infinity,
  /** Where a match may start (a word start, for library search); others are passed over. */
  accept?: (start: number) => boolean,
): TextRange[] {
  const q = fold(query, options).folded;
  const matches: TextRange[] = [];
  if (!q || limit <= 0) return matches;
  // Chunks overlap by a margin wider than any match, so none is missed at a boundary; a match is
  // kept by the chunk it starts in, and after the previous match's end.
  const margin = query.length * 4 + 8;
  let after = 0;
  for (let from = 0; from < text.length && matches.length < limit; from += CHUNK) {
    let start = from;
    // Never start a chunk between a letter and its accents or inside a surrogate pair.
    while (start > 0 && (COMBINING.test(text[start]) || (text.charCodeAt(start) & 0xfc00) === 0xdc00)) start--;
    const end = Math.min(text.length, from + CHUNK + margin);
    const slice = text.slice(start, end);
    // Plain ASCII (most of most texts) folds to itself, lower-cased, offset for offset: no map.
    const ascii = !NON_ASCII.test(slice);
    const { folded, origin } = ascii
      ? { folded: options.matchCase ? slice : slice.toLowerCase(), origin: null }
      : fold(text, options, start, end);
    const originOf = (k: number) => (origin ? origin[k] : start + k);
    for (let at = folded.indexOf(q); at !== -1; at = folded.indexOf(q, at + 1)) {
      const s = originOf(at);
      if (s >= from + CHUNK) break;
      if (s < after || s < from || (accept && !accept(s))) continue;
      let e = originOf(at + q.length);
      // Swallow combining marks that folding dropped right after the match.
      while (!options.matchAccents && e < text.length && COMBINING.test(text[e])) e++;
      matches.push({ start: s, end: e });
      after = e;
      if (matches.length >= limit) break;
      at += q.length - 1;
    }
  }
  return matches;
}
