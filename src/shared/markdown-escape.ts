// CommonMark lets any ASCII punctuation be backslash-escaped, so escaping never changes the
// rendered text. Escaping everything would make the Markdown unreadable in an editor, though, so
// only characters that can start a construct are escaped — inline ones anywhere, block ones where
// they would open a block — in CommonMark, in GitHub-flavoured Markdown, and in Obsidian.

/**
 * Inline syntax: emphasis, code, links, images, raw HTML and autolinks, escapes, GFM
 * strikethrough and tables, and Obsidian's (and Pandoc's) $math$.
 */
const INLINE = /[\\`*_[\]<>~|$]/g;
/** `&name;`, `&#123;` and `&#x1F;` would render as the character they name. */
const ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;
/** Block starts: ATX heading, quote, list bullet, thematic break/setext line, fence. */
const BLOCK_START = /^([#>+\-=*_~`])/;
/** "12." or "12)" opens an ordered list. */
const ORDERED_LIST = /^(\d{1,9})([.)])/;
/**
 * Obsidian's own inline syntax: a #tag (a # after a space or at the start, before a word),
 * ==highlight==, %%comment%% and ^block-id. Escaped where they could open one.
 */
const OBSIDIAN: [RegExp, string][] = [
  [/(^|\s)#(?=[^\s#])/g, '$1\\#'],
  [/=(?==)/g, '\\='],
  [/%(?=%)/g, '\\%'],
  [/\^/g, '\\^'],
];
const OBSIDIAN_CHARS = /[#=%^]/;
/**
 * Words that GFM renderers would turn into links by themselves: cmark-gfm reads `https://…` and
 * `www.…` from the raw line, backslashes included (so the link would show them), and markdown-it
 * shows a link's percent-escapes decoded (`caf%C3%A9` as `café`). Escaping the scheme's colon
 * and the dots keeps such a word from being linked at all, so every renderer shows it as
 * written. A word with percent-escapes is treated alike, since markdown-it links bare domains too,
 * and so is one with `//` anywhere: markdown-it links `//host` without a scheme (and shows
 * `//@example.com` as `//example.com`).
 */
const LINKABLE = /\/\/|www\.|%[0-9a-f]{2}/i;

function unlink(word: string): string {
  if (!LINKABLE.test(word)) return word;
  return word.replace(/:(?=\/\/)/g, '\\:').replace(/\./g, '\\.');
}

/**
 * Escapes one line of plain text so that CommonMark, GFM (cmark-gfm, markdown-it with linkify)
 * and Obsidian all render it as exactly that text: no markup, no link, no tag.
 */
export function escapeMarkdownLine(text: string): string {
  let out = text.replace(INLINE, '\\$&').replace(ENTITY, '\\&');
  // The passes below are skipped on lines without their characters (most lines): an export calls
  // this for every line of every quote, and a replace with a callback per word costs ~1 µs a word.
  if (OBSIDIAN_CHARS.test(out)) for (const [pattern, replacement] of OBSIDIAN) out = out.replace(pattern, replacement);
  // LINKABLE's three forms hold no white space, so a line matches only where one of its words does.
  if (LINKABLE.test(out)) out = out.replace(/\S+/g, unlink);
  if (ORDERED_LIST.test(out)) out = out.replace(ORDERED_LIST, '$1\\$2');
  else if (BLOCK_START.test(out)) out = `\\${out}`;
  // Leading spaces would be dropped (or open a code block); a non-breaking space keeps them visible.
  return out.replace(/^ +/, (spaces) => '&#32;'.repeat(spaces.length));
}

/**
 * Plain text as a Markdown blockquote whose rendered text is exactly `text`. Lines become hard
 * line breaks and blank-line-separated paragraphs stay paragraphs inside the quote.
 */
export function toBlockquote(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => `> ${escapeMarkdownLine(line)}`)
        .join('\\\n'),
    )
    .join('\n>\n');
}

/**
 * A YAML double-quoted scalar that any YAML 1.2 parser reads back as exactly `value`. A JSON
 * string is one, except that JSON leaves some characters raw that YAML reads otherwise: NEL
 * (U+0085) and the line and paragraph separators are line breaks to YAML (folded into a space),
 * and YAML does not allow DEL, the C1 controls or a byte-order mark raw. Those go as \u escapes,
 * which both read the same way.
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
