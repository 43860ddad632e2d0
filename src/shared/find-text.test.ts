import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findMatches } from './find-text';

const loose = { matchCase: false, matchAccents: false };
const strict = { matchCase: true, matchAccents: true };

describe('findMatches', () => {
  it('ignores case unless asked', () => {
    expect(findMatches('Taliban and the TALIBAN', 'taliban', loose)).toEqual([
      { start: 0, end: 7 },
      { start: 16, end: 23 },
    ]);
    expect(findMatches('Taliban and the TALIBAN', 'taliban', { ...loose, matchCase: true })).toEqual([]);
  });

  it('ignores accents, precomposed or combining, unless asked', () => {
    const text = 'café, cafe and cafe\u0301.';
    const found = findMatches(text, 'cafe', loose).map((m) => text.slice(m.start, m.end));
    expect(found).toEqual(['café', 'cafe', 'cafe\u0301']);
    expect(findMatches(text, 'cafe', { ...loose, matchAccents: true }).map((m) => text.slice(m.start, m.end))).toEqual([
      'cafe',
      'cafe',
    ]);
  });

  it('counts UTF-16 offsets on text outside the BMP', () => {
    const text = '😀 𝔘𝔫𝔦 😀';
    expect(findMatches(text, '𝔫', strict)).toEqual([{ start: 5, end: 7 }]);
  });

  it('finds what indexOf finds when matching exactly (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ minLength: 1, maxLength: 3 }), (text, query) => {
        const expected: number[] = [];
        for (let at = text.indexOf(query); at !== -1; at = text.indexOf(query, at + query.length)) expected.push(at);
        expect(findMatches(text, query, strict).map((m) => m.start)).toEqual(expected);
      }),
    );
  });

  it('finds nothing for an empty query', () => expect(findMatches('abc', '', loose)).toEqual([]));
});
