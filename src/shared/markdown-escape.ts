// CommonMark lets any ASCII punctuation be backslash-escaped, so escaping never changes the
// rendered text. Escaping everything would make the Markdown unreadable in an editor, though, so
// only characters that can start a construct are escaped — inline ones anywhere, block ones where
// they would open a block.

/** Inline syntax: emphasis, code, links, images, raw HTML/autolinks, escapes, GFM strikethrough. */
const INLINE = /[\\`*_[\]<>~|]/g;
/** `&name;`, `&#123;` and `&#x1F;` would render as the character they name. */
const ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;
/** Block starts: ATX heading, quote, list bullet, thematic break/setext line, fence. */
const BLOCK_START = /^([#>+\-=*_~`])/;
/** "12." or "12)" opens an ordered list. */
const ORDERED_LIST = /^(\d{1,9})([.)])/;

/** Escapes one line of plain text so that CommonMark renders it as exactly that text. */
export function escapeMarkdownLine(text: string): string {
  let out = text.replace(INLINE, '\\$&').replace(ENTITY, '\\&');
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

/** A YAML scalar that survives any characters: JSON strings are valid YAML double-quoted scalars. */
export function yamlString(value: string): string {
  return JSON.stringify(value);
}
