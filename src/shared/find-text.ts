import type { TextRange } from './anchoring';

export interface FindOptions {
  matchCase: boolean;
  matchAccents: boolean;
}

/**
 * Text folded for comparison, with a map from each folded character back to where it came from.
 * Folding may shorten text (a letter and its combining accent become one letter), so matches on
 * the folded text are mapped back to exact offsets on the original.
 */
function fold(text: string, options: FindOptions): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    let f = options.matchAccents ? ch : ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (!options.matchCase) f = f.toLocaleLowerCase();
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
    i += ch.length;
  }
  origin.push(i);
  return { folded, origin };
}

/**
 * Every non-overlapping occurrence of `query` in `text`, as offsets on `text`. Ignoring accents
 * treats "café", "cafe" and "café" (with a combining accent) alike; a match never ends inside a
 * letter's accents.
 */
export function findMatches(text: string, query: string, options: FindOptions): TextRange[] {
  const q = fold(query, options).folded;
  if (!q) return [];
  const { folded, origin } = fold(text, options);
  const matches: TextRange[] = [];
  for (let at = folded.indexOf(q); at !== -1; at = folded.indexOf(q, at + q.length)) {
    let end = origin[at + q.length];
    // Swallow combining marks that folding dropped right after the match.
    while (!options.matchAccents && end < text.length && /\p{M}/u.test(text[end])) end++;
    matches.push({ start: origin[at], end });
  }
  return matches;
}
