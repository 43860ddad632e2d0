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
/** A title made of a first sentence is cut at a word near this many characters. */
const SENTENCE_TITLE_CHARS = 90;

/** The text's first sentence (any script's full stop, question or exclamation mark), cut to a title's length. */
export function firstSentence(text: string): string {
  const firstParagraph = text.split('\n\n', 1)[0].replace(/\s+/g, ' ').trim();
  const end = /[.!?。！？؟।](?=\s|$)/u.exec(firstParagraph);
  const sentence = end ? firstParagraph.slice(0, end.index + 1) : firstParagraph;
  if (sentence.length <= SENTENCE_TITLE_CHARS) return sentence;
  const cut = sentence.lastIndexOf(' ', SENTENCE_TITLE_CHARS);
  return `${sentence.slice(0, cut > 30 ? cut : SENTENCE_TITLE_CHARS).replace(/[\s,;:–—-]+$/u, '')}…`;
}

/**
 * A title for a text without one: its first heading when it has one; else the names it mentions
 * most, when at least two recur (a news text about actors); else its first sentence (any script:
 * Arabic has no capitals to find names by); else the fallback (the file's name).
 */
export function deriveTitle(text: string, fallback: string, firstHeading?: string): DerivedTitle {
  const heading = firstHeading?.replace(/\s+/g, ' ').trim();
  if (heading) {
    return { title: heading.slice(0, 500), note: "The file has no title field; this is the text's first heading." };
  }
  const counts = new Map<string, number>();
  const withArticle = new Map<string, number>();
  // Capitalised words in any cased script (Latin, Cyrillic, Greek…).
  for (const match of text.matchAll(/(\bthe\s+)?(?<![\p{L}\p{N}])(\p{Lu}\p{Ll}{2,})(?![\p{L}\p{N}])/gu)) {
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
  if (top.length < 2) {
    const sentence = firstSentence(text);
    if (sentence) {
      return {
        title: sentence,
        note: "The file has no headline. This title is the text's first sentence; it is not the publisher's.",
      };
    }
    return { title: fallback, note: 'The file has no title and no text to name it by; named after the file.' };
  }
  const title = top.length === 1 ? top[0] : `${top.slice(0, -1).join(', ')} and ${top[top.length - 1]}`;
  return {
    title: title.charAt(0).toUpperCase() + title.slice(1),
    note: `The file has no headline. This title lists the names the text mentions most often (${top.join(', ')}); it is not the publisher's.`,
  };
}
