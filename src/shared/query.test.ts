import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GlossaError } from './errors';
import { evaluate, formatQuery, parseQuery, resolveQuery, type Coded, type QueryNode } from './query';
import type { Codebook } from './types';

const codebook: Codebook = {
  tags: [
    { id: 'a', name: 'security', color: '#000000' },
    { id: 'b', name: 'diplomacy', color: '#000000' },
    { id: 'c', name: 'Human rights', color: '#000000' },
    { id: 'd', name: 'and', color: '#000000' },
  ],
};

const code = (name: string): QueryNode => ({ kind: 'code', name });

/** Random query trees over these code names, every operator at every depth. */
function queries(...names: string[]): fc.Arbitrary<QueryNode> {
  return fc.letrec<{ node: QueryNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...names).map(code),
      fc.record({
        kind: fc.constantFrom('and', 'not', 'or', 'overlapping') as fc.Arbitrary<'and'>,
        left: tie('node'),
        right: tie('node'),
      }),
    ),
  })).node;
}

describe('reading queries', () => {
  it('reads codes, quoted names and the four operators, left to right, or loosest', () => {
    expect(parseQuery('security')).toEqual(code('security'));
    expect(parseQuery('"Human rights" AND diplomacy')).toEqual({
      kind: 'and',
      left: code('Human rights'),
      right: code('diplomacy'),
    });
    expect(parseQuery('a overlapping b not c')).toEqual({
      kind: 'not',
      left: { kind: 'overlapping', left: code('a'), right: code('b') },
      right: code('c'),
    });
    expect(parseQuery('a or b and c')).toEqual({
      kind: 'or',
      left: code('a'),
      right: { kind: 'and', left: code('b'), right: code('c') },
    });
    expect(parseQuery('(a or b) and c').kind).toBe('and');
    expect(parseQuery('human rights and drugs')).toEqual({
      kind: 'and',
      left: code('human rights'),
      right: code('drugs'),
    });
  });

  it.each([
    ['', /empty/],
    ['and', /code name was expected/],
    ['security and', /code name was expected before the end/],
    ['security and and drugs', /before "and" at character 14/],
    ['"security', /not closed/],
    ['(security', /"\)" was expected/],
    ['security)', /does not belong/],
    ['""', /empty quotes/],
  ])('refuses %j with a sentence that says where', (query, message) => {
    expect(() => parseQuery(query)).toThrow(message);
    try {
      parseQuery(query);
    } catch (error) {
      expect((error as GlossaError).code).toBe('INVALID_INPUT');
    }
  });

  it('resolves names in any case, a keyword-named code in quotes, and names an unknown code', () => {
    expect(resolveQuery(parseQuery('SECURITY not "AND"'), codebook)).toEqual({
      kind: 'not',
      left: code('a'),
      right: code('d'),
    });
    expect(() => resolveQuery(parseQuery('security and borders'), codebook)).toThrow(/"borders", which is not a code/);
  });

  it('writes a query back so that it reads the same (property)', () => {
    const tree = queries('security', 'diplomacy', 'Human rights', 'and', 'x(y');
    fc.assert(
      fc.property(tree, (t) => {
        expect(parseQuery(formatQuery(t))).toEqual(parseQuery(formatQuery(parseQuery(formatQuery(t)))));
        expect(evalShape(parseQuery(formatQuery(t)))).toEqual(evalShape(t));
      }),
    );
  });
});

/** What a tree means, independent of how it was bracketed when written: evaluated on fixed highlights. */
function evalShape(t: QueryNode): string[] {
  const names = ['security', 'diplomacy', 'Human rights', 'and', 'x(y'];
  const hs: Coded[] = Array.from({ length: 12 }, (_, i) => ({
    id: `h${i}`,
    start: i * 3,
    end: i * 3 + 5,
    tags: names.filter((_, k) => (i >> k) & 1),
  }));
  return [...evaluate(t, hs).keys()].sort();
}

/** The definitions, spelled out one highlight (and one character) at a time. */
function bruteForce(t: QueryNode, hs: Coded[]): Map<string, string[] | true> {
  const out = new Map<string, string[] | true>();
  const sel = (n: QueryNode) => bruteForce(n, hs);
  if (t.kind === 'code') for (const h of hs) if (h.tags.includes(t.name)) out.set(h.id, true);
  if (t.kind === 'and' || t.kind === 'not') {
    const r = sel(t.right);
    for (const [id, v] of sel(t.left)) if (r.has(id) === (t.kind === 'and')) out.set(id, v);
  }
  if (t.kind === 'or') {
    for (const [id, v] of sel(t.left)) out.set(id, v);
    for (const [id, v] of sel(t.right)) if (!out.has(id)) out.set(id, v);
  }
  if (t.kind === 'overlapping') {
    const right = [...sel(t.right).keys()];
    for (const id of sel(t.left).keys()) {
      const h = hs.find((x) => x.id === id)!;
      const shares = right.filter((g) => {
        const o = hs.find((x) => x.id === g)!;
        if (o.id === h.id) return false;
        for (let c = h.start; c < h.end; c++) if (c >= o.start && c < o.end) return true;
        return false;
      });
      if (shares.length > 0) out.set(id, shares);
    }
  }
  return out;
}

describe('evaluating queries', () => {
  it('selects exactly what the definitions say, on random highlights (property)', () => {
    const highlight = fc
      .record({
        start: fc.nat(60),
        length: fc.integer({ min: 1, max: 15 }),
        tags: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
      })
      .map(({ start, length, tags }) => ({ start, end: start + length, tags }));
    const tree = queries('a', 'b', 'c');
    fc.assert(
      fc.property(fc.array(highlight, { maxLength: 25 }), tree, (list, t) => {
        const hs = list.map((h, i) => ({ ...h, id: `h${i}` }));
        const got = evaluate(t, hs);
        const want = bruteForce(t, hs);
        const norm = (m: Map<string, string[] | true>) =>
          [...m]
            .map(([id, v]) => [id, v === true ? true : [...v].sort()])
            .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
        expect(norm(got)).toEqual(norm(want));
      }),
      { numRuns: 500 },
    );
  });
});
