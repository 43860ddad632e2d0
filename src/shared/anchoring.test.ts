import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  anchorExact,
  describeRange,
  findOccurrences,
  QUOTE_CONTEXT,
  rangeProblem,
  trimRange,
  wholeContext,
} from './anchoring';

const text = 'The quick brown fox jumps over the lazy dog. The quick brown fox sleeps.';

describe('describeRange', () => {
  it('gives both W3C selectors with 32 characters of context', () => {
    const long = `${'a'.repeat(40)}[exact]${'b'.repeat(40)}`;
    const start = 40;
    const target = describeRange(long, start, start + 7);
    expect(target.position).toEqual({ type: 'TextPositionSelector', start, end: start + 7 });
    expect(target.quote).toEqual({
      type: 'TextQuoteSelector',
      exact: '[exact]',
      prefix: 'a'.repeat(32),
      suffix: 'b'.repeat(32),
    });
    expect(QUOTE_CONTEXT).toBe(32);
  });

  it('never cuts the context inside a character: a surrogate pair, an emoji sequence, a combining mark', () => {
    // 31 letters, then an emoji whose second half would be the 32nd unit before the quote.
    const emoji = `😀${'x'.repeat(31)}[q]${'y'.repeat(31)}😀`;
    const at = emoji.indexOf('[q]');
    const { prefix, suffix } = describeRange(emoji, at, at + 3).quote;
    expect(prefix).toBe('x'.repeat(31));
    expect(suffix).toBe('y'.repeat(31));
    const family = `👩‍👩‍👧${'x'.repeat(29)}[q]`; // joined by ZWJs
    expect(describeRange(family, family.indexOf('['), family.length).quote.prefix).toBe('x'.repeat(29));
    const accent = `e\u0301${'x'.repeat(31)}[q]`; // e + combining acute: the accent is not kept alone
    expect(describeRange(accent, accent.indexOf('['), accent.length).quote.prefix).toBe('x'.repeat(31));
  });

  it('keeps every prefix and suffix well-formed UTF-16, whatever the text and range', () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.nat(), fc.nat(), (t, a, b) => {
        // Ranges on whole code points, as the reader makes them (trimRange, widenToWholeCharacters).
        const points = [...t];
        const cut = (n: number) => points.slice(0, n % (points.length + 1)).join('').length;
        const [start, end] = [cut(a), cut(b)].sort((x, y) => x - y);
        const { prefix, suffix } = describeRange(t, start, end).quote;
        expect(prefix).not.toMatch(lone);
        expect(suffix).not.toMatch(lone);
        expect(t.slice(0, start).endsWith(prefix)).toBe(true);
        expect(t.slice(end).startsWith(suffix)).toBe(true);
      }),
    );
  });

  it('cuts stored or foreign context to whole characters on its way out', () => {
    expect(wholeContext('\ude00abc', 'prefix')).toBe('abc');
    expect(wholeContext('\u0301abc', 'prefix')).toBe('abc');
    expect(wholeContext('abc\ud83d', 'suffix')).toBe('abc');
    expect(wholeContext('abc\u200d', 'suffix')).toBe('abc');
    expect(wholeContext('a😀b', 'prefix')).toBe('a😀b');
  });

  it('clips context at the ends of the text', () => {
    expect(describeRange(text, 0, 3).quote.prefix).toBe('');
    expect(describeRange(text, text.length - 7, text.length).quote.suffix).toBe('');
  });

  it('counts UTF-16 code units, as JavaScript does, on non-BMP text', () => {
    const t = 'a😀b𝔘c';
    const start = t.indexOf('b');
    expect(start).toBe(3);
    expect(describeRange(t, start, start + 3).quote.exact).toBe('b𝔘');
  });
});

describe('rangeProblem', () => {
  it('accepts a plain range', () => expect(rangeProblem(text, 0, 3)).toBeNull());
  it.each([
    [-1, 3, /outside/],
    [0, 999, /outside/],
    [5, 5, /empty/],
    [6, 2, /empty/],
    [0.5, 3, /whole numbers/],
    [3, 4, /white space/],
  ])('rejects %s–%s', (start, end, why) => expect(rangeProblem(text, start, end)).toMatch(why));

  it('rejects a range that cuts an emoji in half', () => {
    const t = 'x😀y';
    expect(rangeProblem(t, 0, 2)).toMatch(/in half/);
    expect(rangeProblem(t, 2, 4)).toMatch(/in half/);
    expect(rangeProblem(t, 1, 3)).toBeNull();
  });
});

describe('trimRange', () => {
  it('drops white space a selection dragged along', () => {
    const t = 'a  word \n\n next';
    expect(trimRange(t, 1, 8)).toEqual({ start: 3, end: 7 });
  });
});

describe('findOccurrences', () => {
  it('finds every occurrence, overlapping ones too', () => {
    expect(findOccurrences(text, 'The quick')).toEqual([0, 45]);
    expect(findOccurrences('aaaa', 'aa')).toEqual([0, 1, 2]);
    expect(findOccurrences(text, 'absent')).toEqual([]);
    expect(findOccurrences(text, '')).toEqual([]);
  });
});

describe('anchorExact', () => {
  it('keeps a target whose text is unchanged where it was', () => {
    const target = describeRange(text, 45, 54);
    expect(anchorExact(text, target)).toEqual({ start: 45, end: 54 });
  });

  it('follows a quote that moved, choosing the occurrence whose context matches', () => {
    const target = describeRange(text, 45, 54); // the second "The quick"
    const edited = `Preface. ${text}`;
    expect(anchorExact(edited, target)).toEqual({ start: 54, end: 63 });
  });

  it('returns null when the quote is gone', () => {
    const target = describeRange(text, 16, 19);
    expect(anchorExact(text.replace('fox', 'cat').replace('fox', 'cat'), target)).toBeNull();
  });

  it('always finds an unchanged range again (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.nat(), fc.nat(), (t, a, b) => {
        const start = a % t.length;
        const end = start + 1 + (b % (t.length - start));
        const found = anchorExact(t, describeRange(t, start, end));
        expect(found).toEqual({ start, end });
      }),
    );
  });
});
