// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import Mark from 'mark.js';
import { toSegments } from '../../../shared/segments';
import { background, CUE_STYLES, cueDeclarations, paintParagraph, showSelected } from './paint';

const text = 'Russia has mobilized all the necessary resources to guarantee security.';
const outer = { id: 'outer', start: 0, end: 48 }; // "Russia has ... resources"
const inner = { id: 'inner', start: 11, end: 20 }; // "mobilized"

function paragraph(): HTMLElement {
  const p = document.createElement('p');
  document.body.append(p);
  return p;
}

/** The ids shown at each character of a painted paragraph. */
function shown(p: HTMLElement): string[] {
  const out: string[] = [];
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const ids = (node.parentElement as HTMLElement).dataset.ids ?? '';
    for (let i = 0; i < (node.textContent ?? '').length; i++) out.push(ids);
  }
  return out;
}

describe('drawing overlapping highlights with mark.js', () => {
  it('loses the nested highlight when mark.js is given overlapping ranges directly (the trap)', () => {
    const p = paragraph();
    p.textContent = text;
    new Mark(p).markRanges([
      { start: outer.start, length: outer.end - outer.start },
      { start: inner.start, length: inner.end - inner.start },
    ]);
    expect(p.querySelectorAll('mark')).toHaveLength(1);
  });

  it('shows every highlight on every character when given segments', () => {
    const p = paragraph();
    paintParagraph(p, text, 0, toSegments([outer, inner]), (ids) => ({
      colors: ['#ff0000'],
      label: ids.join(),
      depth: ids.length,
    }));
    expect(p.textContent).toBe(text);
    const ids = shown(p);
    for (let i = 0; i < text.length; i++) {
      const expected = [outer, inner]
        .filter((s) => s.start <= i && i < s.end)
        .map((s) => s.id)
        .join(' ');
      expect(ids[i], `character ${i}`).toBe(expected);
    }
    expect([...p.querySelectorAll('mark')].map((m) => m.textContent)).toEqual([
      'Russia has ',
      'mobilized',
      ' all the necessary resources',
    ]);
  });

  it('describes each highlight once, where it begins, not on every piece overlaps cut it into', () => {
    const p = paragraph();
    paintParagraph(p, text, 0, toSegments([outer, inner]), (ids) => ({ colors: [], label: ids.join(', '), depth: 1 }));
    expect([...p.querySelectorAll('mark')].map((m) => m.getAttribute('aria-description'))).toEqual([
      'Highlight: outer',
      'Highlight: inner',
      '',
    ]);
  });

  it('draws a paragraph from its own offsets and repaints cleanly', () => {
    const p = paragraph();
    const look = () => ({ colors: ['#00ff00'], label: '', depth: 1 });
    paintParagraph(p, 'abcdef', 100, toSegments([{ id: 'x', start: 102, end: 104 }], 100, 106), look);
    expect(p.querySelector('mark')?.textContent).toBe('cd');
    paintParagraph(p, 'abcdef', 100, [], look);
    expect(p.innerHTML).toBe('abcdef');
  });

  it('outlines only the marks of the selected highlight', () => {
    const p = paragraph();
    paintParagraph(p, text, 0, toSegments([outer, inner]), () => ({ colors: [], label: '', depth: 1 }));
    showSelected(p, 'inner');
    expect([...p.querySelectorAll('.hl-selected')].map((m) => m.textContent)).toEqual(['mobilized']);
    showSelected(p, null);
    expect(p.querySelectorAll('.hl-selected')).toHaveLength(0);
  });

  it('gives each tag its own band of colour where tags overlap', () => {
    expect(background(['#ff0000', '#0000ff'])).toBe(
      'linear-gradient(to bottom, rgba(255, 0, 0, 0.42) 0.00% 50.00%, rgba(0, 0, 255, 0.42) 50.00% 100.00%)',
    );
  });
});

describe('a second cue beside colour', () => {
  it('gives the first five codes five different underline styles, in their colour', () => {
    const styles = [0, 1, 2, 3, 4].map((i) => /text-decoration-style: (\w+)/.exec(cueDeclarations('#e0524a', i))?.[1]);
    expect(new Set(styles).size).toBe(5);
    expect(cueDeclarations('#3a9d5d', 7)).toContain('text-decoration-color: #3a9d5d');
    expect(CUE_STYLES[5 % CUE_STYLES.length]).toBe(CUE_STYLES[0]);
  });
});
