import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spansByBlock, toSegments, type Span } from './segments';

/** The ids covering each position, straight from the definition, to check segments against. */
function coverage(spans: Span[], length: number): string[][] {
  return Array.from({ length }, (_, i) => spans.filter((s) => s.start <= i && i < s.end).map((s) => s.id));
}

function coverageOfSegments(segments: ReturnType<typeof toSegments>, length: number): string[][] {
  const out: string[][] = Array.from({ length }, () => []);
  for (const s of segments) for (let i = s.start; i < s.end; i++) out[i] = s.ids;
  return out;
}

const spansArb = fc
  .array(fc.tuple(fc.nat(60), fc.integer({ min: 1, max: 40 })), { maxLength: 25 })
  .map((pairs) => pairs.map(([start, length], i) => ({ id: `h${i}`, start, end: start + length })));

describe('toSegments', () => {
  it('splits a nested highlight into three segments, keeping both everywhere they overlap', () => {
    const spans = [
      { id: 'security', start: 0, end: 20 },
      { id: 'drugs', start: 5, end: 10 },
    ];
    expect(toSegments(spans)).toEqual([
      { start: 0, end: 5, ids: ['security'] },
      { start: 5, end: 10, ids: ['security', 'drugs'] },
      { start: 10, end: 20, ids: ['security'] },
    ]);
  });

  it('handles crossing highlights and gaps', () => {
    const spans = [
      { id: 'a', start: 0, end: 6 },
      { id: 'b', start: 4, end: 9 },
      { id: 'c', start: 12, end: 14 },
    ];
    expect(toSegments(spans)).toEqual([
      { start: 0, end: 4, ids: ['a'] },
      { start: 4, end: 6, ids: ['a', 'b'] },
      { start: 6, end: 9, ids: ['b'] },
      { start: 12, end: 14, ids: ['c'] },
    ]);
  });

  it('clips to a window, as when drawing one paragraph', () => {
    expect(toSegments([{ id: 'a', start: 0, end: 30 }], 10, 20)).toEqual([{ start: 10, end: 20, ids: ['a'] }]);
    expect(toSegments([{ id: 'a', start: 0, end: 10 }], 10, 20)).toEqual([]);
  });

  it('gives every position exactly the highlights covering it (property)', () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        const segments = toSegments(spans);
        expect(coverageOfSegments(segments, 101)).toEqual(coverage(spans, 101));
      }),
    );
  });

  it('gives sorted, non-empty, non-overlapping, maximal segments (property)', () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        const segments = toSegments(spans);
        segments.forEach((s, i) => {
          expect(s.start).toBeLessThan(s.end);
          expect(s.ids.length).toBeGreaterThan(0);
          if (i > 0) {
            const prev = segments[i - 1];
            expect(prev.end).toBeLessThanOrEqual(s.start);
            if (prev.end === s.start) expect(prev.ids).not.toEqual(s.ids);
          }
        });
      }),
    );
  });

  it('within a window, agrees with the whole-text segments cut to that window (property)', () => {
    fc.assert(
      fc.property(spansArb, fc.nat(100), fc.nat(100), (spans, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const windowed = coverageOfSegments(toSegments(spans, from, to), 101).slice(from, to);
        expect(windowed).toEqual(coverage(spans, 101).slice(from, to));
      }),
    );
  });
});

describe('spansByBlock', () => {
  it('puts each span in every block it touches, and only those (property)', () => {
    const blocks = [
      { start: 0, end: 10 },
      { start: 12, end: 30 },
      { start: 32, end: 60 },
      { start: 62, end: 100 },
    ];
    fc.assert(
      fc.property(spansArb, (spans) => {
        const buckets = spansByBlock(blocks, spans);
        blocks.forEach((block, i) => {
          const expected = spans.filter((s) => s.start < block.end && s.end > block.start);
          expect(buckets[i]).toEqual(expected);
        });
      }),
    );
  });
});
