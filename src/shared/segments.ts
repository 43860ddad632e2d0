/** A highlight's extent, as segment splitting needs it. */
export interface Span {
  id: string;
  start: number;
  end: number;
}

/** A stretch of text covered by the same set of spans throughout. */
export interface Segment {
  start: number;
  end: number;
  /** Ids of the spans covering this stretch, in the order the spans were given. */
  ids: string[];
}

/**
 * Cuts overlapping spans into non-overlapping segments, each carrying every span covering it.
 * mark.js `markRanges` silently drops ranges that overlap one drawn before, so it must only ever be
 * given these segments. Segments are sorted, never empty, and neighbours that touch always differ
 * in their ids (maximal). Only the part of each span inside [from, to) is considered, which is how
 * one paragraph is drawn without looking at the rest. Cost: O(n log n) in the number of spans plus
 * the size of the output.
 */
export function toSegments(spans: readonly Span[], from = 0, to = Number.POSITIVE_INFINITY): Segment[] {
  type Event = { at: number; index: number; opens: boolean };
  const events: Event[] = [];
  spans.forEach((span, index) => {
    const start = Math.max(span.start, from);
    const end = Math.min(span.end, to);
    if (start >= end) return;
    events.push({ at: start, index, opens: true }, { at: end, index, opens: false });
  });
  events.sort((a, b) => a.at - b.at);

  const active = new Set<number>();
  const segments: Segment[] = [];
  let i = 0;
  while (i < events.length) {
    const at = events[i].at;
    for (; i < events.length && events[i].at === at; i++) {
      if (events[i].opens) active.add(events[i].index);
      else active.delete(events[i].index);
    }
    if (active.size === 0 || i === events.length) continue;
    const next = events[i].at;
    const ids = [...active].sort((a, b) => a - b).map((index) => spans[index].id);
    const last = segments[segments.length - 1];
    if (last && last.end === at && sameIds(last.ids, ids)) last.end = next;
    else segments.push({ start: at, end: next, ids });
  }
  return segments;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, k) => id === b[k]);
}

/** Any stretch of the text with a start and an end, such as a paragraph. */
export interface Block {
  start: number;
  end: number;
}

/**
 * Sorts spans into the blocks (paragraphs) they touch, so each block can be drawn from its own
 * few spans: O((spans × blocks touched) + spans log blocks), instead of every span for every block.
 * `blocks` must be sorted and disjoint; a span across three blocks appears in all three.
 */
export function spansByBlock<S extends Span>(blocks: readonly Block[], spans: readonly S[]): S[][] {
  const buckets: S[][] = blocks.map(() => []);
  for (const span of spans) {
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid].end <= span.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < blocks.length && blocks[i].start < span.end; i++) buckets[i].push(span);
  }
  return buckets;
}
