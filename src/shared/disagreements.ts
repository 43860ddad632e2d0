import type { Highlight } from './types';

// Where coders differ, passage by passage, for the disagreement navigator. A passage is a run of
// text covered by overlapping highlights of the coders compared (a connected stretch: two
// highlights belong together when they overlap, directly or through others). The coders agree on a
// passage when each made exactly the same highlights there (same words, same codes); any other
// difference (other words, other codes, one coded and the other not) is a disagreement to settle.
//
// Cost: a sort and one sweep per document, O(h log h) in its highlights.

/** The name on the highlights a team adopts when it settles a disagreement: its consensus layer. */
export const CONSENSUS_CODER = 'Consensus';

export interface PassageVersion {
  coder: string;
  highlights: { id: string; start: number; end: number; quote: string; tags: string[]; note: string }[];
}

export interface Disagreement {
  documentId: string;
  start: number;
  end: number;
  /** One per coder compared, in the order asked (a coder with no highlight there has none). */
  versions: PassageVersion[];
  /** The consensus highlights already adopted in this passage (none: not settled yet). */
  consensus: PassageVersion['highlights'];
}

const inCodes = (h: Highlight, tags: Set<string> | null): string[] =>
  (tags ? h.tags.filter((t) => tags.has(t)) : h.tags).slice().sort();

function versionOf(coder: string, hs: Highlight[], tags: Set<string> | null): PassageVersion {
  return {
    coder,
    highlights: hs
      .filter((h) => h.coder === coder)
      .map((h) => ({
        id: h.id,
        start: h.target.position.start,
        end: h.target.position.end,
        quote: h.target.quote.exact,
        tags: inCodes(h, tags),
        note: h.note,
      }))
      .sort((a, b) => a.start - b.start || a.end - b.end),
  };
}

const signature = (v: PassageVersion) => v.highlights.map((h) => `${h.start}:${h.end}:${h.tags.join(',')}`).join('|');

/** The passages of one document where the coders differ, in reading order. */
export function disagreementsIn(
  documentId: string,
  highlights: Iterable<Highlight>,
  coders: string[],
  onlyTags?: string[],
): Disagreement[] {
  const tags = onlyTags && onlyTags.length > 0 ? new Set(onlyTags) : null;
  const who = new Set(coders);
  const relevant: Highlight[] = [];
  const consensus: Highlight[] = [];
  for (const h of highlights) {
    if (h.orphan || inCodes(h, tags).length === 0) continue;
    if (h.coder === CONSENSUS_CODER) consensus.push(h);
    else if (h.coder && who.has(h.coder)) relevant.push(h);
  }
  relevant.sort((a, b) => a.target.position.start - b.target.position.start);
  const out: Disagreement[] = [];
  let group: Highlight[] = [];
  let end = -1;
  const close = () => {
    if (group.length === 0) return;
    const versions = coders.map((c) => versionOf(c, group, tags));
    if (new Set(versions.map(signature)).size > 1) {
      const start = group[0].target.position.start;
      const settled = consensus.filter((h) => h.target.position.start < end && h.target.position.end > start);
      out.push({
        documentId,
        start,
        end,
        versions,
        consensus: versionOf(CONSENSUS_CODER, settled, tags).highlights,
      });
    }
    group = [];
  };
  for (const h of relevant) {
    const { start, end: stop } = h.target.position;
    if (start >= end) close();
    group.push(h);
    end = group.length === 1 ? stop : Math.max(end, stop);
  }
  close();
  return out;
}
