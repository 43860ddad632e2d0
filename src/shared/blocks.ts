import { PARAGRAPH_SEPARATOR } from './plain-text';
import type { Paragraph, ParagraphKind } from './types';

/** One block of an imported document, as an importer finds it: text plus what kind of block it is. */
export interface Block {
  text: string;
  kind: ParagraphKind;
  level?: number;
  page?: number;
}

/**
 * Collapses a block's white space to single spaces, as the reader shows it. Line breaks inside a
 * block are layout in every format Glossa reads (wrapped lines, PDF text runs), never meaning.
 */
export function normalizeBlockText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Lays blocks out as one text and its paragraphs, the stored shape every highlight offset refers
 * to. Empty blocks are dropped, so ¶ numbers count only what the reader shows.
 */
export function layoutBlocks(blocks: Block[]): { text: string; paragraphs: Paragraph[] } {
  const parts: string[] = [];
  const paragraphs: Paragraph[] = [];
  let offset = 0;
  for (const block of blocks) {
    const text = normalizeBlockText(block.text);
    if (!text) continue;
    const paragraph: Paragraph = {
      n: paragraphs.length + 1,
      start: offset,
      end: offset + text.length,
      kind: block.kind,
    };
    if (block.level !== undefined) paragraph.level = block.level;
    if (block.page !== undefined) paragraph.page = block.page;
    paragraphs.push(paragraph);
    parts.push(text);
    offset += text.length + PARAGRAPH_SEPARATOR.length;
  }
  return { text: parts.join(PARAGRAPH_SEPARATOR), paragraphs };
}
