import search from 'approx-string-match';
import { anchorExact, splitsSurrogatePair, trimRange, type TextRange } from './anchoring';
import type { HighlightTarget } from './types';

/**
 * Share of a quote's characters that may differ (typo fixes, a changed word) and still count as
 * the same passage. Higher finds more edited passages but risks attaching a highlight to a
 * different sentence that merely looks alike; a quarter is where Hypothesis-style matching stays
 * trustworthy on prose.
 */
export const MAX_ERROR_RATE = 0.25;
/** Quotes shorter than this are too ambiguous to match approximately: "the" is everywhere. */
export const MIN_FUZZY_LENGTH = 8;

export type Anchoring = (TextRange & { approximate: boolean }) | null;

function widenToWholeCharacters(text: string, range: TextRange): TextRange {
  const start = splitsSurrogatePair(text, range.start) ? range.start - 1 : range.start;
  const end = splitsSurrogatePair(text, range.end) ? range.end + 1 : range.end;
  return { start, end };
}

/**
 * Finds a highlight's passage again on a changed text. In order: where `hint` says it should now
 * be (its old position shifted by the edit), the exact quote (best context, nearest), then the
 * closest approximate match. Null means it is an orphan: the passage is no longer in the text.
 */
export function reanchor(text: string, target: HighlightTarget, hint?: number): Anchoring {
  const { exact } = target.quote;
  if (hint !== undefined && text.slice(hint, hint + exact.length) === exact) {
    return { start: hint, end: hint + exact.length, approximate: false };
  }
  const found = anchorExact(text, target);
  if (found) return { ...found, approximate: false };
  if (exact.length < MIN_FUZZY_LENGTH) return null;

  const maxErrors = Math.floor(exact.length * MAX_ERROR_RATE);
  const expected = hint ?? target.position.start;
  let best: { start: number; end: number; errors: number; distance: number } | null = null;
  for (const match of search(text, exact, maxErrors)) {
    const distance = Math.abs(match.start - expected);
    if (!best || match.errors < best.errors || (match.errors === best.errors && distance < best.distance)) {
      best = { start: match.start, end: match.end, errors: match.errors, distance };
    }
  }
  if (!best) return null;
  const trimmed = trimRange(text, best.start, best.end);
  if (trimmed.start >= trimmed.end) return null;
  return { ...widenToWholeCharacters(text, trimmed), approximate: true };
}
