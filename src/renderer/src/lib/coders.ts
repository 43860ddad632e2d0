import type { Highlight } from '../../../shared/types';

/** The coders who made these highlights, by name. */
export function codersIn(highlights: Iterable<Highlight>): string[] {
  const names = new Set<string>();
  for (const h of highlights) if (h.coder) names.add(h.coder);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/**
 * A hue of its own for each coder among those shown together (`among`, as codersIn lists them):
 * golden-angle steps by their place in that list, so any two are far apart, and the same on every
 * machine for the same document. A name not in the list gets one from its letters. Code colours
 * stay the highlight's fill; the coder is a second cue, never the only one (the name is written
 * beside it).
 */
export function coderHue(name: string, among: readonly string[] = []): number {
  const at = among.indexOf(name);
  if (at !== -1) return Math.round(at * 137.508) % 360;
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return hash % 360;
}
