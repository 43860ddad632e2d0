import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findMatches, type FindOptions } from './find-text';

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

describe('findMatches on long texts (folded in chunks)', () => {
  // The whole text folded at once: the simple definition the chunked search must agree with.
  function reference(text: string, query: string, options: FindOptions): { start: number; end: number }[] {
    const foldAll = (t: string) => {
      let folded = '';
      const origin: number[] = [];
      let i = 0;
      for (const ch of t) {
        let f = options.matchAccents ? ch : ch.normalize('NFD').replace(/\p{M}/gu, '');
        if (!options.matchCase) f = f.toLocaleLowerCase();
        for (let k = 0; k < f.length; k++) origin.push(i);
        folded += f;
        i += ch.length;
      }
      origin.push(i);
      return { folded, origin };
    };
    const q = foldAll(query).folded;
    const { folded, origin } = foldAll(text);
    const out = [];
    for (let at = folded.indexOf(q); at !== -1; at = folded.indexOf(q, at + q.length)) {
      let end = origin[at + q.length];
      while (!options.matchAccents && end < text.length && /\p{M}/u.test(text[end])) end++;
      out.push({ start: origin[at], end });
    }
    return out;
  }

  it('agrees with folding the whole text, across chunk boundaries', () => {
    const pieces = ['Café ', 'cafe\u0301 ', 'CAFÉ', 'aa', '𝔫', 'İ', ' x ', 'é', 'e'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { minLength: 30_000, maxLength: 40_000 }),
        fc.constantFrom('cafe', 'aaa', 'e e', 'x', 'é c'),
        fc.boolean(),
        (parts, query, matchAccents) => {
          const text = parts.join('');
          const options = { matchCase: false, matchAccents };
          expect(findMatches(text, query, options)).toEqual(reference(text, query, options));
        },
      ),
      { numRuns: 5 },
    );
  });

  it('agrees with folding the whole text where chunks are plain ASCII (the fast path), and across mixed ones', () => {
    const ascii = ['Cafe ', 'CAFE', 'aa', ' x ', 'e', 'E e', 'war and peace '];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ascii), { minLength: 20_000, maxLength: 30_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.constantFrom('cafe', 'aaa', 'e e', 'x', 'war'),
        fc.boolean(),
        (parts, at, query, matchCase) => {
          const plain = parts.join('');
          // One accented letter somewhere: its chunk takes the slow path, the others the fast one.
          const text = `${plain.slice(0, at)}é${plain.slice(at)}`;
          const options = { matchCase, matchAccents: false };
          expect(findMatches(text, query, options)).toEqual(reference(text, query, options));
        },
      ),
      { numRuns: 5 },
    );
  });

  it('stops at the limit', () => {
    const text = 'war and peace '.repeat(100_000);
    expect(findMatches(text, 'peace', loose, 3)).toEqual([
      { start: 8, end: 13 },
      { start: 22, end: 27 },
      { start: 36, end: 41 },
    ]);
  });
});
