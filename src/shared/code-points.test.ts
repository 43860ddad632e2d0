import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { offsetConverter } from './code-points';

describe('offsetConverter', () => {
  it('counts an emoji as one code point and two UTF-16 units', () => {
    const text = 'a😀b𝄞c';
    const c = offsetConverter(text);
    expect([0, 1, 3, 4, 6, 7].map(c.toCodePoints)).toEqual([0, 1, 2, 3, 4, 5]);
    expect([0, 1, 2, 3, 4, 5].map(c.toUtf16)).toEqual([0, 1, 3, 4, 6, 7]);
    expect([...text].length).toBe(5);
  });

  it('round-trips every boundary of any text, and agrees with Array.from', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const c = offsetConverter(text);
        const points = Array.from(text);
        let utf16 = 0;
        for (let cp = 0; cp <= points.length; cp++) {
          expect(c.toUtf16(cp)).toBe(utf16);
          expect(c.toCodePoints(utf16)).toBe(cp);
          utf16 += points[cp]?.length ?? 0;
        }
      }),
    );
  });
});
