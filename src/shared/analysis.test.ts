import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDocumentPairs, coverageByRow, emptyPairs } from './analysis';
import type { Coded } from './query';

const CODES = ['a', 'b', 'c', 'd'];
const index = new Map(CODES.map((c, i) => [c, i]));

/** The definitions in analysis.ts, one highlight pair and one character at a time. */
function bruteForce(hs: Coded[]) {
  const n = CODES.length;
  const square = () => Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const both = square();
  const overlaps = square();
  const chars = square();
  for (const h of hs)
    for (const [i, a] of CODES.entries())
      for (const [j, b] of CODES.entries()) {
        if (h.tags.includes(a) && h.tags.includes(b)) both[i][j]++;
      }
  for (let x = 0; x < hs.length; x++) {
    for (let y = x + 1; y < hs.length; y++) {
      const [h, g] = [hs[x], hs[y]];
      let share = false;
      for (let c = h.start; c < h.end; c++) if (c >= g.start && c < g.end) share = true;
      if (!share) continue;
      for (const [i, a] of CODES.entries()) {
        for (const [j, b] of CODES.entries()) {
          if ((h.tags.includes(a) && g.tags.includes(b)) || (h.tags.includes(b) && g.tags.includes(a)))
            overlaps[i][j]++;
        }
      }
    }
  }
  const end = Math.max(0, ...hs.map((h) => h.end));
  for (let c = 0; c < end; c++) {
    const here = CODES.map((code) => hs.some((h) => h.tags.includes(code) && h.start <= c && c < h.end));
    for (let i = 0; i < CODES.length; i++) for (let j = 0; j < CODES.length; j++) if (here[i] && here[j]) chars[i][j]++;
  }
  return { both, overlaps, chars };
}

const highlights = fc
  .array(
    fc.record({
      start: fc.nat(80),
      length: fc.integer({ min: 1, max: 20 }),
      tags: fc.subarray([...CODES, 'not-counted'], { minLength: 1 }),
    }),
    { maxLength: 30 },
  )
  .map((list) => list.map(({ start, length, tags }, i) => ({ id: `h${i}`, start, end: start + length, tags })));

describe('co-occurrence', () => {
  it('matches a brute-force count, character by character, on random highlights (property)', () => {
    fc.assert(
      fc.property(highlights, (hs) => {
        const pairs = emptyPairs(CODES.length);
        addDocumentPairs(pairs, hs, index);
        expect(pairs).toEqual(bruteForce(hs));
        expect(coverageByRow(hs, index)).toEqual(bruteForce(hs).chars.map((row, i) => row[i]));
      }),
      { numRuns: 400 },
    );
  });

  it('counts a worked example as the documentation says', () => {
    // a: [0,10) and [5,8); b: [8,12) — a∩b share 2 characters (8, 9), one overlapping pair.
    const pairs = emptyPairs(CODES.length);
    addDocumentPairs(
      pairs,
      [
        { id: '1', start: 0, end: 10, tags: ['a'] },
        { id: '2', start: 5, end: 8, tags: ['a'] },
        { id: '3', start: 8, end: 12, tags: ['b'] },
      ],
      index,
    );
    expect(pairs.chars[0][0]).toBe(10);
    expect(pairs.chars[0][1]).toBe(2);
    expect(pairs.overlaps[0][1]).toBe(1);
    expect(pairs.overlaps[0][0]).toBe(1); // 1 and 2 overlap, both a
    expect(pairs.both[0][1]).toBe(0);
  });
});
