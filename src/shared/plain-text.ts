import type { Paragraph, ParagraphKind } from './types';

/** What a `.txt` file in the corpus format holds once read: the reader's text and its metadata. */
export interface ParsedText {
  text: string;
  paragraphs: Paragraph[];
  date?: string;
  dateline?: string;
}

export const PARAGRAPH_SEPARATOR = '\n\n';

// The corpus marks publication date as a leading metadata word, then the wire-style dateline
// ("MOSCOW -- ") opens the first paragraph. Both are metadata, so they leave the body text.
// The date may be a line of its own, followed by a blank line.
const DATE_LINE = /^date\s+(\d{4}-\d{2}-\d{2})(?:\s+|$)/;
// Capitals in any cased script ("MOSCOW --", "МОСКВА —", "ΑΘΗΝΑ –"), two letters at least, so a
// sentence that opens with "I —" is not taken for a place.
const DATELINE = /^(\p{Lu}[\p{Lu}.'-]+(?:[ ,]+\p{Lu}[\p{Lu}.'-]*)*)\s+(?:--|—|–)\s+/u;
// Photo captions end with a credit line such as "© Reuters"; nothing else in a paragraph does.
const CAPTION_CREDIT = /©\s*[^©\n]{1,60}$/u;

/** True for a YYYY-MM-DD string naming a day that exists (not 2021-02-30). */
export function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

/**
 * Reads plain text the way the corpus is written: blank-line-separated paragraphs, any line-ending
 * style, lines inside a paragraph joined by a space. The result's paragraphs are joined by
 * PARAGRAPH_SEPARATOR, so every stored offset is an offset into `text`.
 */
export function parsePlainText(raw: string): ParsedText {
  const unified = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const blocks = unified
    .split(/\n[ \t]*\n/)
    .map((block) =>
      block
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .join(' '),
    )
    .filter((block) => block.length > 0);

  let date: string | undefined;
  let dateline: string | undefined;
  if (blocks.length > 0) {
    const dateMatch = DATE_LINE.exec(blocks[0]);
    if (dateMatch && isRealDate(dateMatch[1])) {
      date = dateMatch[1];
      blocks[0] = blocks[0].slice(dateMatch[0].length);
      if (!blocks[0]) blocks.shift();
    }
    const datelineMatch = blocks.length > 0 ? DATELINE.exec(blocks[0]) : null;
    if (datelineMatch && blocks[0].length > datelineMatch[0].length) {
      dateline = datelineMatch[1];
      blocks[0] = blocks[0].slice(datelineMatch[0].length);
    }
  }

  const paragraphs: Paragraph[] = [];
  let offset = 0;
  blocks.forEach((block, i) => {
    const kind: ParagraphKind = CAPTION_CREDIT.test(block) ? 'caption' : 'body';
    paragraphs.push({ n: i + 1, start: offset, end: offset + block.length, kind });
    offset += block.length + PARAGRAPH_SEPARATOR.length;
  });
  return { text: blocks.join(PARAGRAPH_SEPARATOR), paragraphs, date, dateline };
}

/** Index of the first paragraph that ends after `offset` (binary search: paragraphs are sorted). */
export function firstEndingAfter(paragraphs: Paragraph[], offset: number): number {
  let lo = 0;
  let hi = paragraphs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (paragraphs[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The paragraphs a range touches, as the "¶ 3" or "¶ 3–4" a citation needs. O(log n). */
export function paragraphRef(paragraphs: Paragraph[], start: number, end: number): string {
  const first = firstEndingAfter(paragraphs, start);
  if (first === paragraphs.length || paragraphs[first].start >= end) return '¶ ?';
  let last = firstEndingAfter(paragraphs, end - 1);
  if (last === paragraphs.length || paragraphs[last].start >= end) last--;
  const a = paragraphs[first].n;
  const b = paragraphs[last].n;
  return a === b ? `¶ ${a}` : `¶ ${a}–${b}`;
}

/**
 * Paragraphs of a text taken as it is, without changing a character: blank-line-separated blocks,
 * each trimmed. For texts whose offsets are fixed by someone else (a REFI-QDA source), where
 * parsePlainText's normalizing would move every position.
 */
export function paragraphsAsIs(text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  const blank = /\r?\n[ \t]*\r?\n|\r[ \t]*\r/g;
  let from = 0;
  const push = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (start < end) {
      const kind: ParagraphKind = CAPTION_CREDIT.test(text.slice(start, end)) ? 'caption' : 'body';
      paragraphs.push({ n: paragraphs.length + 1, start, end, kind });
    }
  };
  for (const m of text.matchAll(blank)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return paragraphs;
}
