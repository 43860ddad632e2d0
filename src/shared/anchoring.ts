import type { HighlightTarget } from './types';

/** Characters of context kept on each side of a quote, so a passage can be found again. */
export const QUOTE_CONTEXT = 32;

export interface TextRange {
  start: number;
  end: number;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** True when `offset` falls between the two halves of a surrogate pair (inside one emoji, say). */
export function splitsSurrogatePair(text: string, offset: number): boolean {
  return (
    offset > 0 &&
    offset < text.length &&
    isHighSurrogate(text.charCodeAt(offset - 1)) &&
    isLowSurrogate(text.charCodeAt(offset))
  );
}

const NOT_SPACE = /\S/g;

/** Why a range cannot be a highlight on `text`, or null when it can. */
export function rangeProblem(text: string, start: number, end: number): string | null {
  if (!Number.isInteger(start) || !Number.isInteger(end)) return 'start and end must be whole numbers';
  if (start < 0 || end > text.length) return `the range ${start}–${end} is outside the text (0–${text.length})`;
  if (start >= end) return 'the range is empty (start must be before end)';
  if (splitsSurrogatePair(text, start) || splitsSurrogatePair(text, end)) {
    return 'the range cuts a character in half';
  }
  // A search from the start, not a trimmed copy: every highlight is checked on every load, and
  // nearly all of them start on a letter, so this stops at once.
  NOT_SPACE.lastIndex = start;
  const found = NOT_SPACE.exec(text);
  if (!found || found.index >= end) return 'the range holds only white space';
  return null;
}

/** Shrinks a range so it neither starts nor ends with white space; selections often drag some along. */
export function trimRange(text: string, start: number, end: number): TextRange {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return { start: s, end: e };
}

const COMBINING = /\p{M}/u;

/**
 * Whether the code unit at `i` belongs to the character before it: the second half of a surrogate
 * pair (a lone half is not even valid UTF-8), a combining mark, a variation selector, a skin-tone
 * modifier, or either side of a zero-width joiner. Checking the few code units around a cut costs
 * nothing per highlight; a grapheme segmenter (Intl.Segmenter) for each of 10,000 highlights would
 * cost tens of milliseconds on every open, for the same cut in all but rare clusters.
 */
function joinsPrevious(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xdc00 && c <= 0xdfff) return true;
  if (c === 0x200d || s.charCodeAt(i - 1) === 0x200d) return true;
  if (c >= 0xfe00 && c <= 0xfe0f) return true;
  if (c === 0xd83c) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdffb && d <= 0xdfff) return true;
  }
  return c < 0xd800 && COMBINING.test(s[i]);
}

/** Whether cutting `text` at `i` would split what a reader sees as one character. */
export function splitsCharacter(text: string, i: number): boolean {
  return i > 0 && i < text.length && joinsPrevious(text, i);
}

/** The context either side of a quote: up to QUOTE_CONTEXT units, never half a character. */
function context(text: string, start: number, end: number): { prefix: string; suffix: string } {
  let from = Math.max(0, start - QUOTE_CONTEXT);
  while (from < start && splitsCharacter(text, from)) from++;
  let to = Math.min(text.length, end + QUOTE_CONTEXT);
  while (to > end && splitsCharacter(text, to)) to--;
  return { prefix: text.slice(from, start), suffix: text.slice(end, to) };
}

/**
 * A prefix or suffix cut to whole characters at its outer edge: for context stored before the
 * rule above, or written by another tool, on its way into a file.
 */
export function wholeContext(value: string, side: 'prefix' | 'suffix'): string {
  if (side === 'prefix') {
    let from = 0;
    while (from < value.length && joinsPrevious(value, from)) from++;
    return value.slice(from);
  }
  let to = value.length;
  while (to > 0) {
    const last = value.charCodeAt(to - 1);
    if ((last >= 0xd800 && last <= 0xdbff) || last === 0x200d) to--;
    else break;
  }
  return value.slice(0, to);
}

/** Both W3C selectors for a range: where it is, and what it says with its surroundings. */
export function describeRange(text: string, start: number, end: number): HighlightTarget {
  return {
    position: { type: 'TextPositionSelector', start, end },
    quote: { type: 'TextQuoteSelector', exact: text.slice(start, end), ...context(text, start, end) },
  };
}

/** Every start offset where `exact` occurs in `text`, overlapping occurrences included. */
export function findOccurrences(text: string, exact: string): number[] {
  const found: number[] = [];
  if (exact.length === 0) return found;
  for (let i = text.indexOf(exact); i !== -1; i = text.indexOf(exact, i + 1)) found.push(i);
  return found;
}

function commonSuffixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Finds a target on `text`: at its stored position when the quote is still there, otherwise at
 * the exact occurrence whose surroundings best match the stored context (ties go to the one
 * nearest the old position). Returns null when the quote no longer occurs at all; approximate
 * matching of edited quotes is a separate, costlier step.
 */
export function anchorExact(text: string, target: HighlightTarget): TextRange | null {
  const { position, quote } = target;
  if (text.slice(position.start, position.end) === quote.exact) {
    return { start: position.start, end: position.end };
  }
  let best: { start: number; score: number; distance: number } | null = null;
  for (const start of findOccurrences(text, quote.exact)) {
    const end = start + quote.exact.length;
    const score =
      commonSuffixLength(text.slice(Math.max(0, start - quote.prefix.length), start), quote.prefix) +
      commonPrefixLength(text.slice(end, end + quote.suffix.length), quote.suffix);
    const distance = Math.abs(start - position.start);
    if (!best || score > best.score || (score === best.score && distance < best.distance)) {
      best = { start, score, distance };
    }
  }
  return best ? { start: best.start, end: best.start + quote.exact.length } : null;
}
