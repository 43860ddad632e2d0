/**
 * A descriptive title for a text that has none, built only from words the text itself uses most:
 * its most frequent proper names. The caller stores `note` beside it so the UI can say how the
 * title was made instead of presenting it as the publisher's headline.
 */
export interface DerivedTitle {
  title: string;
  note: string;
}

// Capitalised words that are capitalised for grammar, not because they are names.
const NOT_NAMES = new Set(
  (
    'A An And As At But By For From He Her His How I If In It Its No Not Now Of On Or Our She So ' +
    'That The Their Then There These They This Those To We What When Where Which While Who Why ' +
    'With You Still Although However Even Also After Before During Senior Experts Mr Ms Dr'
  ).split(' '),
);

const NAME_COUNT = 3;

export function deriveTitle(text: string, fallback: string): DerivedTitle {
  const counts = new Map<string, number>();
  const withArticle = new Map<string, number>();
  for (const match of text.matchAll(/(\bthe\s+)?\b([A-Z][a-z]{2,})\b/g)) {
    const word = match[2];
    if (NOT_NAMES.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
    if (match[1]) withArticle.set(word, (withArticle.get(word) ?? 0) + 1);
  }
  const ranked = [...counts.entries()]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([word]) => word);
  // "Russian" after "Russia" says nothing new: skip words that merely extend a name already chosen.
  const chosen: string[] = [];
  for (const word of ranked) {
    if (chosen.length === NAME_COUNT) break;
    if (!chosen.some((name) => word.startsWith(name) || name.startsWith(word))) chosen.push(word);
  }
  const top = chosen
    // Names the text usually writes with "the" ("the Taliban") keep it, so the title reads as the text does.
    .map((word) => ((withArticle.get(word) ?? 0) * 2 > (counts.get(word) ?? 0) ? `the ${word}` : word));
  if (top.length === 0) {
    return { title: fallback, note: 'The file has no title and no recurring names; named after the file.' };
  }
  const title = top.length === 1 ? top[0] : `${top.slice(0, -1).join(', ')} and ${top[top.length - 1]}`;
  return {
    title: title.charAt(0).toUpperCase() + title.slice(1),
    note: `The file has no headline. This title lists the names the text mentions most often (${top.join(', ')}); it is not the publisher's.`,
  };
}
