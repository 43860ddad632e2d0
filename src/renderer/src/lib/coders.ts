import type { Highlight } from '../../../shared/types';

/** The coders who made these highlights, by name. */
export function codersIn(highlights: Iterable<Highlight>): string[] {
  const names = new Set<string>();
  for (const h of highlights) if (h.coder) names.add(h.coder);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/**
 * A hue of its own for each coder, the same on every screen and machine (from the name), for the
 * mark beside each of their highlights. Code colours stay the highlight's fill; the coder is a
 * second cue, never the only one (the name is written beside it).
 */
export function coderHue(name: string): number {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return hash % 360;
}
