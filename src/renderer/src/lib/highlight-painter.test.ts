// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { describeRange } from '../../../shared/anchoring';
import type { DocumentView, Highlight, Tag } from '../../../shared/types';
import { HighlightPainter, type PaintInput } from './highlight-painter';
import { PROVISIONAL_PREFIX, SAVING_CLASS } from './paint';

const TAGS: Tag[] = [
  { id: 'security', name: 'security', color: '#e0524a' },
  { id: 'drugs', name: 'drugs', color: '#3a9d5d' },
];

function documentOf(paragraphs: string[]): DocumentView {
  const text = paragraphs.join('\n\n');
  let at = 0;
  return {
    revision: 0,
    meta: { id: 'd', title: 'T', titleSource: 'user', source: 's', added: '2026-01-01T00:00:00.000Z' },
    text,
    paragraphs: paragraphs.map((p, i) => {
      const para = { n: i + 1, start: at, end: at + p.length, kind: 'body' as const };
      at += p.length + 2;
      return para;
    }),
    highlights: [],
  };
}

function highlight(doc: DocumentView, exact: string, tags = ['security'], id = exact): Highlight {
  const start = doc.text.indexOf(exact);
  return {
    id,
    documentId: 'd',
    tags,
    note: '',
    created: 'c',
    updated: 'u',
    target: describeRange(doc.text, start, start + exact.length),
  };
}

function elements(count: number): HTMLElement[] {
  document.body.innerHTML = '';
  return Array.from({ length: count }, () => document.body.appendChild(document.createElement('p')));
}

const input = (doc: DocumentView, visible: Highlight[], extra: Partial<PaintInput> = {}): PaintInput => ({
  doc,
  visible,
  hidden: [],
  codebook: TAGS,
  repaint: 0,
  ...extra,
});

const marks = (el: HTMLElement) => [...el.querySelectorAll('mark')].map((m) => m.textContent);

describe('HighlightPainter', () => {
  const doc = documentOf(['Envoys met at the border.', 'Opium trade grew that year.', 'Talks ended.']);

  it('draws marks near the screen and plain text elsewhere, then marks as paragraphs come near', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    painter.nearView.add(0);
    const hs = [highlight(doc, 'the border'), highlight(doc, 'Opium trade', ['drugs'])];
    expect(painter.paint(input(doc, hs), els)).toBe(true);
    expect(marks(els[0])).toEqual(['the border']);
    expect(els[1].textContent).toBe('Opium trade grew that year.');
    expect(marks(els[1])).toEqual([]);
    painter.nearView.add(1);
    expect(painter.paintNear([1])).toBe(true);
    expect(marks(els[1])).toEqual(['Opium trade']);
    expect(els[1].querySelector('mark')?.getAttribute('title')).toBe('drugs');
  });

  it('draws a highlight still being saved in the saving style, and as saved once it is', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    painter.nearView.add(0);
    const saved = highlight(doc, 'Envoys met');
    const saving = highlight(doc, 'the border', ['security'], `${PROVISIONAL_PREFIX}1`);
    const visible = [saved];
    painter.paint(input(doc, visible, { provisional: [saving] }), els);
    const [first, second] = els[0].querySelectorAll('mark');
    expect(first.classList.contains(SAVING_CLASS)).toBe(false);
    expect(second.classList.contains(SAVING_CLASS)).toBe(true);
    expect(second.title).toBe('security (saving…)');
    painter.paint(input(doc, [saved, highlight(doc, 'the border', ['security'], 'real')]), els);
    expect([...els[0].querySelectorAll(`mark.${SAVING_CLASS}`)]).toEqual([]);
  });

  it('a highlight being saved redraws only its paragraph, and goes when the save fails', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    [0, 1, 2].forEach((i) => painter.nearView.add(i));
    const visible = [highlight(doc, 'Envoys met'), highlight(doc, 'Talks')];
    painter.paint(input(doc, visible), els);
    const untouched = [els[0].firstChild, els[2].firstChild];
    const saving = highlight(doc, 'Opium trade', ['drugs'], `${PROVISIONAL_PREFIX}7`);
    expect(painter.paint(input(doc, visible, { provisional: [saving] }), els)).toBe(true);
    expect(marks(els[1])).toEqual(['Opium trade']);
    expect([els[0].firstChild, els[2].firstChild]).toEqual(untouched);
    // The save failed: the same saved highlights, no provisional one.
    expect(painter.paint(input(doc, visible, { provisional: [] }), els)).toBe(true);
    expect(marks(els[1])).toEqual([]);
    expect(marks(els[0])).toEqual(['Envoys met']);
  });

  it('redraws only the paragraph whose highlights changed', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    [0, 1, 2].forEach((i) => painter.nearView.add(i));
    const a = highlight(doc, 'the border');
    const b = highlight(doc, 'Opium trade');
    painter.paint(input(doc, [a, b]), els);
    const first = els[0].firstChild;
    const c = highlight(doc, 'Talks');
    expect(painter.paint(input(doc, [a, b, c]), els)).toBe(true);
    expect(els[0].firstChild).toBe(first);
    expect(marks(els[2])).toEqual(['Talks']);
    expect(painter.paint(input(doc, [a, b, c]), els)).toBe(false);
  });

  it('draws overlapping highlights as segments carrying every id', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    painter.nearView.add(0);
    const outer = highlight(doc, 'met at the border', ['security'], 'outer');
    const inner = highlight(doc, 'the', ['drugs'], 'inner');
    painter.paint(input(doc, [outer, inner]), els);
    expect([...els[0].querySelectorAll('mark')].map((m) => (m as HTMLElement).dataset.ids)).toEqual([
      'outer',
      'outer inner',
      'outer',
    ]);
  });

  it('draws every paragraph again when the text changes, even those without highlights', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    painter.paint(input(doc, []), els);
    const edited = documentOf(['Envoys met at the border.', 'Opium trade shrank.', 'Talks ended.']);
    expect(painter.paint(input(edited, []), els)).toBe(true);
    expect(els[1].textContent).toBe('Opium trade shrank.');
  });

  it('draws a tampered paragraph again from the stored text', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    painter.paint(input(doc, []), els);
    els[2].textContent = 'TRANSLATED Talks ended.';
    painter.markTampered(2);
    expect(painter.paint(input(doc, [], { repaint: 1 }), els)).toBe(true);
    expect(els[2].textContent).toBe('Talks ended.');
  });

  it('leaves hidden tags out of the marks', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    painter.nearView.add(0);
    const both = highlight(doc, 'the border', ['security', 'drugs']);
    painter.paint(input(doc, [both], { hidden: ['security'] }), els);
    expect(els[0].querySelector('mark')?.getAttribute('title')).toBe('drugs');
  });

  it('takes the marks of a newly hidden tag off paragraphs far from the screen too', () => {
    const painter = new HighlightPainter();
    const els = elements(3);
    painter.nearView.add(0);
    const h = highlight(doc, 'the border');
    painter.paint(input(doc, [h]), els);
    expect(marks(els[0])).toEqual(['the border']);
    painter.nearView.delete(0);
    expect(painter.paint(input(doc, [], { hidden: ['security'] }), els)).toBe(true);
    expect(marks(els[0])).toEqual([]);
    expect(els[0].textContent).toBe('Envoys met at the border.');
  });
});
