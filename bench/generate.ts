import { describeRange } from '../src/shared/anchoring';
import { PARAGRAPH_SEPARATOR } from '../src/shared/plain-text';
import type { Highlight, Paragraph } from '../src/shared/types';

/** A small deterministic PRNG, so every run measures the same document. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'security diplomacy drugs Taliban Moscow Kabul analysts officials border talks embassy region government promises traffickers resources allies recognition minorities economy'.split(
    ' ',
  );

export interface Generated {
  text: string;
  paragraphs: Paragraph[];
  ranges: { start: number; end: number }[];
}

/**
 * `size` made-up words (syllables, so the language has a real vocabulary): libraries built from
 * them have rare and common words, as real corpora do, for search to be measured on.
 */
export function vocabulary(size: number, seed = 7): string[] {
  const rnd = random(seed);
  const syllables = 'ka lo mi ran te vos du pel shi na gor ut bre lin os qua dem fi tor ze'.split(' ');
  const words = new Set<string>();
  while (words.size < size) {
    let w = '';
    const n = 2 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(rnd() * syllables.length)];
    words.add(w);
  }
  return [...words];
}

/**
 * Prose-like text of about `bytes` characters in ~400-character paragraphs, with `count` ranges, a
 * fifth of them nested in another. With `words`, picks skew towards the first ones (a few common
 * words, many rare ones); without, uses a small fixed list.
 */
export function generate(bytes: number, count: number, seed = 42, words?: string[]): Generated {
  const rnd = random(seed);
  const pick = words
    ? () => words[Math.floor(rnd() ** 3 * words.length)]
    : () => WORDS[Math.floor(rnd() * WORDS.length)];
  const blocks: string[] = [];
  let size = 0;
  while (size < bytes) {
    const line: string[] = [];
    let length = 0;
    while (length < 400) {
      const w = pick();
      line.push(w);
      length += w.length + 1;
    }
    const block = `${line.join(' ')}.`;
    blocks.push(block);
    size += block.length + PARAGRAPH_SEPARATOR.length;
  }
  const text = blocks.join(PARAGRAPH_SEPARATOR);
  const paragraphs: Paragraph[] = [];
  let offset = 0;
  blocks.forEach((b, i) => {
    paragraphs.push({ n: i + 1, start: offset, end: offset + b.length, kind: 'body' });
    offset += b.length + PARAGRAPH_SEPARATOR.length;
  });
  const ranges: { start: number; end: number }[] = [];
  while (ranges.length < count) {
    const p = paragraphs[Math.floor(rnd() * paragraphs.length)];
    const start = p.start + Math.floor(rnd() * (p.end - p.start - 60));
    const end = start + 10 + Math.floor(rnd() * 50);
    ranges.push({ start, end });
    if (rnd() < 0.2 && ranges.length < count) ranges.push({ start: start + 2, end: end - 2 });
  }
  return { text, paragraphs, ranges };
}

const TAGS = ['security', 'diplomacy', 'drugs'];

export function toHighlights(documentId: string, g: Generated): Highlight[] {
  return g.ranges.map((r, i) => ({
    id: `h${i}`,
    documentId,
    tags: [TAGS[i % 3], ...(i % 7 === 0 ? [TAGS[(i + 1) % 3]] : [])],
    note: '',
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
    target: describeRange(g.text, r.start, r.end),
  }));
}
