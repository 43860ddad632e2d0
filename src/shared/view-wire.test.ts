import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRange } from './anchoring';
import type { DocumentView, Highlight } from './types';
import { isPackedView, packView, unpackView } from './view-wire';

const META = { id: 'doc-1', title: 'T', titleSource: 'user', source: 's', added: '2026-01-01T00:00:00.000Z' } as const;

function viewOf(text: string, highlights: Highlight[]): DocumentView {
  return {
    meta: { ...META },
    revision: 3,
    text,
    paragraphs: [{ n: 1, start: 0, end: text.length, kind: 'body' }],
    highlights,
  };
}

function highlightOn(text: string, start: number, end: number, extra: Partial<Highlight> = {}): Highlight {
  return {
    id: `h-${start}-${end}`,
    documentId: META.id,
    tags: ['security'],
    note: '',
    created: '2026-01-02T00:00:00.000Z',
    updated: '2026-01-02T00:00:00.000Z',
    target: describeRange(text, start, end),
    ...extra,
  };
}

/** Through JSON, as on the wire. */
const roundTrip = (view: DocumentView) => unpackView(JSON.parse(JSON.stringify(packView(view))));

describe('packed document views', () => {
  const text = 'Kabul and Moscow held talks on security; 🇦🇫 emoji and Дари too. '.repeat(20);

  it('come back equal, and much smaller when quotes can be rebuilt from the text', () => {
    const highlights = Array.from({ length: 200 }, (_, i) =>
      highlightOn(text, i * 5, i * 5 + 20, {
        note: i % 3 ? '' : `note ${i}`,
        updated: i % 2 ? '2026-02-01T00:00:00.000Z' : '2026-01-02T00:00:00.000Z',
      }),
    );
    const view = viewOf(text, highlights);
    expect(roundTrip(view)).toEqual(view);
    const highlightBytes = (v: unknown) => JSON.stringify((v as DocumentView).highlights).length;
    expect(highlightBytes(packView(view))).toBeLessThan(highlightBytes(view) / 3);
  });

  it('send whole whatever they cannot rebuild exactly: orphans, other prefixes, stale quotes, other ids, unknown fields', () => {
    const odd: Highlight[] = [
      { ...highlightOn(text, 0, 10), orphan: true },
      {
        ...highlightOn(text, 10, 30),
        target: { ...describeRange(text, 10, 30), quote: { ...describeRange(text, 10, 30).quote, prefix: 'x' } },
      },
      {
        ...highlightOn(text, 40, 50),
        target: {
          ...describeRange(text, 40, 50),
          quote: { ...describeRange(text, 40, 50).quote, exact: 'stale quote' },
        },
      },
      { ...highlightOn(text, 50, 60), documentId: 'another' },
      { ...highlightOn(text, 60, 70), creator: 'ana' } as Highlight,
      { ...highlightOn(text, 70, 80), updated: '' },
      highlightOn(text, 100, 110),
    ];
    const view = viewOf(text, odd);
    const packed = packView(view);
    expect(packed.highlights.map((h) => Array.isArray(h))).toEqual([false, false, false, false, false, false, true]);
    expect(roundTrip(view)).toEqual(view);
  });

  it('any view comes back equal (property)', () => {
    const highlight = (t: string) =>
      fc
        .record({
          a: fc.nat(t.length),
          b: fc.nat(t.length),
          note: fc.string(),
          tags: fc.array(fc.constantFrom('security', 'diplomacy', 'drugs'), { maxLength: 3 }),
          touched: fc.boolean(),
          stale: fc.boolean(),
          coder: fc.option(fc.constantFrom('Ana', 'Ben'), { nil: undefined }),
        })
        .map(({ a, b, note, tags, touched, stale, coder }) => {
          const [start, end] = a <= b ? [a, b] : [b, a];
          const h = highlightOn(t, start, end, {
            note,
            tags,
            updated: touched ? '2026-03-01T00:00:00.000Z' : '2026-01-02T00:00:00.000Z',
            ...(coder ? { coder } : {}),
          });
          return stale ? { ...h, target: { ...h.target, quote: { ...h.target.quote, suffix: 'elsewhere' } } } : h;
        });
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'grapheme', minLength: 1 })
          .chain((t) => fc.tuple(fc.constant(t), fc.array(highlight(t), { maxLength: 20 }))),
        ([t, hs]) => {
          const view = viewOf(t, hs);
          expect(roundTrip(view)).toEqual(view);
        },
      ),
    );
  });

  it('pack a highlight with its coder, and bring the coder back', () => {
    const t = 'Some text about Kabul and Moscow.';
    const view = viewOf(t, [highlightOn(t, 16, 21, { coder: 'Ana' }), highlightOn(t, 26, 32)]);
    const packed = packView(view);
    expect(packed.highlights.every(Array.isArray)).toBe(true);
    expect((packed.highlights[0] as unknown[])[7]).toBe('Ana');
    expect(roundTrip(view)).toEqual(view);
  });

  it('are told apart from plain views', () => {
    const view = viewOf(text, [highlightOn(text, 0, 5)]);
    expect(isPackedView(JSON.parse(JSON.stringify(packView(view))))).toBe(true);
    expect(isPackedView(view)).toBe(false);
    expect(isPackedView(null)).toBe(false);
    expect(isPackedView('packed')).toBe(false);
  });
});
