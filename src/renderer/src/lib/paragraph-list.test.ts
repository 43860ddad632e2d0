// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { DocumentView, Paragraph } from '../../../shared/types';
import { CHARS_PER_FRAME, ParagraphList } from './paragraph-list';

function documentOf(id: string, texts: string[], extra: (i: number) => Partial<Paragraph> = () => ({})): DocumentView {
  let at = 0;
  const paragraphs = texts.map((t, i) => {
    const p: Paragraph = { n: i + 1, start: at, end: at + t.length, kind: 'body', ...extra(i) };
    at += t.length + 2;
    return p;
  });
  return {
    revision: 0,
    meta: { id, title: 'T', titleSource: 'user', source: 's', added: '2026-01-01T00:00:00.000Z' },
    text: texts.join('\n\n'),
    paragraphs,
    highlights: [],
  };
}

/** A list whose frames run only when the test says so. */
function setUp() {
  const root = document.createElement('div');
  const frames: (() => void)[] = [];
  const added: number[][] = [];
  const list = new ParagraphList(
    root,
    (els) => added.push(els.map((el) => Number(el.dataset.index))),
    (work) => frames.push(work),
    () => frames.splice(0),
  );
  const nextFrame = () => frames.shift()?.();
  return { root, list, added, frames, nextFrame };
}

// Paragraphs of a quarter of a frame's text each: four to a slice.
const long = (count: number) => Array.from({ length: count }, (_, i) => `${i}`.padEnd(CHARS_PER_FRAME / 4, '.'));
const texts = (root: HTMLElement) => [...root.querySelectorAll('p')].map((p) => p.textContent);

describe('ParagraphList', () => {
  it('builds the first slice at once and the rest a slice per frame, in order, each reported', () => {
    const { root, list, added, nextFrame } = setUp();
    const doc = documentOf('d', long(10));
    list.show(doc);
    expect(list.elements).toHaveLength(4);
    expect(list.complete).toBe(false);
    nextFrame();
    expect(list.elements).toHaveLength(8);
    nextFrame();
    expect(list.complete).toBe(true);
    expect(texts(root)).toEqual(doc.paragraphs.map((p) => doc.text.slice(p.start, p.end)));
    expect(added).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(nextFrame()).toBeUndefined();
  });

  it('a paragraph longer than a slice is still built, one per frame', () => {
    const { list, nextFrame } = setUp();
    list.show(documentOf('d', ['x'.repeat(CHARS_PER_FRAME * 3), 'y'.repeat(CHARS_PER_FRAME * 2)]));
    expect(list.elements).toHaveLength(1);
    nextFrame();
    expect(list.complete).toBe(true);
  });

  it('ensure builds up to a paragraph at once (a jump far ahead), and the frames go on from there', () => {
    const { list, nextFrame, added } = setUp();
    list.show(documentOf('d', long(20)));
    list.ensure(13);
    expect(list.elements).toHaveLength(14);
    expect(added.at(-1)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    list.ensure(99);
    expect(list.complete).toBe(true);
    nextFrame();
    expect(list.elements).toHaveLength(20);
  });

  it('gives each paragraph its number, page, kind, level, heading role and offsets', () => {
    const { root, list } = setUp();
    const doc = documentOf('d', ['Title', 'Body one', 'Body two'], (i) =>
      i === 0 ? { kind: 'heading', level: 2, page: 1 } : { page: i === 2 ? 2 : 1 },
    );
    list.show(doc);
    const [h, b1, b2] = list.elements;
    expect(h.getAttribute('role')).toBe('heading');
    expect(h.getAttribute('aria-level')).toBe('2');
    expect(h.parentElement?.className).toBe('para heading');
    expect(h.parentElement?.dataset.level).toBe('2');
    expect(b1.getAttribute('role')).toBeNull();
    expect([h, b1, b2].map((p) => p.dataset.start)).toEqual(doc.paragraphs.map((p) => String(p.start)));
    expect([h, b1, b2].map((p) => p.dataset.index)).toEqual(['0', '1', '2']);
    const numbers = [...root.querySelectorAll('.pnum')].map((n) => n.textContent);
    // A page label only where the page changes.
    expect(numbers).toEqual(['¶ 1p. 1', '¶ 2', '¶ 3p. 2']);
    // Screen readers hear them too: the sidebar refers to paragraphs by these numbers.
    expect(root.querySelectorAll('.pnum[aria-hidden]')).toHaveLength(0);
  });

  it('another document starts over; the same one edited keeps its elements and takes the new offsets', () => {
    const { root, list } = setUp();
    list.show(documentOf('a', ['One', 'Two', 'Three']));
    const [, second] = list.elements;
    list.show(documentOf('a', ['One, longer', 'Two', 'Three'], (i) => (i === 2 ? { kind: 'quote' } : {})));
    expect(list.elements[1]).toBe(second);
    expect(second.dataset.start).toBe('13');
    expect(list.elements[2].parentElement?.className).toBe('para quote');
    // The painter owns the text of built paragraphs; it redraws them from the new text.
    expect(texts(root)).toEqual(['One', 'Two', 'Three']);
    list.show(documentOf('a', ['One, longer', 'Two']));
    expect(list.elements).toHaveLength(2);
    expect(root.querySelectorAll('.para')).toHaveLength(2);
    list.show(documentOf('b', ['Other']));
    expect(texts(root)).toEqual(['Other']);
    expect(list.elements[0]).not.toBe(second);
  });

  it('an empty document builds nothing and is complete; stop cancels the frames to come', () => {
    const { list, frames } = setUp();
    list.show(documentOf('e', []));
    expect(list.complete).toBe(true);
    expect(frames).toHaveLength(0);
    list.show(documentOf('f', long(10)));
    expect(frames).toHaveLength(1);
    list.stop();
    expect(frames).toHaveLength(0);
  });
});
