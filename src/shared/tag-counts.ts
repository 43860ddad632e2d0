import type { Highlight } from './types';

/** Highlights per tag id, as the library list shows them (a highlight with two tags counts for both). */
export function countTags(highlights: Highlight[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const h of highlights) for (const t of h.tags) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}
